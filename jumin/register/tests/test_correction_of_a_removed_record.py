"""A 除票 may only be corrected by 誤記修正; 職権修正 and 軽微な修正 are for living records (standard-spec §3.3)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_correct_record, do_move_out
from jumin.register.models import Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list("addressee_number", "name", "status",
                                                                            "removed_on", "history_number")))


@pytest.fixture
def moved_out_child(family, clerk):
    child = Resident.objects.get(name="山田 一郎")
    do_move_out({"household_number": child.household_number, "members": [child.addressee_number],
                 "effective_on": "R6.5.1", "notified_on": "R6.5.1", "destination": {"address": "東京都港区芝公園4丁目2番8号"}},
                actor=actor(clerk))
    child.refresh_from_db()
    return child


def test_a_removed_record_can_get_a_clerical_correction(moved_out_child, clerk):
    do_correct_record({"addressee_number": moved_out_child.addressee_number, "correction_kind": "clerical_correction",
                       "effective_on": "R6.6.1", "reason": "転出証明書の記載誤り",
                       "items": {"name": "山田 一朗", "removed_on": "R6.5.2"}}, actor=actor(clerk))
    moved_out_child.refresh_from_db()
    assert moved_out_child.status == "removed"
    assert (moved_out_child.name, str(moved_out_child.removed_on)) == ("山田 一朗", "2024-05-02")
    assert moved_out_child.history_number == 3
    assert ResidentHistory.objects.get(addressee_number=moved_out_child.addressee_number,
                                       history_number=3).reason_code == "clerical_correction"


@pytest.mark.parametrize("kind", ["ex_officio_correction", "minor_correction"])
def test_other_corrections_of_a_removed_record_are_refused(moved_out_child, clerk, kind):
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_correct_record({"addressee_number": moved_out_child.addressee_number, "correction_kind": kind,
                           "effective_on": "R6.6.1", "reason": "誤り", "items": {"name": "山田 一朗"}},
                          actor=actor(clerk))
    assert refusal.value.code == "removed_record" and "誤記修正" in refusal.value.message
    assert db_state() == before


def test_the_removal_date_of_a_living_record_cannot_be_corrected(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_correct_record({"addressee_number": wife.addressee_number, "correction_kind": "clerical_correction",
                           "effective_on": "R6.6.1", "reason": "誤り", "items": {"removed_on": "R6.5.2"}},
                          actor=actor(clerk))
    assert refusal.value.field == "items.removed_on"
    assert db_state() == before
