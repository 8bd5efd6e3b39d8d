"""成年被後見人 (standard-spec §5.1): refused by default; where the municipality allows it, registered with the
guardian present, whose name is kept on the 原票."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_correct_record
from jumin.register.models import Resident
from jumin.seals.tests.conftest import register, seal_scan, seal_state


@pytest.fixture
def ward(yamada, clerk):
    do_correct_record({"addressee_number": yamada["wife"].addressee_number, "correction_kind": "ex_officio_correction",
                       "effective_on": "R8.11.21", "reason": "後見登記の通知", "items": {"adult_ward": True}},
                      actor=actor(clerk))
    return Resident.objects.get(pk=yamada["wife"].pk)


def test_refused_by_default(ward, clerk):
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        register(clerk, ward, seal_scan("花子"), represents="given_name", guardian_present=True,
                 guardian_name="後見 人子")
    assert refusal.value.code == "adult_ward" and seal_state() == before


def test_allowed_with_the_guardian_present(ward, clerk, seal_settings):
    seal_settings.adult_ward_with_guardian = True
    seal_settings.save()
    with pytest.raises(RuleViolation) as refusal:
        register(clerk, ward, seal_scan("花子"), represents="given_name")
    assert refusal.value.code == "guardian_required"
    registration = register(clerk, ward, seal_scan("花子"), represents="given_name", guardian_present=True,
                            guardian_name="後見 人子")
    assert registration.guardian_name == "後見 人子"
