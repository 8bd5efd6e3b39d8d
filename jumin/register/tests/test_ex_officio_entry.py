"""職権記載 (住所設定): like a 転入 without a 届出; reason required; 転入前住所 may be 「不明」 (standard-spec §3.3)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_ex_officio_entry
from jumin.register.models import Change, Household, Resident, ResidentHistory


def entry_params(**overrides):
    params = {
        "effective_on": "R6.4.10",
        "reason": "居住の実態を確認したため住所を設定（実態調査 令和6年4月10日）",
        "address": {"address": "宮城県仙台市青葉区国分町三丁目7番1号"},
        "previous_address": {"address": "不明"},
        "members": [
            {"name": "佐藤 健", "name_kana": "サトウ ケン", "birth_date": "S60.1.15", "sex": "1",
             "relationship": "世帯主", "domicile_status": "unknown"},
        ],
    }
    params.update(overrides)
    return params


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count())


def test_an_ex_officio_entry_sets_up_a_new_household_with_an_unknown_previous_address(single_step, clerk):
    change = do_ex_officio_entry(entry_params(), actor=actor(clerk))

    assert change.status == "approved" and change.ex_officio
    assert change.reason.startswith("居住の実態")
    person = Resident.objects.get(name="佐藤 健")
    assert person.status == "resident" and person.previous_address == "不明"
    assert person.head_name == "佐藤 健"
    assert str(person.became_resident_on) == "2024-04-10" and person.address_since == person.became_resident_on
    snapshot = ResidentHistory.objects.get(addressee_number=person.addressee_number)
    assert (snapshot.history_number, snapshot.reason_code) == (1, "ex_officio_entry")


def test_an_ex_officio_entry_may_leave_the_previous_address_blank(single_step, clerk):
    params = entry_params()
    del params["previous_address"]
    do_ex_officio_entry(params, actor=actor(clerk))
    assert Resident.objects.get(name="佐藤 健").previous_address == ""


def test_an_ex_officio_entry_can_join_an_existing_household(family, clerk):
    household = family["households"][0]
    params = entry_params(household_number=household, members=[
        {"name": "山田 ウメ", "birth_date": "S20.2.2", "sex": "2", "relationship": "母",
         "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番", "domicile_head": "山田 一"}])
    del params["address"]
    do_ex_officio_entry(params, actor=actor(clerk))

    mother = Resident.objects.get(name="山田 ウメ")
    assert mother.household_number == household
    assert mother.address == "宮城県仙台市青葉区一番町四丁目7番17号"
    assert mother.head_name == "山田 太郎" and mother.household_order == 4


def test_an_ex_officio_entry_without_a_reason_is_refused_and_nothing_is_written(single_step, clerk):
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_ex_officio_entry(entry_params(reason="  "), actor=actor(clerk))
    assert refusal.value.field == "reason" and refusal.value.code == "required"
    assert db_state() == before


def test_an_ex_officio_entry_through_the_api(single_step, clerk, api_as):
    api = api_as(clerk)
    response = api.post("/changes/ex-officio-entry", entry_params())
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "ex_officio_entry" and response.json()["status"] == "approved"

    before = db_state()
    response = api.post("/changes/ex-officio-entry", entry_params(reason=""))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "reason"
    assert response.json()["error"]["code"] == "required"
    assert "理由" in response.json()["error"]["message"]
    assert db_state() == before
