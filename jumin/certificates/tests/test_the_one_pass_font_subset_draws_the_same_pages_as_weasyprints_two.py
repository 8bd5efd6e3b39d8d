"""Throughput (issue #5 figures) and memory (issue #15 item 12): the certificate font is subset in one pass from the
face the form renderer prepared once per process (`render._Subsetter`, `fonts.certificate_face`). It must change
nothing on paper: every page rasterises to the same pixels and gives the same text as with WeasyPrint's own
two-pass subset, IVS variants and several sizes included."""

import subprocess
import tempfile
from pathlib import Path

import pytest

import weasyprint.pdf.fonts as pdf_fonts

from jumin.certificates.render import _Subsetter, html_to_pdf, renderer

pytestmark = pytest.mark.usefixtures("weasyprint_renderer")

HTML = ("<p style='font-family:IPAmjMincho'>住民票の写し 葛\U000E0102飾区 髙橋 﨑 邊 ﾀｶﾊｼ ABC 0123 令和8年11月21日</p>"
        "<p style='font-family:IPAmjMincho;font-size:7pt'>辻\U000E0102 齋藤 仙台市青葉区国分町三丁目7番1号</p>")


def pixels_and_text(pdf: bytes) -> tuple[bytes, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "100", "-gray", str(path), str(Path(tmp) / "p")], check=True)
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
        return next(Path(tmp).glob("p*.pgm")).read_bytes(), text


def test_the_pages_are_the_same_as_with_weasyprints_own_subset(monkeypatch):
    renderer()
    ours = pdf_fonts.Font.__dict__["_harfbuzz_subset"]
    assert isinstance(ours, _Subsetter)
    before = ours.subsets
    fast = html_to_pdf(HTML, stylesheet="@page { size: A5 }")
    assert ours.subsets == before + 1, "the certificate font went through the one-pass subset"
    monkeypatch.setattr(pdf_fonts.Font, "_harfbuzz_subset", ours.original)
    slow = html_to_pdf(HTML, stylesheet="@page { size: A5 }")
    fast_pixels, fast_text = pixels_and_text(fast)
    slow_pixels, slow_text = pixels_and_text(slow)
    assert fast_pixels == slow_pixels
    assert fast_text == slow_text
    assert "髙橋" in fast_text and "令和8年11月21日" in fast_text
    # the one pass keeps only the glyphs drawn (WeasyPrint's HarfBuzz added the font's other variation-sequence
    # glyphs of the same characters): never a larger file
    assert len(fast) < len(slow) + 2048


def test_a_font_that_is_not_the_certificate_font_goes_through_weasyprints_code():
    calls = []
    subsetter = _Subsetter(lambda font, to_unicode, hinting: calls.append((font, hinting)), sizes={1})

    class OtherFont:
        file_content = b"not the certificate font"

    font = OtherFont()
    subsetter(font, {1: "a"}, False)
    assert calls == [(font, False)]
    assert subsetter.subsets == 0
