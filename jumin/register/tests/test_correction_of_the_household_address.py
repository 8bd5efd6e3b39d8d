"""軽微な修正 of the address (住居表示の実施): household_wide corrects every living member (standard-spec §3.3)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_correct_record
from jumin.register.models import Change, Household, Resident, ResidentHistory

NEW_ADDRESS = {"postcode": "9800811", "address": "宮城県仙台市青葉区一番町四丁目1番1号",
               "address_supplement": "一番町ハイツ301"}


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list("addressee_number", "address",
                                                                            "history_number")))


def params(number, **overrides):
    out = {"addressee_number": number, "correction_kind": "minor_correction", "effective_on": "R6.7.1",
           "reason": "住居表示の実施（令和6年7月1日）", "items": {}, "address": NEW_ADDRESS, "household_wide": True}
    out.update(overrides)
    return out


def test_a_household_wide_address_correction_changes_every_member_but_not_the_address_since(family, clerk):
    head = Resident.objects.get(name="山田 太郎")
    change = do_correct_record(params(head.addressee_number), actor=actor(clerk))

    members = list(Resident.objects.filter(household_number=head.household_number))
    assert {m.address for m in members} == {NEW_ADDRESS["address"]}
    assert {str(m.address_since) for m in members} == {"2024-04-01"}
    assert set(ResidentHistory.objects.filter(change=change).values_list("reason_code", flat=True)) \
        == {"minor_correction"}
    assert ResidentHistory.objects.filter(change=change).count() == 3


def test_one_members_address_cannot_be_corrected_away_from_the_household(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_correct_record(params(wife.addressee_number, household_wide=False), actor=actor(clerk))
    assert refusal.value.code == "address_mismatch"
    assert db_state() == before


def test_one_members_wrong_postcode_can_be_corrected_alone(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    address = {"postcode": "9800812", "address": wife.address, "address_supplement": wife.address_supplement,
               "address_code": wife.address_code}
    do_correct_record(params(wife.addressee_number, household_wide=False, correction_kind="clerical_correction",
                             address=address), actor=actor(clerk))
    assert Resident.objects.get(name="山田 花子").postcode == "9800812"
    assert Resident.objects.get(name="山田 太郎").postcode == "9800811"


def test_a_household_wide_correction_needs_an_address(family, clerk):
    head = Resident.objects.get(name="山田 太郎")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_correct_record(params(head.addressee_number, address=None), actor=actor(clerk))
    assert refusal.value.field == "address"
    assert db_state() == before
