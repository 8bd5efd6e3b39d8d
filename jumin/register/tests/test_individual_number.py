"""個人番号の職権記載・変更請求・職権修正: check digit (standard-spec §7.1) and one number per person."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_move_out, do_set_individual_number
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory

HEAD_NUMBER = "123456789018"     # the head's number in family_params()
FREE_NUMBER = "987654321018"
OTHER_NUMBER = "111222333446"


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number")))


def request(number, action, individual_number, **overrides):
    params = {"addressee_number": number, "action": action, "individual_number": individual_number,
              "effective_on": "R6.6.10", "notified_on": "R6.6.10"}
    params.update(overrides)
    return params


def test_entry_change_request_and_correction_record_their_own_reasons(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    do_set_individual_number(request(wife.addressee_number, "entry", "9876 5432 1018"), actor=actor(clerk))
    wife.refresh_from_db()
    assert wife.individual_number == FREE_NUMBER
    change = do_set_individual_number(request(wife.addressee_number, "change_request", OTHER_NUMBER),
                                      actor=actor(clerk))
    assert OTHER_NUMBER not in change.summary
    do_set_individual_number(request(wife.addressee_number, "correction", "555666777885"), actor=actor(clerk))
    rows = list(ResidentHistory.objects.filter(addressee_number=wife.addressee_number).order_by("history_number")
                .values_list("history_number", "reason_code", "individual_number"))
    assert rows == [(1, "move_in_domestic", ""), (2, "individual_number_entry", FREE_NUMBER),
                    (3, "individual_number_change_request", OTHER_NUMBER),
                    (4, "individual_number_correction", "555666777885")]


def test_entry_is_refused_when_a_number_exists_and_a_change_request_when_none(family, clerk):
    head, wife = Resident.objects.get(name="山田 太郎"), Resident.objects.get(name="山田 花子")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_set_individual_number(request(head.addressee_number, "entry", FREE_NUMBER), actor=actor(clerk))
    assert refusal.value.code == "already_recorded"
    with pytest.raises(RuleViolation) as refusal:
        do_set_individual_number(request(wife.addressee_number, "change_request", FREE_NUMBER), actor=actor(clerk))
    assert refusal.value.code == "not_recorded"
    with pytest.raises(RuleViolation) as refusal:
        do_set_individual_number(request(head.addressee_number, "correction", HEAD_NUMBER), actor=actor(clerk))
    assert refusal.value.code == "no_change"
    assert db_state() == before


def test_a_wrong_check_digit_is_refused(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    response = api_as(clerk).post("/changes/individual-number",
                                  request(wife.addressee_number, "entry", "987654321019"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "check_digit"
    assert response.json()["error"]["field"] == "individual_number"
    assert "検査用数字" in response.json()["error"]["message"]
    assert db_state() == before


def test_a_number_another_living_record_has_is_refused(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_set_individual_number(request(wife.addressee_number, "entry", HEAD_NUMBER), actor=actor(clerk))
    assert refusal.value.code == "duplicate_number" and refusal.value.field == "individual_number"
    assert HEAD_NUMBER not in refusal.value.message
    assert db_state() == before


def test_a_number_a_removed_record_has_is_refused(family, clerk):
    head, wife = Resident.objects.get(name="山田 太郎"), Resident.objects.get(name="山田 花子")
    do_move_out({"household_number": head.household_number, "members": [head.addressee_number],
                 "new_head": wife.addressee_number, "remaining_relationships": {
                     Resident.objects.get(name="山田 一郎").addressee_number: "子"},
                 "effective_on": "R6.5.1", "notified_on": "R6.5.1", "destination": {"address": "東京都港区"}},
                actor=actor(clerk))
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_set_individual_number(request(wife.addressee_number, "entry", HEAD_NUMBER), actor=actor(clerk))
    assert refusal.value.code == "duplicate_number"
    assert db_state() == before


def test_an_individual_number_through_the_api(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    response = api_as(clerk).post("/changes/individual-number", request(wife.addressee_number, "entry", FREE_NUMBER))
    assert response.status_code == 201, response.content
    assert FREE_NUMBER not in response.content.decode()
    response = api_as(clerk).post("/changes/individual-number", request("0000000000", "entry", OTHER_NUMBER))
    assert response.status_code == 404


def test_only_a_correction_may_be_made_on_a_removed_record(family, clerk):
    head, wife, child = (Resident.objects.get(name=n) for n in ("山田 太郎", "山田 花子", "山田 一郎"))
    do_move_out({"household_number": head.household_number, "members": [child.addressee_number],
                 "effective_on": "R6.5.1", "notified_on": "R6.5.1", "destination": {"address": "東京都港区"}},
                actor=actor(clerk))
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_set_individual_number(request(child.addressee_number, "entry", FREE_NUMBER), actor=actor(clerk))
    assert refusal.value.code == "removed_record"
    assert db_state() == before

    do_set_individual_number(request(child.addressee_number, "correction", FREE_NUMBER), actor=actor(clerk))
    child.refresh_from_db()
    assert (child.status, child.individual_number, child.history_number) == ("removed", FREE_NUMBER, 3)
