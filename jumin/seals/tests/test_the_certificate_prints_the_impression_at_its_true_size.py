"""Issue #7 "Done when": the 印鑑登録証明書's impression measures within 0.5 mm of the registered size. The PDF
is rasterised at 300 dpi with pdftoppm (as a printer would) and the red ink's bounding box measured in pixels;
the 公印, QR code and text are black, so only the impression is red. The pages are kept in test-artifacts."""

from pathlib import Path

import pytest

from jumin.seals.tests.conftest import certificate_request, issue, rasterise, red_box_mm, register, seal_scan

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "seals"


@pytest.mark.parametrize(("label", "scan"), [
    ("round-15mm-600dpi", dict(text="山田", mm=15, dpi=600)),
    ("round-10mm-300dpi-jpeg", dict(text="山", mm=10, dpi=300, fmt="JPEG")),
    ("square-24mm-1200dpi", dict(text="山田太郎", mm=24, dpi=1200, shape="square", canvas_mm=30)),
])
def test_the_printed_impression_measures_the_registered_size(yamada, clerk, label, scan):
    text = scan.pop("text")
    registration = register(clerk, yamada["head"], seal_scan(text, **scan))
    result = issue(clerk, certificate_request(registration.cards.get().card_number))

    page = rasterise(result.pdf, dpi=300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.save(ARTIFACTS / f"seal-certificate-{label}.png")
    width, height = red_box_mm(page, dpi=300)

    assert width == pytest.approx(registration.impression_width_mm, abs=0.5)
    assert height == pytest.approx(registration.impression_height_mm, abs=0.5)
    assert registration.impression_width_mm == pytest.approx(scan["mm"], abs=0.2)
