"""The form renderer (ADR 0002) against the HTML form: the same words on the page, Japanese line breaking, page
breaks that never split a person or lose a row, the seal drawn as WeasyPrint draws it, and no glyph without the
font."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from jumin.certificates import form
from jumin.certificates.seal import default_seal_svg
from jumin.certificates.tests.conftest import issue, pdf_fonts, pdf_text, request_for


def words(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split()


def line_texts(text: str, size: float, width: float) -> list[str]:
    return ["".join(c.text for c in line) for line in form.break_lines(text, size, width)]


def test_a_household_copy_has_the_same_words_from_both_renderers(yamada, clerk, settings):
    persons = (yamada["head"], yamada["wife"], yamada["child"])
    settings.CERTIFICATE_RENDERER = "form"
    drawn = issue(clerk, request_for(*persons, layout="household", options={"furigana": True}))
    settings.CERTIFICATE_RENDERER = "weasyprint"
    html = issue(clerk, request_for(*persons, layout="household", options={"furigana": True}))
    ignore = set(drawn.issuance.issue_numbers[0].split()) | set(html.issuance.issue_numbers[0].split())
    ignore |= {drawn.issuance.verification_code, html.issuance.verification_code}
    assert sorted(w for w in words(drawn.pdf) if w not in ignore) == sorted(w for w in words(html.pdf) if w not in ignore)
    assert pdf_fonts(drawn.pdf) == ["IPAmjMincho"]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(drawn.pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, check=True, text=True).stdout
    assert "住民票の写し（世帯連記式）" in info  # the title, as WeasyPrint takes it from <title>


def test_japanese_text_breaks_anywhere_but_before_closing_marks():
    size, width = 10.0, 10 * 10.0 * form.PT  # room for exactly ten full-width characters
    assert line_texts("一二三四五六七八九十一二三", size, width) == ["一二三四五六七八九十", "一二三"]
    # 。 may not start a line: the character before it moves down with it
    assert line_texts("一二三四五六七八九十。一", size, width) == ["一二三四五六七八九", "十。一"]
    # an opening bracket may not end a line
    assert line_texts("一二三四五六七八九「十」", size, width) == ["一二三四五六七八九", "「十」"]


def test_latin_words_stay_whole_and_a_space_ends_the_line_it_follows():
    size = 10.0
    width = form.face().width("ALEXANDER WILLIAMS", size) + 0.1  # IPAmj's Latin letters are proportional
    assert line_texts("SMITH JOHN ALEXANDER WILLIAMS", size, width) == ["SMITH JOHN", "ALEXANDER WILLIAMS"]
    # a word longer than the line is broken where it must, and nothing is lost
    lines = line_texts("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", size, width)
    assert len(lines) >= 2 and "".join(lines) == "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert all(form.face().width(line, size) <= width for line in lines)


def test_a_variation_sequence_is_one_cluster_with_the_variant_glyph():
    face = form.face()
    base = face.clusters("葛")
    variant = face.clusters("葛\U000E0102")
    assert len(variant) == 1 and variant[0].text == "葛\U000E0102"
    assert variant[0].glyphs[0][0] != base[0].glyphs[0][0]


def test_a_character_without_a_glyph_is_refused_not_drawn_as_a_box():
    with pytest.raises(form.GlyphMissing):
        form.text_pdf("\u9fef", 10.0)  # 鿯: not in IPAmj


def test_a_table_taller_than_a_page_is_split_between_rows_and_loses_none():
    rows = form.table_rows([[("履歴", f"令和{i}年 第{i}行の記載", 10.0)] for i in range(1, 81)], 2)
    pages = form.paginate([form.table_block(rows, margin=2.5, caption="履歴")])
    assert len(pages) >= 2
    drawn = ["".join(c.text for c in t.clusters) for page in pages for t in page.texts]
    for i in range(1, 81):
        assert f"令和{i}年 第{i}行の記載" in drawn
    bottom = form.PAGE_H - form.BOTTOM
    for page in pages:
        assert all(y + h <= bottom + 1e-6 for _x, y, _w, h, _c in page.strokes)


def test_a_block_that_does_not_fit_moves_whole_to_the_next_page():
    rows = form.table_rows([[("氏名", f"第{i}行", 10.0)] for i in range(30)], 2)
    first = form.table_block(rows, margin=0.0)
    second = form.table_block(rows, margin=2.5)
    pages = form.paginate([first, second])
    assert len(pages) == 2
    assert {"".join(c.text for c in t.clusters) for t in pages[1].texts} >= {f"第{i}行" for i in range(30)}


def darkness(pdf: bytes, box_mm: tuple) -> int:
    """Dark pixels (of 100 dpi grey) inside a box (x, y, w, h in mm from the top left) of the first page."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.pdf"
        path.write_bytes(pdf)
        x, y, w, h = (round(v / 25.4 * 100) for v in box_mm)
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", "-x", str(x), "-y", str(y),
                        "-W", str(w), "-H", str(h), str(path), str(Path(tmp) / "p")], check=True)
        data = next(Path(tmp).glob("p*.pgm")).read_bytes()
    pixels = data.split(b"\n", 3)[3]
    return sum(1 for b in pixels if b < 128)


def test_the_seal_is_drawn_as_weasyprint_draws_it(yamada, clerk, settings, mayor):
    mayor.seal_svg = default_seal_svg("仙台市長之印")
    mayor.save()
    settings.CERTIFICATE_RENDERER = "form"
    drawn = issue(clerk, request_for(yamada["head"], layout="individual"))
    settings.CERTIFICATE_RENDERER = "weasyprint"
    html = issue(clerk, request_for(yamada["head"], layout="individual"))
    right = (150, 0, 60, 297)  # the right-hand strip of the page, where only the seal and the QR code are
    top = (150, 0, 60, 250)
    a, b = darkness(drawn.pdf, top), darkness(html.pdf, top)
    assert a > 500  # the seal is there
    assert abs(a - b) < 0.1 * b
    assert darkness(drawn.pdf, right) > a  # and the QR code below it


def test_a_long_municipality_name_in_the_footer_wraps_and_is_not_cut():
    canvas = form.Canvas()
    name = "北海道虻田郡洞爺湖町北海道虻田郡洞爺湖町北海道"  # wider than the 53 mm beside the QR code
    form._footer(canvas, "20261122 洞爺湖町 本庁1 プリンタ001 001 1/1", "ABCD-EFGH-JKLM7", name,
                 form.qr_modules("http://example/ABCD"))
    right = [t for t in canvas.texts if t.x > 100]  # the verification block, right of the 発行番号
    assert len(right) == 4
    assert "".join("".join(c.text for c in t.clusters) for t in right).replace(" ", "") == \
        "照合番号ABCD-EFGH-JKLM7発行" + name
