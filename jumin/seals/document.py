"""The 印鑑登録証明書 and the 照会書・回答書 as PDF, through the certificates' renderer (WeasyPrint with IPAmj明朝
only, through its private fontconfig: `jumin.certificates.render`).

The impression is the stored PNG, placed with CSS width and height in millimetres computed from its pixels and
its dpi, so it prints at the size it was registered with (issue #7 "Done when": measured within 0.5 mm).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from jumin.certificates import rules as cert_rules
from jumin.certificates.document import STYLESHEET as CERTIFICATE_STYLESHEET
from jumin.certificates.document import qr_png
from jumin.certificates.render import render_copies, unprintable
from jumin.core.wareki import format_seireki, format_wareki
from jumin.seals import rules
from jumin.seals.impression import printable_png

SEAL_STYLESHEET = CERTIFICATE_STYLESHEET + """
table.seal { margin-top: 4mm; width: auto; }
td.impression { text-align: center; vertical-align: middle; padding: 2mm; }
td.impression img { display: inline-block; vertical-align: middle; image-rendering: auto; }
.impression-note { font-size: 8pt; }
"""

LETTER_STYLESHEET = """
@page { size: A4 portrait; margin: 18mm 18mm 18mm 18mm; }
html { font-family: IPAmjMincho; font-size: 10.5pt; line-height: 1.6; }
h1 { font-size: 16pt; text-align: center; letter-spacing: .3em; font-weight: normal; margin: 4mm 0; }
.to { font-size: 12pt; }
.from { text-align: right; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: .25mm solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { font-weight: normal; background: #f2f2f2; width: 38mm; }
.cut { border-top: .3mm dashed #000; margin: 8mm 0 4mm; text-align: center; font-size: 8pt; }
.sealbox { height: 30mm; }
"""


@dataclass
class SealCertificate:
    title: str
    lines: list[tuple[str, str]]
    image_data_uri: str
    image_width_mm: float
    image_height_mm: float
    box_mm: float
    attestation: str
    signatory: object
    municipality: object
    issued_on: date
    items: list[str] = field(default_factory=list)
    content: dict = field(default_factory=dict)
    unprintable: list[dict] = field(default_factory=list)

    def html(self, *, issue_number: str, verification_code: str, qr: bytes) -> str:
        seal = ""
        if self.signatory is not None and self.signatory.seal_svg:
            seal = "data:image/svg+xml;base64," + base64.b64encode(self.signatory.seal_svg.encode()).decode()
        return render_to_string("seals/certificate.html", {
            "doc": self, "issue_number_css": issue_number.replace("\\", "").replace('"', ""),
            "verification_code": verification_code, "qr": "data:image/png;base64," + base64.b64encode(qr).decode(),
            "seal": seal, "issued_on": format_wareki(self.issued_on),
            "width": f"{self.image_width_mm:.3f}mm", "height": f"{self.image_height_mm:.3f}mm",
            "box": f"{self.box_mm:.1f}mm",
        })

    def render(self, *, serials: list[int], municipality_name: str, terminal: str, printer: str,
               verification_code: str, verification_url: str, day: date) -> tuple[bytes, list[str], int]:
        """One PDF holding every copy, each with its own 通番: (pdf, 発行番号 per page, pages)."""
        qr = qr_png(verification_url + verification_code)
        return render_copies(lambda base: self.html(issue_number=base, verification_code=verification_code, qr=qr),
                             stylesheet=SEAL_STYLESHEET, serials=serials, municipality_name=municipality_name,
                             terminal=terminal, printer=printer, day=day)


def certificate_lines(registration, resident, *, print_sex: bool) -> list[tuple[str, str, str]]:
    """(label, value, item) of the certificate, in order: the register's current values (standard-spec §5.4)."""
    foreign = resident.resident_type == "foreign"
    lines = [("登録番号", registration.registration_number, "seal_registration_number"),
             ("氏名", resident.name, "name")]
    if foreign and resident.name_alphabet and resident.name_alphabet != resident.name:
        lines.append(("氏名（アルファベット）", resident.name_alphabet, "name_alphabet"))
    if foreign and registration.katakana_name:
        lines.append(("氏名のカタカナ表記", registration.katakana_name, "katakana_name"))
    if resident.former_surname:
        lines.append(("旧氏", resident.former_surname, "former_surname"))
    if resident.alias:
        lines.append(("通称", resident.alias, "alias"))
    if resident.birth_date_text:
        birth = resident.birth_date_text
    elif resident.birth_date:
        birth = format_seireki(resident.birth_date) if foreign else format_wareki(resident.birth_date)
    else:
        birth = ""
    lines.append(("生年月日", birth, "birth_date"))
    if print_sex:
        lines.append(("性別", {"1": "男", "2": "女"}.get(resident.sex, ""), "sex"))
    lines.append(("住所", " ".join(x for x in (resident.address, resident.address_supplement) if x), "address"))
    return lines


def build_certificate(*, registration, resident, settings, signatory, municipality, today: date) -> SealCertificate:
    kind = cert_rules.KINDS["seal_certificate"]
    lines = certificate_lines(registration, resident, print_sex=settings.print_sex)
    png = printable_png(bytes(registration.impression_png))
    width, height = registration.impression_image_width_mm, registration.impression_image_height_mm
    doc = SealCertificate(
        title=kind.label, lines=[(label, value) for label, value, _ in lines],
        image_data_uri="data:image/png;base64," + base64.b64encode(png).decode(),
        image_width_mm=width, image_height_mm=height, box_mm=max(32.0, max(width, height) + 4),
        attestation=kind.attestation, signatory=signatory, municipality=municipality, issued_on=today,
        items=["seal_impression"] + [item for _, _, item in lines],
    )
    texts = [(label, value) for label, value, _ in lines]
    if signatory is not None:
        texts.append(("認証者", f"{signatory.title} {signatory.name}"))
    doc.unprintable = [{"label": label, "chars": "".join(bad)} for label, value in texts if (bad := unprintable(value))]
    doc.content = {
        "kind": kind.code, "layout": cert_rules.INDIVIDUAL, "issued_on": today.isoformat(), "reissue": False,
        "header": [], "persons": [{"addressee_number": resident.addressee_number,
                                    "lines": [[label, value] for label, value, _ in lines], "history": []}],
        "attestation": kind.attestation,
        "signatory": f"{signatory.title} {signatory.name}" if signatory is not None else "",
        "registration_number": registration.registration_number, "impression_sha256": registration.impression_sha256,
        "impression_mm": [registration.impression_width_mm, registration.impression_height_mm],
    }
    return doc


def inquiry_letter_pdf(inquiry, *, municipality, signatory) -> bytes:
    """照会書 (to be mailed, 親展) with the 回答書 below the cut line (standard-spec §5.3)."""
    from jumin.certificates.render import html_to_pdf

    html = render_to_string("seals/inquiry_letter.html", {
        "i": inquiry, "municipality": municipality, "signatory": signatory,
        "sent_on": format_wareki(inquiry.sent_on), "deadline_on": format_wareki(inquiry.deadline_on),
        "represents": rules.REPRESENTS_LABELS.get(inquiry.represents, ""),
        "applicant": rules.APPLICANT_LABELS.get(inquiry.applicant, ""),
    })
    return html_to_pdf(html, stylesheet=LETTER_STYLESHEET)
