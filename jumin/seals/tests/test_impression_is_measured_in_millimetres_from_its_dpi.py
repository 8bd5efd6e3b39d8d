"""Reading a scanned impression (pure, jumin.seals.impression): the size in mm comes from the pixels and the
file's dpi (or the scanner setting), the kept image is a lossless PNG that still carries its dpi, and the
ordinances' 8 mm / 25 mm rule is applied to the bounding square."""

import io

import pytest
from PIL import Image

from jumin.core.errors import RuleViolation
from jumin.seals.impression import check_size, read_impression
from jumin.seals.tests.conftest import seal_scan

MB5 = 5 * 1024 * 1024


@pytest.mark.parametrize("dpi", [300, 600, 1200])
def test_a_15_mm_seal_measures_15_mm_at_any_scanner_resolution(dpi):
    measured = read_impression(seal_scan(mm=15, dpi=dpi), max_bytes=MB5)
    assert measured.ink_width_mm == pytest.approx(15, abs=0.15)
    assert measured.ink_height_mm == pytest.approx(15, abs=0.15)
    assert (measured.dpi_x, measured.dpi_y, measured.dpi_source) == (pytest.approx(dpi, abs=0.01),) * 2 + ("file",)


def test_a_jpeg_with_its_dpi_is_read_and_kept_as_png():
    measured = read_impression(seal_scan(mm=12, dpi=600, fmt="JPEG"), max_bytes=MB5)
    assert measured.source_format == "JPEG"
    assert measured.ink_width_mm == pytest.approx(12, abs=0.2)
    kept = Image.open(io.BytesIO(measured.png))
    assert kept.format == "PNG"
    assert kept.info["dpi"][0] == pytest.approx(600, abs=0.01)


def test_a_file_without_dpi_uses_the_scanner_setting():
    measured = read_impression(seal_scan(mm=15, dpi=400, save_dpi=False), max_bytes=MB5, scanner_dpi=400)
    assert measured.dpi_source == "setting"
    assert measured.ink_width_mm == pytest.approx(15, abs=0.15)


def test_the_kept_png_is_the_scan_cropped_to_the_impression_with_a_margin_pixel_for_pixel():
    data = seal_scan(mm=15, dpi=600)
    measured = read_impression(data, max_bytes=MB5)
    kept = Image.open(io.BytesIO(measured.png)).convert("RGB")
    original = Image.open(io.BytesIO(data)).convert("RGB")
    # 15 mm + 1 mm each side at 600 dpi = 17 mm ≈ 402 px
    assert measured.image_width_mm == pytest.approx(17, abs=0.2)
    # lossless: the kept pixels are exactly the original's at the same place
    offset = ((original.size[0] - kept.size[0]) // 2, (original.size[1] - kept.size[1]) // 2)
    found = any(original.crop((offset[0] + dx, offset[1] + dy, offset[0] + dx + kept.size[0],
                               offset[1] + dy + kept.size[1])).tobytes() == kept.tobytes()
                for dx in (-1, 0, 1) for dy in (-1, 0, 1))
    assert found


def test_a_rectangular_seal_has_its_own_width_and_height():
    measured = read_impression(seal_scan("山田", mm=12, dpi=600, shape="square"), max_bytes=MB5)
    assert measured.square_mm == pytest.approx(12, abs=0.15)


@pytest.mark.parametrize(("w", "h", "code"), [(8.0, 5.0, "too_small"), (7.9, 7.9, "too_small"),
                                              (25.1, 10, "too_large_impression")])
def test_the_8_and_25_mm_squares_decide_by_the_longer_side(w, h, code):
    with pytest.raises(RuleViolation) as refusal:
        check_size(w, h, min_mm=8, max_mm=25)
    assert refusal.value.code == code and "mm" in refusal.value.message


@pytest.mark.parametrize(("w", "h"), [(8.1, 3.0), (25.0, 25.0)])
def test_just_over_8_and_exactly_25_mm_are_accepted(w, h):
    check_size(w, h, min_mm=8, max_mm=25)


def test_a_city_with_a_7_mm_lower_limit_accepts_a_7_5_mm_seal():
    check_size(7.5, 7.5, min_mm=7, max_mm=25)
    with pytest.raises(RuleViolation):
        check_size(7.5, 7.5, min_mm=8, max_mm=25)


def test_a_scan_cut_at_the_edge_is_refused():
    from PIL import Image as PILImage

    whole = PILImage.open(io.BytesIO(seal_scan(mm=15, dpi=600)))
    cut = whole.crop((0, 0, whole.size[0] // 2, whole.size[1]))
    out = io.BytesIO()
    cut.save(out, format="PNG", dpi=(600, 600))
    with pytest.raises(RuleViolation) as refusal:
        read_impression(out.getvalue(), max_bytes=MB5)
    assert refusal.value.code == "touches_edge"


def test_a_resolution_below_200_dpi_is_refused():
    with pytest.raises(RuleViolation) as refusal:
        read_impression(seal_scan(mm=15, dpi=150), max_bytes=MB5)
    assert refusal.value.code == "low_dpi" and "200dpi" in refusal.value.message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_file_is_refused_even_after_weasyprint_relaxed_pillow(fmt):
    import weasyprint.images  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES = True process-wide)

    data = seal_scan(mm=15, dpi=600, fmt=fmt)
    with pytest.raises(RuleViolation) as refusal:
        read_impression(data[: len(data) // 2], max_bytes=MB5)
    assert refusal.value.code == "not_an_image"
    assert read_impression(data, max_bytes=MB5).ink_width_mm > 14
