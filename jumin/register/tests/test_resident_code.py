"""住民票コードの記載・変更請求・修正: check digit (standard-spec §7.2) and one code per person."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_set_resident_code
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory

HEAD_CODE = "12345678903"       # the head's code in family_params()


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number")))


def request(number, action, code, **overrides):
    params = {"addressee_number": number, "action": action, "resident_code": code, "effective_on": "R6.6.10"}
    params.update(overrides)
    return params


def test_entry_change_request_and_correction_record_their_own_reasons(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    do_set_resident_code(request(wife.addressee_number, "entry", "24727059608"), actor=actor(clerk))
    do_set_resident_code(request(wife.addressee_number, "change_request", "98765432103"), actor=actor(clerk))
    do_set_resident_code(request(wife.addressee_number, "correction", "11122233342"), actor=actor(clerk))
    rows = list(ResidentHistory.objects.filter(addressee_number=wife.addressee_number).order_by("history_number")
                .values_list("reason_code", "resident_code"))
    assert rows == [("move_in_domestic", ""), ("resident_code_entry", "24727059608"),
                    ("resident_code_change_request", "98765432103"), ("clerical_correction", "11122233342")]


def test_a_wrong_check_digit_or_a_code_someone_else_has_is_refused(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_set_resident_code(request(wife.addressee_number, "entry", "24727059609"), actor=actor(clerk))
    assert refusal.value.code == "check_digit" and refusal.value.field == "resident_code"
    response = api_as(clerk).post("/changes/resident-code", request(wife.addressee_number, "entry", HEAD_CODE))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "duplicate_number"
    with pytest.raises(RuleViolation) as refusal:
        do_set_resident_code(request(wife.addressee_number, "change_request", "24727059608"), actor=actor(clerk))
    assert refusal.value.code == "not_recorded"
    assert db_state() == before


def test_a_resident_code_through_the_api(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    response = api_as(clerk).post("/changes/resident-code", request(wife.addressee_number, "entry", "24727059608"))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "resident_code"
