"""From records to a laid-out certificate: which items print, how they fit, and the PDF.

`build_document` is everything that can be decided before a number is issued (so that an overflow or an
unprintable character refuses the request before anything is written); `Document.render` draws each copy
with its own 発行番号 and joins the copies into one PDF.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from jumin.certificates import rules
from jumin.certificates.render import render_copies, unprintable
from jumin.core.wareki import format_seireki, format_wareki

BASE_PT = 10.0  # body text size; shrunk per box down to rules.MIN_SCALE
BODY_SIZE = f"{BASE_PT:.2f}pt"

STYLESHEET = """
@page {
  size: A4 portrait; margin: 14mm 14mm 24mm 14mm;
  @bottom-left { font-size: 8pt; font-family: IPAmjMincho; vertical-align: top; padding-top: 2mm; }
  @bottom-right { content: element(verification); vertical-align: top; }
}
html { font-family: IPAmjMincho; font-size: 10pt; line-height: 1.35; }
/* Every cell has its own four hairlines (.125 mm; two meet as .25 mm, the table adds the outer half): a box
   whose four borders are alike is drawn as one rectangle, one-sided borders as four clipped paths (~10 ms a
   4-person sheet). Nothing is clipped: text that would not fit is shrunk or refused before drawing. */
h1 { font-size: 17pt; text-align: center; letter-spacing: .3em; margin: 0 0 3mm; font-weight: normal; }
h1 .reissue, h1 .official { font-size: 11pt; letter-spacing: 0; border: .3mm solid #000; padding: 0 1.5mm; margin-left: 3mm; }
.verification { position: running(verification); font-size: 7.5pt; text-align: right; width: 70mm; }
.verification img { width: 15mm; height: 15mm; float: right; margin-left: 2mm; image-rendering: pixelated; }
table { width: 100%; border-collapse: separate; border-spacing: 0; table-layout: fixed; border: .125mm solid #000; }
th, td { border: .125mm solid #000; padding: .8mm 1.5mm; vertical-align: top; }
th { font-weight: normal; text-align: left; background: #f2f2f2; font-size: 8pt; }
col.label { width: 30mm; }
.person { margin-top: 2.5mm; break-inside: avoid; }
.person caption { text-align: left; font-size: 8pt; caption-side: top; }
.mark { font-size: 8pt; }
.attestation { margin-top: 6mm; break-inside: avoid; }
.attestation p { margin: 0 0 2mm; }
.signatory { margin-top: 4mm; margin-left: 70mm; font-size: 12pt; position: relative; height: 25mm; }
.signatory img { position: absolute; left: 88mm; top: -6mm; width: 22mm; height: 22mm; }
.notice { margin-top: 5mm; }
.note { font-size: 8pt; margin-top: 2mm; }
"""


@dataclass
class Cell:
    label: str
    value: str
    size: str            # CSS font size
    marked: bool = False  # ※ 文字超過
    wide: bool = False   # takes a whole row of the person table

    @property
    def style(self) -> str:
        """The cell's own font size, only when shrunk (a style attribute is parsed per cell, per page)."""
        return "" if self.size == BODY_SIZE else f' style="font-size:{self.size}"'


def rows_of(cells: list[Cell]) -> list[list[Cell]]:
    """Short items two to a row, long ones (氏名, addresses, 本籍 …) a row each: 4 persons fit one A4 sheet."""
    rows: list[list[Cell]] = []
    for cell in cells:
        if cell.wide or not rows or len(rows[-1]) == 2 or rows[-1][0].wide:
            rows.append([cell])
        else:
            rows[-1].append(cell)
    return rows


@dataclass
class Document:
    kind: rules.Kind
    layout: str
    title: str
    header: list[Cell]
    sheets: list[list[dict]]
    attestation: str
    signatory: object
    municipality: object
    issued_on: date
    items: list[str] = field(default_factory=list)
    content: dict = field(default_factory=dict)
    overflow: list[dict] = field(default_factory=list)
    unprintable: list[dict] = field(default_factory=list)
    individual_number_printed: bool = False
    reissue: bool = False
    official: bool = False  # 公用請求: 「公用」 on the face (standard-spec §4.2, §5.7)

    def html(self, *, issue_number: str, verification_code: str, qr_png: bytes) -> str:
        seal = ""
        if self.signatory is not None and self.signatory.seal_svg:
            seal = "data:image/svg+xml;base64," + base64.b64encode(self.signatory.seal_svg.encode()).decode()
        return render_to_string("certificates/certificate.html", {
            "doc": self, "issue_number_css": issue_number.replace("\\", "").replace('"', ""), "verification_code": verification_code,
            "qr": "data:image/png;base64," + base64.b64encode(qr_png).decode(), "seal": seal,
            "issued_on": format_wareki(self.issued_on),
        })

    def render(self, *, serials: list[int], municipality_name: str, terminal: str, printer: str,
               verification_code: str, verification_url: str, day: date) -> tuple[bytes, list[str], int]:
        """One PDF holding every copy; each copy has its own 通番. Returns (pdf, 発行番号 per page, pages).
        Drawn by the form renderer (ADR 0002) unless settings.CERTIFICATE_RENDERER says "weasyprint"."""
        from django.conf import settings

        if settings.CERTIFICATE_RENDERER == "form":
            from jumin.certificates.form import render_document

            return render_document(self, serials=serials, municipality_name=municipality_name, terminal=terminal,
                                   printer=printer, verification_code=verification_code,
                                   verification_url=verification_url, day=day)
        qr = qr_png(verification_url + verification_code)
        return render_copies(lambda base: self.html(issue_number=base, verification_code=verification_code, qr_png=qr),
                             stylesheet=STYLESHEET, serials=serials, municipality_name=municipality_name,
                             terminal=terminal, printer=printer, day=day)


def qr_png(data: str) -> bytes:
    """The verification URL as a QR code, as a small PNG (an SVG of hundreds of squares costs ~35 ms to draw)."""
    import io

    import qrcode

    # A fixed mask pattern: choosing the "best" of eight costs ~7 ms and a scanner reads any of them.
    qr = qrcode.QRCode(border=1, box_size=4, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
    qr.add_data(data)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image().save(out, format="PNG")
    return out.getvalue()


def _cell(line: rules.Line, overflow_mode: str, person_name: str, overflow: list, addressee_number: str) -> Cell:
    scale = rules.fit(line)
    wide = line.width > 16 or line.item == "name"
    if scale is not None:
        return Cell(line.label, line.value, f"{BASE_PT * scale:.2f}pt", wide=wide)
    overflow.append({"addressee_number": addressee_number, "name": person_name, "label": line.label,
                     "item": line.item, "length": len(line.value)})
    room = line.width * line.lines / rules.MIN_SCALE
    shown = rules.clip(line.value, room) if overflow_mode == rules.OVERFLOW_LIMIT else ""
    return Cell(line.label, shown + "※", f"{BASE_PT * rules.MIN_SCALE:.2f}pt", marked=True, wide=wide)


def _wareki(d):
    return format_wareki(d) if isinstance(d, date) else format_wareki(date.fromisoformat(d))


def _seireki(d):
    return format_seireki(d) if isinstance(d, date) else format_seireki(date.fromisoformat(d))


def build_document(*, kind: rules.Kind, layout: str, records: list[dict], options: dict, today: date,
                   history: dict, chosen_items: set | None, overflow_mode: str, reissue: bool, municipality,
                   signatory, official: bool = False) -> Document:
    overflow: list[dict] = []
    blocks = []
    items: list[str] = []
    printed_number = False
    redacted_persons = []
    for record in records:
        block = rules.person_block(record, kind, options, today=today, fmt_wareki=_wareki, fmt_seireki=_seireki,
                                   history=history.get(record["addressee_number"]), chosen_items=chosen_items)
        lines = list(block.lines)
        if layout == rules.HOUSEHOLD:  # the sheet's header carries the address and the 世帯主
            lines = [line for line in lines if line.item != "head_name"]
        if layout == rules.INDIVIDUAL:
            address = " ".join(x for x in (record["address"], record.get("address_supplement")) if x)
            # 方書 is always printed (standard-spec §4.2); in 個人票 the address belongs to the person.
            lines.insert(1, rules.Line("住所", address, "address", 40, 2))
        cells = [_cell(line, overflow_mode, record["name"], overflow, record["addressee_number"]) for line in lines]
        history_cells = [_cell(line, overflow_mode, record["name"], overflow, record["addressee_number"])
                         for line in block.history]
        blocks.append({"addressee_number": record["addressee_number"], "cells": cells, "rows": rows_of(cells),
                       "history": history_cells,
                       "remarks": _remarks(record, kind)})
        for line in lines:
            if line.item not in items:
                items.append(line.item)
            if line.item == "individual_number":
                printed_number = True
        redacted_persons.append({
            "addressee_number": record["addressee_number"],
            "lines": [[c.label, "（記載あり）" if c.label == "個人番号" else c.value] for c in cells],
            "history": [[c.label, c.value] for c in history_cells],
        })
    header: list[Cell] = []
    if layout == rules.HOUSEHOLD and records:
        first = records[0]
        address = " ".join(x for x in (first["address"], first.get("address_supplement")) if x)
        header.append(_cell(rules.Line("住所", address, "address", 40, 2), overflow_mode, first["name"], overflow,
                            first["addressee_number"]))
        if "address" not in items:
            items.insert(0, "address")
        if options.get("head_relationship") and first.get("head_name"):
            header.append(_cell(rules.Line("世帯主", first["head_name"], "head_name", 40), overflow_mode, first["name"],
                                overflow, first["addressee_number"]))
            if "head_name" not in items:
                items.insert(1, "head_name")
    attestation = kind.attestation
    if kind.attestation_all and layout == rules.HOUSEHOLD and records and _whole_household(records):
        attestation = kind.attestation_all
    title = kind.label + ("（世帯連記式）" if layout == rules.HOUSEHOLD and kind.code.startswith("resident") else "")
    doc = Document(kind=kind, layout=layout, title=title, header=header,
                   sheets=rules.sheets(blocks, layout), attestation=attestation, signatory=signatory,
                   municipality=municipality, issued_on=today, items=items, overflow=overflow,
                   individual_number_printed=printed_number, reissue=reissue, official=official)
    texts = [(c.label, c.value) for c in header]
    texts += [(c.label, c.value) for b in blocks for c in b["cells"] + b["history"]]
    if signatory is not None:
        texts.append(("認証者", f"{signatory.title} {signatory.name}"))
    doc.unprintable = [{"label": label, "chars": "".join(bad)} for label, value in texts
                       if (bad := unprintable(value))]
    doc.content = {
        "kind": kind.code, "layout": layout, "issued_on": today.isoformat(), "reissue": reissue, "official": official,
        "header": [[c.label, c.value] for c in header], "persons": redacted_persons, "attestation": attestation,
        "signatory": f"{signatory.title} {signatory.name}" if signatory is not None else "",
    }
    return doc


def _whole_household(records: list[dict]) -> bool:
    """Whether the copy lists every living member (the 世帯全員 wording of the 認証文)."""
    from jumin.register.models import Resident

    household = records[0]["household_number"]
    living = Resident.objects.filter(household_number=household, status="resident").count()
    return living == len(records)


def _remarks(record: dict, kind: rules.Kind) -> list[str]:
    """備考: the 転出証明書 carries the person's insurance and pension entries (住民基本台帳法施行令 §23)."""
    if kind.subjects != rules.MOVED_OUT:
        return []
    out = []
    for flag, label in (("nhi_member", "国民健康保険の被保険者"), ("late_elderly_member", "後期高齢者医療の被保険者"),
                        ("long_term_care_member", "介護保険の被保険者"), ("pension_member", "国民年金の被保険者")):
        if record.get(flag):
            out.append(label)
    return out
