"""世帯変更 (standard-spec §3.2): some members move into another household at the same address."""

import pytest

from conftest import actor, family_params, register_state
from jumin.register.tests.helpers import history, person
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_change_household, do_move_in
from jumin.register.models import Resident


GRANDMA = {"name": "山田 ウメ", "name_kana": "ヤマダ ウメ", "birth_date": "S20.1.10", "sex": "2", "relationship": "世帯主",
           "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区国分町一丁目1番", "domicile_head": "山田 松男"}


@pytest.fixture
def yamada(family, clerk):
    head, wife, child = family["created"]
    grandma = do_move_in(family_params(effective_on="R6.6.1", notified_on="R6.6.1", members=[GRANDMA]),
                         actor=actor(clerk)).result
    return {"head": head, "wife": wife, "child": child, "household": family["households"][0],
            "grandma": grandma["created"][0], "grandma_household": grandma["households"][0]}


def move(y, **overrides):
    params = {"household_number": y["household"], "into_household_number": y["grandma_household"],
              "members": [y["child"]], "relationships": {y["child"]: "子の子"}, "effective_on": "R6.10.1"}
    params.update(overrides)
    return params


def test_a_member_moves_into_another_household_at_the_same_address(yamada, clerk):
    change = do_change_household(move(yamada), actor=actor(clerk))

    assert change.status == "approved"
    assert change.summary.startswith("世帯変更 1人")
    child = person(yamada["child"])
    assert (child.household_number, child.relationship, child.head_name, child.household_order) == \
        (yamada["grandma_household"], "子の子", "山田 ウメ", 2)
    assert history(yamada["child"]) == [(1, "move_in_domestic"), (2, "household_change")]
    # the head stays in the old household and the receiving household keeps its head: no other snapshots
    assert history(yamada["head"]) == [(1, "move_in_domestic")]
    assert history(yamada["wife"]) == [(1, "move_in_domestic")]
    assert history(yamada["grandma"]) == [(1, "move_in_domestic")]
    assert [(m.relationship, m.household_order) for m in
            Resident.objects.filter(household_number=yamada["household"]).order_by("household_order")] == \
        [("世帯主", 1), ("妻", 2)]


def test_the_head_moving_out_of_a_household_of_three_needs_a_new_head_and_nothing_is_written(yamada, clerk):
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_change_household(move(yamada, members=[yamada["head"]], relationships={yamada["head"]: "子"}),
                            actor=actor(clerk))

    assert refused.value.code == "head_required"
    assert register_state() == state


def test_the_head_moving_out_with_a_chosen_new_head(yamada, clerk):
    params = move(yamada, members=[yamada["head"]], relationships={yamada["head"]: "子"}, new_head=yamada["child"],
                  remaining_relationships={yamada["wife"]: "母"})

    do_change_household(params, actor=actor(clerk))

    child, wife, head = person(yamada["child"]), person(yamada["wife"]), person(yamada["head"])
    assert (child.relationship, child.household_order, child.head_name) == ("世帯主", 1, "山田 一郎")
    assert (wife.relationship, wife.household_order, wife.head_name) == ("母", 2, "山田 一郎")
    assert (head.household_number, head.relationship, head.head_name) == (yamada["grandma_household"], "子", "山田 ウメ")
    assert history(yamada["child"])[-1] == (2, "head_change")
    assert history(yamada["wife"])[-1] == (2, "head_change")
    assert history(yamada["head"])[-1] == (2, "household_change")


def test_the_head_and_a_member_moving_out_leave_the_last_member_head_ex_officio(yamada, clerk):
    params = move(yamada, members=[yamada["head"], yamada["child"]],
                  relationships={yamada["head"]: "子", yamada["child"]: "子の子"})

    do_change_household(params, actor=actor(clerk))

    wife = person(yamada["wife"])
    assert (wife.relationship, wife.head_name, wife.household_order) == ("世帯主", "山田 花子", 1)
    assert history(yamada["wife"]) == [(1, "move_in_domestic"), (2, "head_change")]
    into = Resident.objects.filter(household_number=yamada["grandma_household"]).order_by("household_order")
    assert [(m.relationship, m.household_order) for m in into] == [("世帯主", 1), ("子", 2), ("子の子", 3)]


REFUSALS = [
    (lambda y: {"members": [y["head"], y["wife"], y["child"]],
                "relationships": {y["head"]: "子", y["wife"]: "子の妻", y["child"]: "子の子"}},
     "whole_household", "members"),
    (lambda y: {"members": None}, "required", "members"),
    (lambda y: {"into_household_number": y["household"]}, "same_household", "into_household_number"),
    (lambda y: {"into_household_number": None}, "required", "into_household_number"),
    (lambda y: {"members": [y["grandma"]], "relationships": {y["grandma"]: "母"}}, "invalid", "members[0]"),
    (lambda y: {"relationships": {y["child"]: "孫"}}, "invalid_relationship", None),
    (lambda y: {"relationships": {y["child"]: "世帯主"}}, "head_not_allowed", None),
    (lambda y: {"relationships": {y["child"]: "子の子", y["wife"]: "子の妻"}}, "not_concerned", None),
    (lambda y: {"new_head": y["wife"]}, "head_not_leaving", "new_head"),
    (lambda y: {"effective_on": None}, "required", "effective_on"),
    (lambda y: {"effective_on": "R9.1.1"}, "future_date", "effective_on"),
]


@pytest.mark.parametrize("change, code, field", REFUSALS)
def test_a_refused_household_change_leaves_the_register_unchanged(yamada, clerk, change, code, field):
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_change_household(move(yamada, **change(yamada)), actor=actor(clerk))

    assert refused.value.code == code
    if field is not None:
        assert refused.value.field == field
    assert refused.value.message
    assert register_state() == state


def test_a_household_at_another_address_cannot_be_joined_without_a_relocation(family, clerk):
    other = do_move_in(family_params(members=[GRANDMA], address={"address": "宮城県仙台市泉区泉中央一丁目1番1号"}),
                       actor=actor(clerk)).result
    child = family["created"][2]
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_change_household({"household_number": family["households"][0], "members": [child],
                             "into_household_number": other["households"][0], "relationships": {child: "子の子"},
                             "effective_on": "R6.10.1"}, actor=actor(clerk))

    assert refused.value.code == "address_differs"
    assert "転居" in refused.value.message
    assert register_state() == state


def test_in_two_step_mode_the_household_change_is_a_draft_until_approved(yamada, municipality, clerk, approver):
    municipality.draft_required = True
    municipality.save()
    state = register_state()

    change = do_change_household(move(yamada), actor=actor(clerk))

    assert change.status == "draft"
    assert register_state()["residents"] == state["residents"]

    do_approve_change(change.pk, actor=actor(approver))

    assert person(yamada["child"]).household_number == yamada["grandma_household"]
    assert history(yamada["child"])[-1] == (2, "household_change")


def test_the_api_records_a_household_change_and_refuses_moving_everyone(yamada, clerk, api_as):
    api = api_as(clerk)
    everyone = move(yamada, members=[yamada["head"], yamada["wife"], yamada["child"]],
                    relationships={yamada["head"]: "子", yamada["wife"]: "子の妻", yamada["child"]: "子の子"})
    state = register_state()

    refused = api.post("/changes/household-change", everyone)

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("whole_household", "members")
    assert "世帯合併" in error["message"]
    assert register_state() == state

    created = api.post("/changes/household-change", move(yamada))

    assert created.status_code == 201
    assert created.json()["kind"] == "household_change"
    assert person(yamada["child"]).head_name == "山田 ウメ"
