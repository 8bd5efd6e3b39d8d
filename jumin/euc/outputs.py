"""EUC output files (住民記録 §10.1: CSV, list and label printing, PDF). Each writer reads the rows one at a time
and writes a file; the caller hashes it. Through the project's one writer per format:

- csv: `core.csvfile.iter_csv` (UTF-8 with BOM, formula cells neutralised), every row streamed — no cap;
- csv_sjis: `core.csvfile.iter_csv_cp932`, with the conversion report (every character replaced, where);
- xlsx: `core.xlsxfile.write_xlsx` (constant memory; a sheet holds 1,048,575 rows, then the next sheet);
- pdf_list / pdf_labels: WeasyPrint with IPAmj明朝 only (`certificates.render.html_to_pdf`, the private
  fontconfig), after the same character check the certificates make: a character IPAmj lacks refuses the file
  (with the characters named) instead of printing a box. A PDF is for reading and printing, not for data: at most
  PDF_MAX_ROWS rows, refused above that (with the advice to use CSV or XLSX) — never cut in silence.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.html import escape

from jumin.core.errors import RuleViolation

PDF_MAX_ROWS = 5000
LABELS_PER_PAGE = 12
EXTENSIONS = {"csv": "csv", "csv_sjis": "csv", "xlsx": "xlsx", "pdf_list": "pdf", "pdf_labels": "pdf"}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "csv_sjis": "text/csv; charset=shift_jis",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf_list": "application/pdf", "pdf_labels": "application/pdf"}
REPORT_ROWS = 20


@dataclass
class Written:
    rows: int = 0
    sheets: dict = field(default_factory=dict)
    report: list = field(default_factory=list)


def _plain(value):
    """A cell for CSV: dates in ISO (yyyy-mm-dd), times to the second, booleans 1/0, the rest as it is."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _printed(value) -> str:
    """A cell on paper: dates in 和暦 (standard-spec §2.4), booleans ○."""
    from jumin.core.wareki import format_wareki

    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, datetime.datetime):
        return f"{format_wareki(value.date())} {value:%H:%M}"
    if isinstance(value, datetime.date):
        return format_wareki(value) if value.year >= 1873 else value.isoformat()
    return str(value)


class _Counter:
    """Counts the rows a writer reads (the writers take an iterator and say nothing about how many)."""

    def __init__(self, rows: Iterable):
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            self.count += 1
            yield row


def write_csv_file(path, header, rows) -> Written:
    from jumin.core.csvfile import iter_csv

    counted = _Counter(([_plain(v) for v in row] for row in rows))
    with open(path, "wb") as out:
        for chunk in iter_csv(counted, header, bom=True):
            out.write(chunk)
    return Written(rows=counted.count)


def write_sjis_file(path, header, rows) -> Written:
    """The Shift_JIS CSV and its conversion report: one entry per character replaced, with how often, in which
    columns and the first REPORT_ROWS rows it was in (row 0 = the header)."""
    from jumin.core.csvfile import iter_csv_cp932

    found: dict[tuple[str, str], dict] = {}

    def report(row: int, column: int, original: str, replacement: str):
        entry = found.get((original, replacement))
        if entry is None:
            entry = found[(original, replacement)] = {
                "char": original, "code": " ".join(f"U+{ord(c):04X}" for c in original), "replacement": replacement,
                "replacement_code": " ".join(f"U+{ord(c):04X}" for c in replacement), "count": 0, "rows": [], "columns": []}
        entry["count"] += 1
        if len(entry["rows"]) < REPORT_ROWS and (not entry["rows"] or entry["rows"][-1] != row):
            entry["rows"].append(row)
        name = header[column - 1] if 0 < column <= len(header) else str(column)
        if name not in entry["columns"]:
            entry["columns"].append(name)

    counted = _Counter(([_plain(v) for v in row] for row in rows))
    with open(path, "wb") as out:
        for chunk in iter_csv_cp932(counted, header, report=report):
            out.write(chunk)
    return Written(rows=counted.count, report=list(found.values()))


def write_xlsx_file(path, header, rows, *, title: str, sheet_rows: int | None = None) -> Written:
    from jumin.core.xlsxfile import SHEET_ROWS, Sheet, write_xlsx

    counted = _Counter(rows)
    sheets = write_xlsx(path, [Sheet(title, header, counted)], sheet_rows=sheet_rows or SHEET_ROWS)
    return Written(rows=counted.count, sheets=sheets)


def _check_printable(texts: Iterable[tuple[str, str]]):
    """Refuse (naming the characters and where) what IPAmj明朝 cannot draw, as a certificate does."""
    from jumin.core.charset import code_points, unsupported

    found: dict[str, set[str]] = {}
    for label, text in texts:
        for chars in unsupported(text):
            found.setdefault(label, set()).add(chars)
    if found:
        listed = "、".join(f"{label}「{''.join(sorted(chars))}」（{code_points(''.join(sorted(chars)))}）"
                          for label, chars in found.items())
        raise RuleViolation(f"PDF のフォント（IPAmj明朝）で印字できない文字があります（{listed}）。外字の登録が必要です。"
                            "CSV か XLSX では出力できます。", field="output", code="unprintable")


def _bounded(rows: Iterable) -> list:
    out = []
    for row in rows:
        out.append(row)
        if len(out) > PDF_MAX_ROWS:
            raise RuleViolation(f"PDF は{PDF_MAX_ROWS:,}件までです（紙で読む・印刷するための形式のため）。条件で絞るか、"
                                "CSV・XLSX で出力してください（件数の上限はありません）。", field="output",
                                code="too_many_for_pdf")
    return out


LIST_CSS = """
@page { size: A4 landscape; margin: 12mm 10mm 14mm; @bottom-right { content: counter(page) " / " counter(pages);
        font-family: IPAmjMincho; font-size: 8pt; } @bottom-left { content: string(title);
        font-family: IPAmjMincho; font-size: 8pt; } }
html { font-family: IPAmjMincho; font-size: 8.5pt; }
h1 { font-size: 12pt; font-weight: normal; margin: 0 0 2mm; string-set: title content(); }
p.meta { margin: 0 0 3mm; font-size: 8pt; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { border: .2mm solid #000; padding: .6mm 1.2mm; vertical-align: top; }
th { background: #eee; font-weight: normal; }
td.n { text-align: right; }
tr { page-break-inside: avoid; }
"""

LABEL_CSS = """
@page { size: A4 portrait; margin: 21.5mm 0 0 0; }
html { font-family: IPAmjMincho; }
table.sheet { border-collapse: collapse; table-layout: fixed; width: 210mm; page-break-after: always; }
table.sheet:last-child { page-break-after: auto; }
td.label { width: 105mm; padding: 0; vertical-align: top; }
div.label { height: 42.3mm; box-sizing: border-box; padding: 4mm 7mm; overflow: hidden; }
p { margin: 0; }
p.postcode { font-size: 10pt; margin-bottom: 1.5mm; }
p.address { font-size: 10.5pt; }
p.supplement { font-size: 10pt; margin-top: .5mm; }
p.name { font-size: 14pt; margin-top: 3mm; text-align: center; }
"""


def _document(title: str, body: str) -> str:
    return (f'<html><head><meta charset="utf-8"/><title>{escape(title)}</title></head>'
            f"<body>{body}</body></html>")


def write_pdf_list(path, header, rows, *, title: str, meta: str, numeric: list[bool]) -> Written:
    from jumin.certificates.render import html_to_pdf

    rows = [[_printed(v) for v in row] for row in _bounded(rows)]
    _check_printable([(str(header[i]), cell) for row in rows for i, cell in enumerate(row)]
                     + [("項目名", str(h)) for h in header] + [("表題", title)])
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="n">{escape(c)}</td>' if numeric[i] else f"<td>{escape(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    html = _document(title, f"<h1>{escape(title)}</h1><p class=\"meta\">{escape(meta)}</p>"
                            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    with open(path, "wb") as out:
        out.write(html_to_pdf(html, stylesheet=LIST_CSS))
    return Written(rows=len(rows))


def postcode_text(code: str) -> str:
    code = (code or "").strip()
    return f"〒{code[:3]}-{code[3:]}" if len(code) == 7 and code.isdigit() else (f"〒{code}" if code else "")


def write_pdf_labels(path, labels, *, title: str) -> Written:
    """宛名ラベル: A4, 2 × 6 = 12 a page (the common 12面 sheet, 105 × 42.3 mm): 〒, 住所, 方書, 氏名 様.
    `labels` yields (postcode, address, supplement, name)."""
    from jumin.certificates.render import html_to_pdf

    labels = list(_bounded(labels))
    _check_printable([(label, text or "") for entry in labels
                      for label, text in zip(("郵便番号", "住所", "方書", "氏名"), entry)])

    def cell(entry) -> str:
        if entry is None:
            return '<td class="label"><div class="label"></div></td>'
        postcode, address, supplement, name = entry
        return (f'<td class="label"><div class="label"><p class="postcode">{escape(postcode_text(postcode))}</p>'
                f'<p class="address">{escape(address or "")}</p>'
                f'<p class="supplement">{escape(supplement or "")}</p>'
                f'<p class="name">{escape(name or "")}　様</p></div></td>')

    pages = []
    for start in range(0, max(len(labels), 1), LABELS_PER_PAGE):
        chunk = labels[start:start + LABELS_PER_PAGE]
        chunk += [None] * (LABELS_PER_PAGE - len(chunk))
        trs = "".join(f"<tr>{cell(chunk[i])}{cell(chunk[i + 1])}</tr>" for i in range(0, LABELS_PER_PAGE, 2))
        pages.append(f'<table class="sheet">{trs}</table>')
    with open(path, "wb") as out:
        out.write(html_to_pdf(_document(title, "".join(pages)), stylesheet=LABEL_CSS))
    return Written(rows=len(labels))
