"""世帯主変更 (standard-spec §3.2): a member becomes 世帯主 and every member's 続柄 is re-set."""

import pytest

from conftest import actor, register_state
from jumin.register.tests.helpers import history, person
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_change_head, do_record_death
from jumin.register.models import Resident, ResidentHistory


def head_change(y, who="wife", **overrides):
    relationships = {
        "wife": {y["wife"]: "世帯主", y["head"]: "夫", y["child"]: "子"},
        "child": {y["child"]: "世帯主", y["head"]: "父", y["wife"]: "母"},
    }[who]
    params = {"household_number": y["household"], "new_head": y[who], "relationships": relationships,
              "effective_on": "R6.10.1", "notified_on": "R6.10.2"}
    params.update(overrides)
    return params


def test_the_new_head_and_the_re_set_relationships_are_recorded_for_every_member(yamada, clerk):
    change = do_change_head(head_change(yamada), actor=actor(clerk))

    assert change.status == "approved"
    assert change.summary.startswith("世帯主変更 山田 花子")
    members = list(Resident.objects.filter(household_number=yamada["household"]).order_by("household_order"))
    assert [(m.name, m.relationship, m.household_order, m.head_name) for m in members] == [
        ("山田 花子", "世帯主", 1, "山田 花子"),
        ("山田 太郎", "夫", 2, "山田 花子"),
        ("山田 一郎", "子", 3, "山田 花子"),
    ]
    for number in (yamada["head"], yamada["wife"], yamada["child"]):
        assert history(number) == [(1, "move_in_domestic"), (2, "head_change")]
        snapshot = ResidentHistory.objects.get(addressee_number=number, history_number=2)
        assert snapshot.head_name == "山田 花子"
        assert snapshot.change_id == change.pk
        assert person(number).history_number == 2


def test_the_household_is_put_in_standard_order_around_the_new_head(yamada, clerk):
    do_change_head(head_change(yamada, "child"), actor=actor(clerk))

    members = Resident.objects.filter(household_number=yamada["household"]).order_by("household_order")
    assert [(m.name, m.relationship, m.household_order) for m in members] == [
        ("山田 一郎", "世帯主", 1), ("山田 太郎", "父", 2), ("山田 花子", "母", 3)]


REFUSALS = [
    (lambda y: {"new_head": y["head"]}, "already_head", "new_head"),
    (lambda y: {"new_head": "0000000000"}, "not_found", "new_head"),
    (lambda y: {"new_head": None}, "required", "new_head"),
    (lambda y: {"relationships": {y["wife"]: "妻", y["head"]: "夫", y["child"]: "子"}}, "head_mismatch", None),
    (lambda y: {"relationships": {y["wife"]: "世帯主", y["head"]: "世帯主", y["child"]: "子"}}, "head_mismatch", None),
    (lambda y: {"relationships": {y["wife"]: "世帯主", y["head"]: "夫"}}, "required", None),
    (lambda y: {"relationships": {y["wife"]: "世帯主", y["head"]: "夫", y["child"]: "孫"}}, "invalid_relationship",
     None),
    (lambda y: {"relationships": {y["wife"]: "世帯主", y["head"]: "夫", y["child"]: "子", "1234567890": "子"}},
     "not_concerned", None),
    (lambda y: {"effective_on": "R9.1.1"}, "future_date", "effective_on"),
    (lambda y: {"ex_officio": True}, "required", "reason"),
]


@pytest.mark.parametrize("change, code, field", REFUSALS)
def test_a_refused_head_change_leaves_the_register_unchanged(yamada, clerk, change, code, field):
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_change_head(head_change(yamada, **change(yamada)), actor=actor(clerk))

    assert refused.value.code == code
    if field is not None:
        assert refused.value.field == field
    assert refused.value.message
    assert register_state() == state


def test_a_removed_member_cannot_become_head(yamada, clerk):
    do_record_death({"addressee_number": yamada["child"], "effective_on": "R6.9.1"}, actor=actor(clerk))
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_change_head({"household_number": yamada["household"], "new_head": yamada["child"], "effective_on": "R6.10.1",
                        "relationships": {yamada["child"]: "世帯主", yamada["head"]: "父", yamada["wife"]: "母"}},
                       actor=actor(clerk))

    assert (refused.value.code, refused.value.field) == ("removed_record", "new_head")
    assert register_state() == state


def test_a_head_change_by_ex_officio_keeps_its_reason(yamada, clerk):
    change = do_change_head(head_change(yamada, ex_officio=True, reason="世帯主の申出によらず実態調査により職権で変更"),
                            actor=actor(clerk))

    assert change.ex_officio
    assert change.reason == "世帯主の申出によらず実態調査により職権で変更"


def test_in_two_step_mode_the_head_change_is_a_draft_until_approved(yamada, municipality, clerk, approver):
    municipality.draft_required = True
    municipality.save()
    state = register_state()

    change = do_change_head(head_change(yamada), actor=actor(clerk))

    assert change.status == "draft"
    assert register_state()["residents"] == state["residents"]
    assert ResidentHistory.objects.count() == state["history"]

    do_approve_change(change.pk, actor=actor(approver))

    assert person(yamada["wife"]).relationship == "世帯主"
    assert person(yamada["child"]).head_name == "山田 花子"
    assert ResidentHistory.objects.count() == state["history"] + 3


def test_the_api_records_a_head_change_and_refuses_a_second_head(yamada, clerk, api_as):
    api = api_as(clerk)
    state = register_state()

    refused = api.post("/changes/head-change", head_change(yamada, relationships={
        yamada["wife"]: "世帯主", yamada["head"]: "世帯主", yamada["child"]: "子"}))

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "head_mismatch"
    assert error["field"] == f"relationships.{yamada['head']}"
    assert "世帯主は1人だけ" in error["message"]
    assert register_state() == state

    created = api.post("/changes/head-change", head_change(yamada))

    assert created.status_code == 201
    assert created.json()["kind"] == "head_change"
    assert person(yamada["head"]).relationship == "夫"
