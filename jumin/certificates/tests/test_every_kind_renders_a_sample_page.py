"""Every kind renders, reads back with its title and 認証文, and leaves a sample page image in
test-artifacts/certificates/ (the docs' sample pages are copied from there: docs/certificates/)."""

import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import actor
from jumin.certificates import rules
from jumin.certificates.tests.conftest import issue, pdf_text, request_for
from jumin.register.actions import do_move_out
from jumin.register.models import Resident

pytestmark = pytest.mark.usefixtures("either_renderer")

OUT = Path(settings.BASE_DIR) / "test-artifacts" / "certificates"


def save_png(pdf: bytes, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1", f.name,
                        str(OUT / name)], check=True)
    return OUT / f"{name}.png"


@pytest.mark.parametrize("kind, layout", [
    ("resident_copy", "household"), ("resident_copy", "individual"), ("resident_items", "household"),
    ("removed_copy", "individual"), ("removed_items", "individual"), ("move_out", "household"),
    ("move_out_equivalent", "household"), ("resident_code_notice", "individual"),
])
def test_the_kind_renders_with_its_title_and_wording(yamada, clerk, kind, layout, either_renderer):
    spec = rules.KINDS[kind]
    persons = [yamada["head"], yamada["wife"], yamada["child"]]
    if spec.subjects != rules.LIVING:
        days = 7 if spec.subjects == rules.MOVED_OUT else -7
        planned = timezone.localdate() + timedelta(days=days)
        do_move_out({"household_number": yamada["household"], "effective_on": planned.isoformat(),
                     "notified_on": (min(planned, timezone.localdate())).isoformat(),
                     "destination": {"address": "東京都港区芝公園4丁目2番8号", "address_supplement": "芝公園ハウス201"}},
                    actor=actor(clerk))
        persons = list(Resident.objects.filter(pk__in=[p.pk for p in persons]).order_by("household_order"))
    if layout == "individual":
        persons = persons[:1]
    params = request_for(*persons, kind=kind, layout=layout, purpose="手続のため")
    result = issue(clerk, params)
    text = pdf_text(result.pdf)
    assert spec.label in text
    wording = [w for w in (spec.attestation_all, spec.attestation) if w] or ["あなたの住民票コードは"]
    assert any(w in text for w in wording)
    assert result.issuance.issue_numbers[0] in text
    suffix = "" if either_renderer == "form" else "-weasyprint"
    assert save_png(result.pdf, f"{kind}-{layout}{suffix}").stat().st_size > 10_000
