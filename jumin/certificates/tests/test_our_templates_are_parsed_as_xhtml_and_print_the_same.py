"""Throughput (issue #5 figures): certificate templates are well-formed XHTML, parsed with expat instead of
WeasyPrint's HTML5 parser. Every PDF template must parse that way, and the pages must be the same pixels and
text as with WeasyPrint's own parser."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from django.utils import timezone

from conftest import actor
from jumin.certificates import document, render
from jumin.certificates.queries import daily_summary, daily_summary_pdf
from jumin.certificates.tests.conftest import issue, request_for

pytestmark = pytest.mark.usefixtures("weasyprint_renderer")


def pixels_and_text(pdf: bytes) -> tuple[list[bytes], str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-gray", str(path), str(Path(tmp) / "p")], check=True)
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p*.pgm"))], text


def test_every_pdf_template_is_whole_well_formed_xhtml(yamada, clerk, monkeypatch):
    seen = []
    real = render._xhtml_root

    def recording(text):
        root = real(text)
        seen.append(root is not None)
        return root

    monkeypatch.setattr(render, "_xhtml_root", recording)
    issue(clerk, request_for(yamada["head"], yamada["wife"], yamada["child"], layout="household",
                             options={"furigana": True}))
    issue(clerk, request_for(yamada["head"], layout="individual", requester_kind="official",
                             requester_name="仙台市役所", purpose="公用", identity_check="official_document"))
    summary = daily_summary(actor=actor(clerk, "本庁1"), day=timezone.localdate(), terminal="本庁1")
    daily_summary_pdf(summary, municipality_name="仙台市")
    assert len(seen) == 3 and all(seen), seen


def test_a_household_copy_prints_the_same_through_either_parser(yamada, clerk, monkeypatch):
    captured = []
    real = render._xhtml_root
    monkeypatch.setattr(render, "_xhtml_root", lambda text: captured.append(text) or real(text))
    issue(clerk, request_for(yamada["head"], yamada["wife"], yamada["child"], layout="household"))
    html = captured[-1]
    fast = render.html_to_pdf(html, stylesheet=document.STYLESHEET)
    monkeypatch.setattr(render, "_xhtml_root", lambda text: None)
    slow = render.html_to_pdf(html, stylesheet=document.STYLESHEET)
    assert pixels_and_text(fast) == pixels_and_text(slow)


def test_a_fragment_or_broken_markup_goes_through_weasyprints_parser():
    assert render._xhtml_root("<p>住民票</p>") is None            # not a whole document
    assert render._xhtml_root("<html><body><br></body></html>") is None   # not well-formed
    assert render._xhtml_root("<html><body><p>住民票</p></body></html>").tag == "html"
    assert b"%PDF" in render.html_to_pdf("<html><body><p>住<br>民</p></body></html>", stylesheet="@page{size:A6}")
