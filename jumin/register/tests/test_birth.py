"""出生 (standard-spec §3.3 職権記載: 出生, §2.4 不詳日): a child keyed in joins an existing household."""

import datetime

import pytest

from conftest import actor, register_state
from jumin.register.tests.helpers import history, person
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_record_birth, do_record_death
from jumin.register.actions.base import ConfirmationRequired
from jumin.register.models import Resident, ResidentHistory


def birth(y, child=None, **overrides):
    params = {"household_number": y["household"], "effective_on": "R6.10.1", "notified_on": "R6.10.8",
              "child": {"name": "山田 二郎", "name_kana": "ヤマダ ジロウ", "sex": "1", "relationship": "子",
                        "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番", "domicile_head": "山田 太郎",
                        **(child or {})}}
    params.update(overrides)
    return params


def test_a_newborn_joins_the_household_with_the_birth_date_as_every_start_date(yamada, clerk):
    change = do_record_birth(birth(yamada), actor=actor(clerk))

    assert change.status == "approved"
    assert change.kind == "birth"
    assert change.summary.startswith("出生 山田 二郎")
    [number] = change.result["created"]
    baby, father = person(number), person(yamada["head"])
    born = datetime.date(2024, 10, 1)
    assert (baby.birth_date, baby.became_resident_on, baby.address_since) == (born, born, born)
    assert (baby.birth_date_text, baby.became_resident_on_text, baby.address_since_text) == ("", "", "")
    assert baby.notified_on == datetime.date(2024, 10, 8)
    assert (baby.address, baby.address_supplement, baby.postcode, baby.address_code) == \
        (father.address, father.address_supplement, father.postcode, father.address_code)
    assert (baby.previous_address, baby.previous_postcode) == ("", "")
    assert (baby.household_number, baby.relationship, baby.head_name, baby.household_order) == \
        (yamada["household"], "子", "山田 太郎", 4)
    assert baby.status == "resident"
    assert history(number) == [(1, "birth")]
    snapshot = ResidentHistory.objects.get(addressee_number=number)
    assert (snapshot.effective_on, snapshot.change_id, snapshot.household_number) == \
        (born, change.pk, yamada["household"])
    for number in (yamada["head"], yamada["wife"], yamada["child"]):
        assert history(number) == [(1, "move_in_domestic")]   # the household gained a member at its end only


def test_a_non_calendar_birth_date_is_kept_as_written_in_the_koseki(yamada, clerk):
    change = do_record_birth(birth(yamada, effective_on="令和5年2月29日"), actor=actor(clerk))

    baby = person(change.result["created"][0])
    assert baby.birth_date == datetime.date(2023, 2, 28)
    assert baby.birth_date_text == "令和5年2月29日"
    assert baby.became_resident_on_text == baby.address_since_text == "令和5年2月29日"
    assert change.effective_on_text == "令和5年2月29日"
    snapshot = ResidentHistory.objects.get(addressee_number=baby.addressee_number)
    assert snapshot.effective_on_text == "令和5年2月29日"


def test_an_uncertain_birth_date_is_accepted(yamada, clerk):
    change = do_record_birth(birth(yamada, effective_on="令和6年3月上旬"), actor=actor(clerk))

    baby = person(change.result["created"][0])
    assert (baby.birth_date, baby.birth_date_text) == (datetime.date(2024, 3, 1), "令和6年3月上旬")


def test_a_birth_date_given_with_the_child_must_be_the_birth_day(yamada, clerk):
    change = do_record_birth(birth(yamada, child={"birth_date": "2024-10-01"}), actor=actor(clerk))
    assert person(change.result["created"][0]).birth_date == datetime.date(2024, 10, 1)

    state = register_state()
    with pytest.raises(RuleViolation) as refused:
        do_record_birth(birth(yamada, child={"name": "山田 三郎", "birth_date": "2024-09-30"}), actor=actor(clerk))
    assert (refused.value.code, refused.value.field) == ("birth_date_mismatch", "child.birth_date")
    assert register_state() == state


def test_a_foreign_newborn_gets_the_foreign_resident_start_date(yamada, clerk):
    change = do_record_birth(birth(yamada, child={
        "resident_type": "foreign", "name": "SMITH EMMA", "name_alphabet": "SMITH EMMA", "sex": "2",
        "relationship": "同居人", "domicile_status": None, "domicile": None, "domicile_head": None,
        "nationality": "アメリカ合衆国", "article_30_45": "transitional", "transitional_reason": "birth"}),
        actor=actor(clerk))

    baby = person(change.result["created"][0])
    assert baby.resident_type == "foreign"
    assert baby.foreign_resident_since == baby.birth_date == datetime.date(2024, 10, 1)
    assert baby.domicile_status == ""
    assert baby.relationship == "同居人"


def test_twins_with_the_same_name_need_confirmation(yamada, clerk):
    do_record_birth(birth(yamada), actor=actor(clerk))
    state = register_state()

    with pytest.raises(ConfirmationRequired) as refused:
        do_record_birth(birth(yamada), actor=actor(clerk))
    assert [a.code for a in refused.value.alerts] == ["three_info_match:child"]
    assert refused.value.alerts[0].field == "child"
    assert register_state() == state

    change = do_record_birth(birth(yamada, acknowledged_alerts=["three_info_match:child"]), actor=actor(clerk))
    assert change.status == "approved"


REFUSALS = [
    (lambda y: {"effective_on": "R9.1.1"}, "future_date", "effective_on"),
    (lambda y: {"effective_on": "令和9年頃"}, "future_date", "effective_on"),
    (lambda y: {"effective_on": None}, "required", "effective_on"),
    (lambda y: {"effective_on": "年月日不詳"}, "date_unknown", "effective_on"),
    (lambda y: {"child": {}}, "required", "child"),
    (lambda y: {"household_number": "9999999999"}, "not_found", "household_number"),
    (lambda y: birth(y, child={"relationship": "孫"}), "invalid_relationship", "child.relationship"),
    (lambda y: birth(y, child={"relationship": "世帯主"}), "invalid", "child.relationship"),
    (lambda y: birth(y, child={"relationship": None}), "required", "child.relationship"),
    (lambda y: birth(y, child={"name": ""}), "required", "child.name"),
    (lambda y: birth(y, child={"domicile_status": None}), "required", "child.domicile_status"),
    (lambda y: birth(y, child={"favourite_colour": "青"}), "unknown_field", "child.favourite_colour"),
    (lambda y: birth(y, child={"reentry_of": y["child"]}), "unknown_field", "child.reentry_of"),
    (lambda y: birth(y, child={"individual_number": "123456789018"}), "already_resident", "child"),
    (lambda y: {"ex_officio": True}, "required", "reason"),
]


@pytest.mark.parametrize("change, code, field", REFUSALS)
def test_a_refused_birth_leaves_the_register_unchanged(yamada, clerk, change, code, field):
    state = register_state()
    params = birth(yamada)
    params.update(change(yamada))

    with pytest.raises(RuleViolation) as refused:
        do_record_birth(params, actor=actor(clerk))

    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message
    assert register_state() == state


def test_a_birth_into_a_household_whose_members_are_all_removed_is_refused(single_step, clerk):
    from conftest import family_params
    from jumin.register.actions import do_move_in

    alone = do_move_in(family_params(members=family_params()["members"][:1]), actor=actor(clerk)).result
    do_record_death({"addressee_number": alone["created"][0], "effective_on": "R6.9.1"}, actor=actor(clerk))
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_record_birth(birth({"household": alone["households"][0]}), actor=actor(clerk))

    assert refused.value.code == "empty_household"
    assert register_state() == state


def test_in_two_step_mode_the_birth_is_a_draft_until_approved(yamada, municipality, clerk, approver):
    municipality.draft_required = True
    municipality.save()
    state = register_state()

    change = do_record_birth(birth(yamada), actor=actor(clerk))

    assert change.status == "draft"
    assert Resident.objects.count() == len(state["residents"])
    assert register_state()["residents"] == state["residents"]

    do_approve_change(change.pk, actor=actor(approver))

    change.refresh_from_db()
    [number] = change.result["created"]
    assert person(number).name == "山田 二郎"
    assert history(number) == [(1, "birth")]
    assert Resident.objects.count() == len(state["residents"]) + 1


def test_the_api_records_a_birth_and_refuses_a_forbidden_relationship(yamada, clerk, api_as):
    api = api_as(clerk)
    state = register_state()

    refused = api.post("/changes/birth", birth(yamada, child={"relationship": "孫"}))

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_relationship", "child.relationship")
    assert "子の子" in error["message"]
    assert register_state() == state

    created = api.post("/changes/birth", birth(yamada, effective_on="令和6年10月1日"))

    assert created.status_code == 201
    body = created.json()
    assert (body["kind"], body["status"]) == ("birth", "approved")
    assert len(body["result"]["created"]) == 1
    assert Resident.objects.count() == len(state["residents"]) + 1
