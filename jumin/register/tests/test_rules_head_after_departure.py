import pytest

from jumin.core.errors import RuleViolation
from jumin.register.rules import HeadDecision, decide_head_after_departure

HOUSEHOLD = ["h", "w", "c"]


def test_nothing_changes_when_the_head_stays():
    decision = decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["c"])

    assert decision == HeadDecision(head_leaves=False, remaining=("h", "w"), automatic_new_head=None, new_head=None)


def test_the_only_remaining_member_becomes_head_ex_officio():
    decision = decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["h", "c"])

    assert decision.head_leaves
    assert decision.remaining == ("w",)
    assert decision.automatic_new_head == "w"
    assert decision.new_head == "w"


def test_a_new_head_must_be_chosen_when_two_or_more_members_remain():
    with pytest.raises(RuleViolation) as refused:
        decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["h"])

    error = refused.value
    assert error.message == "世帯主が異動するため、残る世帯員（2人）から新しい世帯主を指定してください。"
    assert error.field == "new_head"
    assert error.code == "head_required"


def test_a_chosen_new_head_among_the_remaining_members_is_accepted():
    decision = decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["h"], chosen_new_head="c")

    assert decision == HeadDecision(head_leaves=True, remaining=("w", "c"), automatic_new_head=None, new_head="c")


@pytest.mark.parametrize("chosen", ["h", "someone_else"])
def test_a_chosen_new_head_who_does_not_remain_is_refused(chosen):
    with pytest.raises(RuleViolation) as refused:
        decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["h"], chosen_new_head=chosen)

    assert refused.value.field == "new_head"
    assert "残る世帯員" in refused.value.message


def test_with_one_member_remaining_the_chosen_head_must_be_that_member():
    assert decide_head_after_departure(
        head="h", members=HOUSEHOLD, leaving=["h", "c"], chosen_new_head="w"
    ).new_head == "w"
    with pytest.raises(RuleViolation):
        decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["h", "c"], chosen_new_head="c")


def test_no_head_is_needed_when_the_whole_household_leaves():
    decision = decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=HOUSEHOLD)

    assert decision == HeadDecision(head_leaves=True, remaining=(), automatic_new_head=None, new_head=None)


def test_a_household_without_a_recorded_head_is_left_as_it_is():
    decision = decide_head_after_departure(head=None, members=HOUSEHOLD, leaving=["c"])

    assert decision == HeadDecision(head_leaves=False, remaining=("h", "w"), automatic_new_head=None)


def test_a_chosen_new_head_is_ignored_while_the_head_stays():
    decision = decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["c"], chosen_new_head="w")

    assert decision == HeadDecision(head_leaves=False, remaining=("h", "w"), automatic_new_head=None, new_head=None)


def test_leaving_members_must_belong_to_the_household():
    with pytest.raises(ValueError):
        decide_head_after_departure(head="h", members=HOUSEHOLD, leaving=["stranger"])
