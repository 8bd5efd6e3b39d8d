"""Corrections that are refused leave the register exactly as it was (standard-spec §2.3, §3.3)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_correct_record
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number", "version")))


def base(number, **overrides):
    params = {"addressee_number": number, "correction_kind": "ex_officio_correction", "effective_on": "R6.6.3",
              "reason": "戸籍の附票と照合したため"}
    params.update(overrides)
    return params


@pytest.mark.parametrize("who, overrides, field, code", [
    ("山田 花子", {"reason": "", "items": {"name": "山田 華子"}}, "reason", "required"),
    ("山田 花子", {"items": {"name": "山田 花子"}}, "items", "no_change"),
    ("山田 花子", {"items": {}}, "items", "no_change"),
    ("山田 花子", {"items": {"individual_number": "987654321018"}}, "items.individual_number", "not_correctable"),
    ("山田 花子", {"items": {"resident_code": "98765432103"}}, "items.resident_code", "not_correctable"),
    ("山田 花子", {"items": {"household_number": "0000000019"}}, "items.household_number", "not_correctable"),
    ("山田 花子", {"items": {"resident_type": "foreign"}}, "items.resident_type", "not_correctable"),
    ("山田 花子", {"items": {"relationship": "世帯主"}}, "items.relationship", "head_change_required"),
    ("山田 太郎", {"items": {"relationship": "夫"}}, "items.relationship", "head_change_required"),
    ("山田 花子", {"items": {"domicile_status": ""}}, "items.domicile_status", "required"),
    ("山田 花子", {"items": {"domicile": ""}}, "items.domicile", "required"),
    ("山田 花子", {"items": {"nationality": "韓国"}}, "items.nationality", "invalid"),
    ("山田 花子", {"items": {"former_surname": "鈴木"}}, "items.former_surname", "not_correctable"),
    ("山田 花子", {"items": {"birth_date": "R99.1.1"}}, "items.birth_date", None),
    ("山田 花子", {"items": {"nickname": "はなちゃん"}}, "items.nickname", "unknown_field"),
])
def test_a_refused_correction_changes_nothing(family, clerk, who, overrides, field, code):
    person = Resident.objects.get(name=who)
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_correct_record(base(person.addressee_number, **overrides), actor=actor(clerk))
    assert refusal.value.field == field
    if code:
        assert refusal.value.code == code
    assert db_state() == before
