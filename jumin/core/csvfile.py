"""The one CSV writer of the project: every CSV that jumin hands out (日計表 today; EUC, extraction, linkage and
migration files later) is written here, so that what a spreadsheet opens can never run as a formula.

The format, decided once:
- RFC 4180: comma, `"` quoting only where needed (a comma, a quote or a line break in the cell; a quote is
  doubled), CRLF after every record, the header (when given) as the first record.
- UTF-8. Downloads carry a BOM (`bom=True`, the default of `iter_csv` / `csv_response`) so that Excel opens
  Japanese text as UTF-8; `write_csv` returns or writes text, leaving the encoding to the caller. Not
  Shift_JIS/CP932: the register holds MJ characters (行政事務標準文字) that CP932 cannot encode, and a file
  that drops them would change a person's name in silence.
- Formula injection (CSV injection, OWASP): a *string* cell whose first character is `=`, `+`, `-`, `@`, a tab
  or a carriage return gets a single quote `'` in front, so `=1+2` is written `'=1+2` and a spreadsheet shows
  it as text. Quoting the cell would not help: the quotes are CSV syntax and are gone before the cell is read.
- Numbers (`int`, `float`, `Decimal`; not `bool`) are written as they are, so a negative fee stays `-300`.
  The same text as a *string* is neutralised (`"-300"` → `'-300`): pass numbers as numbers. Dates and other
  values are written as `str(value)` and neutralised like any string; `None` is an empty cell.

API: `write_csv(rows, header, out)` (text), `iter_csv(rows, header)` (bytes, one chunk per record, for
`StreamingHttpResponse`), `csv_response(rows, header, filename=…)` (the download), `cell(value)` (one cell).
`iter_csv_cp932(rows, header, report=…)` writes Shift_JIS for the systems that need it (EUC), reporting every
character it had to replace — the one exception to UTF-8, and never a silent one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TextIO
from urllib.parse import quote

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP CSV Injection)."""

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


class _Dialect(csv.Dialect):
    """RFC 4180 as it is written."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    quoting = csv.QUOTE_MINIMAL
    lineterminator = "\r\n"
    skipinitialspace = False
    strict = True


class _Echo:
    """A file that hands back what is written, so `csv.writer(...).writerow` returns the record's text."""

    def write(self, text: str) -> str:
        return text


def cell(value: Any) -> Any:
    """One cell as it will be written: numbers as they are, anything else as text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _records(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None) -> Iterator[str]:
    writer = csv.writer(_Echo(), dialect=_Dialect)
    if header is not None:
        yield writer.writerow([cell(v) for v in header])
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None,
              out: TextIO | None = None) -> str | None:
    """The CSV text of `header` and `rows`: written to `out` (returns None), or returned when `out` is None.
    No BOM: a text stream is encoded by whoever opened it."""
    if out is None:
        return "".join(_records(rows, header))
    for record in _records(rows, header):
        out.write(record)
    return None


def iter_csv(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None, *,
             bom: bool = True) -> Iterator[bytes]:
    """The CSV as UTF-8 bytes, one chunk per record (the BOM with the first), for a `StreamingHttpResponse`:
    `rows` may be a generator over a large query, it is read one record at a time."""
    first = bom
    for record in _records(rows, header):
        yield ((BOM if first else "") + record).encode("utf-8")
        first = False
    if first:  # nothing at all: still a UTF-8 file with its BOM
        yield BOM.encode("utf-8")


def csv_response(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None, *, filename: str,
                 ascii_filename: str | None = None, stream: bool = False, bom: bool = True):
    """A download (`attachment`) of the CSV. `filename` may be Japanese: it goes in `filename*` (RFC 6266) with
    `ascii_filename` (default: `filename` with every non-ASCII character as `_`) for older clients.
    `stream=True` gives a `StreamingHttpResponse` for files too large to hold in memory."""
    from django.http import HttpResponse, StreamingHttpResponse

    if stream:
        response = StreamingHttpResponse(iter_csv(rows, header, bom=bom), content_type=CONTENT_TYPE)
    else:
        response = HttpResponse(b"".join(iter_csv(rows, header, bom=bom)), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename, ascii_filename)
    return response


def attachment(filename: str, ascii_filename: str | None = None, *, inline: bool = False) -> str:
    """The Content-Disposition of a download (`inline=True`: a PDF shown in the browser): `filename` may be
    Japanese (in `filename*`, RFC 6266), with `ascii_filename` (default: every non-ASCII character as `_`) for
    older clients. Used by every download."""
    plain = ascii_filename or "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                                      for c in filename)
    return f"{'inline' if inline else 'attachment'}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"


def iter_csv_cp932(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None, *,
                   report=None) -> Iterator[bytes]:
    """The CSV in Shift_JIS (Windows CP932, no BOM), one chunk per record, for systems that cannot read UTF-8.

    CP932 cannot hold every character the register holds (MJ characters, IVS), so nothing is dropped in silence:
    each character that cannot be written as itself is replaced and `report(row, column, original, replacement)`
    is called (row 0 is the header, data rows count from 1; columns from 1): a variation selector (IVS/SVS) is
    left off its base character (葛󠄀 → 葛); a character CP932 lacks becomes 〓 (U+3013, the 下駄 of Japanese
    typesetting); a character CP932 writes as another one (U+301C 〜 reads back as U+FF5E ～, the Windows
    mapping) is reported as that one. Formula neutralisation is the same as `iter_csv` (applied after)."""
    def convert(text: str, row: int, column: int) -> str:
        try:
            if text.encode("cp932").decode("cp932") == text:
                return text
        except UnicodeEncodeError:
            pass
        out: list[str] = []
        for ch in text:
            code = ord(ch)
            if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
                base = out[-1] if out else ""
                if report:
                    report(row, column, base + ch, base)
                continue
            try:
                back = ch.encode("cp932").decode("cp932")
            except UnicodeEncodeError:
                back = "〓"
            if back != ch and report:
                report(row, column, ch, back)
            out.append(back)
        return "".join(out)

    def converted(values: Sequence[Any], row: int) -> list:
        out = []
        for column, value in enumerate(values, 1):
            number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            out.append(value if value is None or number else convert(str(value), row, column))
        return out

    records = _records((converted(r, n) for n, r in enumerate(rows, 1)),
                       converted(header, 0) if header is not None else None)
    for record in records:
        yield record.encode("cp932")
