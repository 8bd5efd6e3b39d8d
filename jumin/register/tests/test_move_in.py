"""転入 through the API: a whole family in one go, drafts, 再転入 detection (standard-spec §3.2)."""

from conftest import family_params, register_state
from jumin.audit.models import OperationLog
from jumin.core.check_digits import is_valid_addressee_number
from jumin.register.models import Change, Household, Resident, ResidentHistory


def test_a_family_moves_in_as_one_household_with_numbers_and_history(single_step, clerk, api_as):
    response = api_as(clerk).post("/changes/move-in", family_params())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "approved" and len(body["result"]["created"]) == 3
    people = list(Resident.objects.order_by("household_order"))
    assert [p.name for p in people] == ["山田 太郎", "山田 花子", "山田 一郎"]
    assert len({p.household_id for p in people}) == 1 and Household.objects.count() == 1
    assert all(is_valid_addressee_number(p.addressee_number) for p in people)
    assert is_valid_addressee_number(people[0].household_number)
    taro = people[0]
    assert str(taro.birth_date) == "1980-05-05" and taro.became_resident_on == taro.address_since
    assert str(taro.became_resident_on) == "2024-04-01" and str(taro.notified_on) == "2024-04-05"
    assert taro.previous_address == "東京都千代田区千代田1番1号"
    snapshots = ResidentHistory.objects.filter(addressee_number=taro.addressee_number)
    assert [(s.history_number, s.reason_code) for s in snapshots] == [(1, "move_in_domestic")]
    assert OperationLog.objects.filter(function="change.move_in", addressee_number=taro.addressee_number).exists()


def test_in_two_step_mode_the_move_in_is_a_draft_until_approved(municipality, clerk, approver, api_as):
    response = api_as(clerk).post("/changes/move-in", family_params())
    assert response.status_code == 201 and response.json()["status"] == "draft"
    assert Resident.objects.count() == 0 and ResidentHistory.objects.count() == 0
    change_id = response.json()["id"]
    drafts = api_as(approver).get("/changes", status="draft").json()
    assert [d["id"] for d in drafts] == [change_id]
    approved = api_as(approver).post(f"/changes/{change_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Resident.objects.count() == 3 and ResidentHistory.objects.count() == 3


def test_a_new_household_without_a_head_is_refused_and_nothing_is_written(single_step, clerk, api_as):
    params = family_params()
    params["members"][0]["relationship"] = "夫"
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "head_required"
    assert register_state() == before


def test_a_person_already_living_here_cannot_move_in_twice(family, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", family_params())
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "already_resident" and error["field"] == "members[0]"
    assert register_state() == before


def test_a_re_entrant_matching_a_removed_record_by_number_must_keep_the_old_addressee_number(family, clerk, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    client = api_as(clerk)
    out = client.post("/changes/move-out", {"household_number": taro.household_number, "effective_on": "R6.6.1", "notified_on": "R6.6.1",
                                             "destination": {"address": "東京都新宿区西新宿二丁目8番1号"}})
    assert out.status_code == 201, out.content
    params = family_params(effective_on="R6.9.1", notified_on="R6.9.2")
    before = register_state()
    refused = client.post("/changes/move-in", params)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "reentry_required"
    assert refused.json()["error"]["field"] == "members[0].reentry_of"
    assert register_state() == before
    numbers = {p.name: p.addressee_number for p in Resident.objects.all()}
    for member in params["members"]:
        member["reentry_of"] = numbers[member["name"]]
    again = client.post("/changes/move-in", params)
    assert again.status_code == 201, again.content
    taro.refresh_from_db()
    assert taro.status == "resident" and taro.removal_reason == "" and taro.destination == ""
    assert list(ResidentHistory.objects.filter(addressee_number=taro.addressee_number)
                .values_list("reason_code", flat=True)) == ["move_in_domestic", "move_out_domestic", "move_in_domestic"]


def test_same_name_sex_and_birth_date_as_a_removed_record_raises_an_alert_to_confirm(family, clerk, api_as):
    client = api_as(clerk)
    hanako = Resident.objects.get(name="山田 花子")
    client.post("/changes/move-out", {"household_number": hanako.household_number, "members": [hanako.addressee_number],
                                      "effective_on": "R6.6.1", "notified_on": "R6.6.1", "destination": {"address": "大阪府大阪市北区"}})
    params = family_params(effective_on="R6.9.1", notified_on="R6.9.1")
    params["members"] = [dict(params["members"][1], relationship="世帯主")]
    before = register_state()
    response = client.post("/changes/move-in", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "confirmation_required"
    assert error["alerts"][0]["code"] == "three_info_match:members[0]"
    assert register_state() == before
    params["acknowledged_alerts"] = ["three_info_match:members[0]"]
    assert client.post("/changes/move-in", params).status_code == 201
    assert Resident.objects.filter(name="山田 花子").count() == 2


def test_resending_the_same_form_does_not_create_a_second_change(single_step, clerk, api_as):
    params = family_params(idempotency_key="form-7f3a")
    first = api_as(clerk).post("/changes/move-in", params)
    second = api_as(clerk).post("/changes/move-in", params)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Change.objects.count() == 1 and Resident.objects.count() == 3
