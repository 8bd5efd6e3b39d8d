"""世帯分離 (standard-spec §3.2): some members form a new household at the same address."""

import pytest

from conftest import actor, register_state
from jumin.register.tests.helpers import history, person
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_record_death, do_split_household
from jumin.register.models import Household, Resident, ResidentHistory


def split(yamada, **overrides):
    params = {"household_number": yamada["household"], "effective_on": "R6.10.1", "notified_on": "R6.10.3",
              "members": [yamada["child"]], "relationships": {yamada["child"]: "世帯主"}}
    params.update(overrides)
    return params


def test_a_member_who_splits_off_heads_a_new_household_at_the_same_address(yamada, clerk):
    before = person(yamada["child"])

    change = do_split_household(split(yamada), actor=actor(clerk))

    assert change.status == "approved"
    assert change.kind == "household_split"
    assert change.summary.startswith("世帯分離 1人")
    child = person(yamada["child"])
    assert child.household_number != yamada["household"]
    assert child.relationship == "世帯主"
    assert child.head_name == "山田 一郎"
    assert child.household_order == 1
    assert (child.address, child.address_supplement, child.postcode, child.address_since) == \
        (before.address, before.address_supplement, before.postcode, before.address_since)
    assert sorted(change.result["households"]) == sorted([yamada["household"], child.household_number])
    assert history(yamada["child"]) == [(1, "move_in_domestic"), (2, "household_split")]
    snapshot = ResidentHistory.objects.get(addressee_number=yamada["child"], history_number=2)
    assert snapshot.household_number == child.household_number
    assert snapshot.head_name == "山田 一郎"
    assert snapshot.effective_on.isoformat() == "2024-10-01"
    # the head stays: nothing about the others changed, so no snapshot for them
    assert history(yamada["head"]) == [(1, "move_in_domestic")]
    assert history(yamada["wife"]) == [(1, "move_in_domestic")]
    assert [p.relationship for p in Resident.objects.filter(household_number=yamada["household"])
            .order_by("household_order")] == ["世帯主", "妻"]


def test_when_the_head_leaves_two_remaining_members_need_a_new_head_and_nothing_is_written(yamada, clerk):
    state = register_state()
    params = split(yamada, members=[yamada["head"]], relationships={yamada["head"]: "世帯主"})

    with pytest.raises(RuleViolation) as refused:
        do_split_household(params, actor=actor(clerk))

    assert refused.value.code == "head_required"
    assert refused.value.field == "new_head"
    assert register_state() == state


def test_when_the_head_leaves_the_chosen_new_head_and_the_re_set_relationships_are_recorded(yamada, clerk):
    params = split(yamada, members=[yamada["head"]], relationships={yamada["head"]: "世帯主"},
                   new_head=yamada["wife"], remaining_relationships={yamada["child"]: "子"})

    do_split_household(params, actor=actor(clerk))

    wife, child, head = person(yamada["wife"]), person(yamada["child"]), person(yamada["head"])
    assert (wife.relationship, wife.head_name, wife.household_order) == ("世帯主", "山田 花子", 1)
    assert (child.relationship, child.head_name, child.household_order) == ("子", "山田 花子", 2)
    assert (head.relationship, head.head_name, head.household_order) == ("世帯主", "山田 太郎", 1)
    assert head.household_number != yamada["household"]
    assert history(yamada["wife"])[-1] == (2, "head_change")
    assert history(yamada["child"])[-1] == (2, "head_change")
    assert history(yamada["head"])[-1] == (2, "household_split")


def test_when_the_head_leaves_the_only_remaining_member_becomes_head_ex_officio(yamada, clerk):
    params = split(yamada, members=[yamada["head"], yamada["child"]],
                   relationships={yamada["head"]: "世帯主", yamada["child"]: "子"})

    do_split_household(params, actor=actor(clerk))

    wife = person(yamada["wife"])
    assert (wife.relationship, wife.head_name, wife.household_order) == ("世帯主", "山田 花子", 1)
    assert history(yamada["wife"]) == [(1, "move_in_domestic"), (2, "head_change")]
    head, child = person(yamada["head"]), person(yamada["child"])
    assert head.household_number == child.household_number != yamada["household"]
    assert [head.household_order, child.household_order] == [1, 2]
    assert child.head_name == "山田 太郎"
    assert history(yamada["child"])[-1] == (2, "household_split")


def test_members_behind_the_one_who_leaves_keep_their_place_and_their_record(yamada, clerk):
    do_split_household(split(yamada, members=[yamada["wife"]], relationships={yamada["wife"]: "世帯主"}),
                       actor=actor(clerk))

    child = person(yamada["child"])
    assert (child.household_order, child.head_name) == (3, "山田 太郎")
    # the leaver leaves a gap in the order: nothing in the child's record changes, so no snapshot is written
    assert history(yamada["child"]) == [(1, "move_in_domestic")]
    assert history(yamada["head"]) == [(1, "move_in_domestic")]
    wife = person(yamada["wife"])
    assert (wife.relationship, wife.head_name, wife.household_order) == ("世帯主", "山田 花子", 1)


REFUSALS = [
    # (what the clerk sent, code, field)
    (lambda y: {"members": [y["head"], y["wife"], y["child"]],
                "relationships": {y["head"]: "世帯主", y["wife"]: "妻", y["child"]: "子"}}, "whole_household", "members"),
    (lambda y: {"members": []}, "required", "members"),
    (lambda y: {"relationships": {y["child"]: "孫"}}, "invalid_relationship", None),
    (lambda y: {"relationships": {y["child"]: "子"}}, "head_required", "relationships"),
    (lambda y: {"relationships": {}}, "required", None),
    (lambda y: {"relationships": {y["child"]: "世帯主", y["wife"]: "妻"}}, "not_concerned", None),
    (lambda y: {"new_head": y["wife"]}, "head_not_leaving", "new_head"),
    (lambda y: {"remaining_relationships": {y["wife"]: "妻"}}, "head_not_leaving", "remaining_relationships"),
    (lambda y: {"members": ["0000000000"]}, "not_found", "members[0]"),
    (lambda y: {"effective_on": "R9.1.1"}, "future_date", "effective_on"),
    (lambda y: {"notified_on": "R9.1.1"}, "future_date", "notified_on"),
    (lambda y: {"ex_officio": True}, "required", "reason"),
    (lambda y: {"household_number": "9999999999"}, "not_found", "household_number"),
]


@pytest.mark.parametrize("change, code, field", REFUSALS)
def test_a_refused_split_leaves_the_register_unchanged(yamada, clerk, change, code, field):
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_split_household(split(yamada, **change(yamada)), actor=actor(clerk))

    assert refused.value.code == code
    if field is not None:
        assert refused.value.field == field
    assert refused.value.message
    assert register_state() == state


def test_the_grandchild_word_is_refused_with_the_chain_to_use_instead(yamada, clerk):
    with pytest.raises(RuleViolation) as refused:
        do_split_household(split(yamada, relationships={yamada["child"]: "孫"}), actor=actor(clerk))

    assert refused.value.field == f"relationships.{yamada['child']}"
    assert "子の子" in refused.value.message


def test_a_removed_member_cannot_be_split_off(yamada, clerk):
    do_record_death({"addressee_number": yamada["child"], "effective_on": "R6.9.1"}, actor=actor(clerk))
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_split_household(split(yamada), actor=actor(clerk))

    assert refused.value.code == "removed_record"
    assert refused.value.field == "members[0]"
    assert register_state() == state


def test_in_two_step_mode_the_split_is_a_draft_until_the_approver_approves_it(yamada, municipality, clerk, approver):
    municipality.draft_required = True
    municipality.save()
    state = register_state()

    change = do_split_household(split(yamada), actor=actor(clerk))

    assert change.status == "draft"
    after = register_state()
    assert after["residents"] == state["residents"]
    assert after["households"] == state["households"]
    assert after["history"] == state["history"]

    do_approve_change(change.pk, actor=actor(approver))

    change.refresh_from_db()
    assert change.status == "approved"
    assert person(yamada["child"]).household_number != yamada["household"]
    assert history(yamada["child"]) == [(1, "move_in_domestic"), (2, "household_split")]
    assert Household.objects.count() == len(state["households"]) + 1


def test_the_api_records_a_split_and_refuses_one_that_takes_everyone(yamada, clerk, api_as):
    api = api_as(clerk)
    everyone = split(yamada, members=[yamada["head"], yamada["wife"], yamada["child"]],
                     relationships={yamada["head"]: "世帯主", yamada["wife"]: "妻", yamada["child"]: "子"})
    state = register_state()

    refused = api.post("/changes/household-split", everyone)

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "whole_household"
    assert error["field"] == "members"
    assert "世帯員全員" in error["message"]
    assert register_state() == state

    created = api.post("/changes/household-split", split(yamada))

    assert created.status_code == 201
    body = created.json()
    assert body["kind"] == "household_split"
    assert body["status"] == "approved"
    assert person(yamada["child"]).relationship == "世帯主"


def test_the_api_refuses_a_split_while_another_change_of_the_household_is_a_draft(yamada, municipality, clerk,
                                                                                  clerk2, api_as):
    municipality.draft_required = True
    municipality.save()
    assert api_as(clerk).post("/changes/household-split", split(yamada)).status_code == 201
    state = register_state()

    conflict = api_as(clerk2).post("/changes/household-split",
                                   split(yamada, members=[yamada["wife"]], relationships={yamada["wife"]: "世帯主"}))

    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "pending_draft"
    assert register_state() == state
