"""Fixtures for 印鑑登録: the 山田 family on the register (太郎 45, 花子 44, 一郎 14 on 2026-11-21), the mayor
with a 公印, impression scans drawn with Pillow (a red ring with characters in IPAmj明朝 at a known dpi and size —
no binary files in the repository), and helpers that call the real actions."""

import io
import subprocess
import tempfile
from datetime import date, datetime

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from conftest import actor, register_state
from jumin.certificates.tests.conftest import config, mayor, yamada  # noqa: F401  (the 山田 family, a mayor)

FONT = "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"
PAPER = (250, 250, 247)
VERMILION = (205, 32, 40)
# "today" for the tests that need one: 一郎 (born 2012-06-01) is 14; his parents are 46 and 44.
TODAY = date(2026, 11, 21)


def seal_scan(text="山田", *, mm=15.0, dpi=600, fmt="PNG", save_dpi=True, shape="circle", color=VERMILION,
              rotate=0.0, shift=(0, 0), canvas_mm=None, noise=0) -> bytes:
    """A scanned impression: a ring (or square) `mm` across with `text` set vertically in IPAmj明朝, on paper."""
    size = mm / 25.4 * dpi
    side = int(round((canvas_mm or mm + 10) / 25.4 * dpi))
    image = Image.new("RGB", (side, side), PAPER)
    draw = ImageDraw.Draw(image)
    cx, cy = side / 2 + shift[0], side / 2 + shift[1]
    r = size / 2
    border = max(1, int(round(0.8 / 25.4 * dpi)))
    box = [cx - r, cy - r, cx + r - 1, cy + r - 1]
    if shape == "circle":
        draw.ellipse(box, outline=color, width=border)
    else:
        draw.rectangle(box, outline=color, width=border)
    n = max(1, len(text))
    font_size = int(size * 0.75 / n) if n > 1 else int(size * 0.6)
    font = ImageFont.truetype(FONT, font_size)
    for i, ch in enumerate(text):
        draw.text((cx, cy - font_size * n / 2 + font_size * i + font_size / 2), ch, font=font, fill=color, anchor="mm")
    if rotate:
        image = image.rotate(rotate, fillcolor=PAPER, resample=Image.Resampling.BICUBIC)
    if noise:
        a = np.asarray(image).astype(int) + np.random.default_rng(7).integers(-noise, noise, (side, side, 3))
        image = Image.fromarray(np.clip(a, 0, 255).astype("uint8"))
    out = io.BytesIO()
    kwargs = {"dpi": (dpi, dpi)} if save_dpi else {}
    if fmt == "JPEG":
        kwargs["quality"] = 95
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def blank_scan(dpi=600, mm=30) -> bytes:
    side = int(mm / 25.4 * dpi)
    out = io.BytesIO()
    Image.new("RGB", (side, side), PAPER).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()





def at(day: date = TODAY, hour: int = 10) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def in_person(person, **extra) -> dict:
    params = {"addressee_number": person.addressee_number, "route": "in_person", "applicant": "self",
              "identity_document": "driving_licence", "represents": "surname", "seal_checked": True}
    params.update(extra)
    return params


def register(user, person, scan=None, *, now=None, terminal="本庁1", **extra):
    from jumin.seals.actions import do_register_seal

    return do_register_seal(in_person(person, **extra), impression=seal_scan() if scan is None else scan,
                            actor=actor(user, terminal), now=now or at())


def certificate_request(card_number, requester="山田 太郎", **extra) -> dict:
    params = {"presentation": "card", "card_number": card_number, "requester": {"kind": "self", "name": requester},
              "copies": 1}
    params.update(extra)
    return params


def issue(user, params, *, now=None, terminal="本庁1"):
    from jumin.seals.actions import do_issue_seal_certificate

    return do_issue_seal_certificate(params, actor=actor(user, terminal), now=now or at())


def seal_state() -> dict:
    """Everything a refused seal action must leave untouched (and the register and 交付履歴 with it)."""
    from jumin.certificates.models import Issuance, IssueCounter, IssuedDocument
    from jumin.seals.models import SealCard, SealEvent, SealInquiry, SealRegistration

    out = register_state()
    out["registrations"] = list(SealRegistration.objects.order_by("pk").values_list(
        "registration_number", "status", "address", "name", "version", "abolition_reason"))
    out["cards"] = list(SealCard.objects.order_by("pk").values_list("card_number", "status"))
    out["inquiries"] = list(SealInquiry.objects.order_by("pk").values_list("inquiry_number", "status"))
    out["events"] = SealEvent.objects.count()
    out["issuances"] = Issuance.objects.count()
    out["documents"] = IssuedDocument.objects.count()
    out["counters"] = list(IssueCounter.objects.values_list("day", "terminal", "last_serial"))
    return out


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True,
                              text=True).stdout


def rasterise(pdf: bytes, dpi: int = 300) -> Image.Image:
    """The first page as pdftoppm draws it at `dpi` (as a printer would)."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/c.pdf"
        with open(path, "wb") as f:
            f.write(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", path, f"{folder}/page"],
                       check=True, capture_output=True)
        import glob

        return Image.open(sorted(glob.glob(f"{folder}/page*.png"))[0]).convert("RGB")


def red_box_mm(page: Image.Image, dpi: int = 300) -> tuple[float, float]:
    """Width and height in mm of the red ink on a rasterised page (the 公印 and the text are black)."""
    a = np.asarray(page).astype(int)
    red = (a[..., 0] > 120) & (a[..., 0] - a[..., 1] > 60) & (a[..., 0] - a[..., 2] > 60)
    cols = np.flatnonzero(red.sum(axis=0) >= 2)
    rows = np.flatnonzero(red.sum(axis=1) >= 2)
    assert cols.size and rows.size, "no red impression on the page"
    return (cols[-1] - cols[0] + 1) / dpi * 25.4, (rows[-1] - rows[0] + 1) / dpi * 25.4


@pytest.fixture
def seal_settings(db):
    from jumin.seals.models import current_settings

    return current_settings()


@pytest.fixture
def registered(yamada, clerk):
    """山田 太郎 registered a 15 mm 「山田」 seal in person on 2026-11-21: (registration, card)."""
    registration = register(clerk, yamada["head"])
    return registration, registration.cards.get()
