"""Glyphs (issue #5 item 4): IPAmj明朝 only, through the private fontconfig; a name stored with an MJ IVS prints
the variant glyph, checked by pdffonts, by pdftotext and by comparing rasterised glyph images."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from django.conf import settings

from conftest import actor, family_params
from jumin.certificates.form import text_pdf
from jumin.certificates.render import html_to_pdf, unprintable
from jumin.certificates.tests.conftest import issue, pdf_fonts, pdf_text, request_for
from jumin.register.actions import do_move_in
from jumin.register.models import Resident

pytestmark = pytest.mark.usefixtures("either_renderer")

KATSU_MJ = "葛\U000E0102"      # MJ IVS: a distinct glyph in IPAmj
KATSU_DEFAULT_SEQ = "葛\U000E0103"  # MJ IVS whose glyph is IPAmj's default 葛
TSUJI_MJ = "辻\U000E0102"


def glyph_image(text: str) -> bytes:
    """One character drawn large in IPAmj through the certificate renderer in use, rasterised to grey pixels."""
    if settings.CERTIFICATE_RENDERER == "form":
        pdf = text_pdf(text, 120.0)
    else:
        pdf = html_to_pdf(f"<p style='font-family:IPAmjMincho;font-size:120pt;margin:0'>{text}</p>",
                          stylesheet="@page { size: 60mm 60mm; margin: 5mm }")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", str(path), str(Path(tmp) / "g")],
                       check=True)
        return next(Path(tmp).glob("g*.pgm")).read_bytes()


def test_the_variant_glyph_differs_from_the_base_character():
    base = glyph_image("葛")
    assert glyph_image(KATSU_MJ) != base
    assert glyph_image(KATSU_DEFAULT_SEQ) == base  # the comparison does see equal glyphs as equal
    assert glyph_image(TSUJI_MJ) != glyph_image("辻")


def test_a_certificate_for_a_name_with_an_ivs_embeds_only_ipamj_and_keeps_the_sequence(single_step, mayor, config,
                                                                                          clerk):
    params = family_params()
    params["members"] = params["members"][:1]
    params["members"][0].update(name=f"{KATSU_MJ}西 {TSUJI_MJ}男", name_kana="カサイ ツジオ")
    person = Resident.objects.get(addressee_number=do_move_in(params, actor=actor(clerk)).result["created"][0])
    assert person.name == f"{KATSU_MJ}西 {TSUJI_MJ}男"  # stored exactly
    result = issue(clerk, request_for(person, layout="individual"))
    assert pdf_fonts(result.pdf) == ["IPAmjMincho"]
    text = pdf_text(result.pdf)
    assert f"{KATSU_MJ}西 {TSUJI_MJ}男" in text


def test_the_font_check_finds_what_ipamj_cannot_draw():
    assert unprintable("山田 太郎 葛\U000E0102") == []
    assert unprintable("葛\U000E0100") == ["葛\U000E0100"]  # an Adobe-Japan1 sequence: IPAmj would print plain 葛
    assert unprintable("\u9fef") == ["\u9fef"]  # Unicode 11 鿯, not in IPAmj 005.01
