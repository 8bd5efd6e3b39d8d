"""世帯合併 (standard-spec §3.2): every member of a household joins another household at the same address."""

import pytest

from conftest import actor, family_params, register_state
from jumin.register.tests.helpers import history, person
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_merge_household, do_move_in
from jumin.register.models import Resident, ResidentHistory


GRANDPARENTS = [
    {"name": "山田 ウメ", "name_kana": "ヤマダ ウメ", "birth_date": "S20.1.10", "sex": "2", "relationship": "世帯主",
     "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区国分町一丁目1番", "domicile_head": "山田 松男"},
    {"name": "山田 松男", "name_kana": "ヤマダ マツオ", "birth_date": "S18.8.8", "sex": "1", "relationship": "夫",
     "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区国分町一丁目1番", "domicile_head": "山田 松男"},
]


@pytest.fixture
def yamada(family, clerk):
    head, wife, child = family["created"]
    grandparents = do_move_in(family_params(effective_on="R6.6.1", notified_on="R6.6.1", members=GRANDPARENTS),
                              actor=actor(clerk)).result
    return {"head": head, "wife": wife, "child": child, "household": family["households"][0],
            "grandma": grandparents["created"][0], "grandpa": grandparents["created"][1],
            "old_household": grandparents["households"][0]}


def merge(y, **overrides):
    params = {"household_number": y["old_household"], "into_household_number": y["household"],
              "effective_on": "R6.10.1", "relationships": {y["grandma"]: "母", y["grandpa"]: "父"}}
    params.update(overrides)
    return params


def test_every_member_of_the_absorbed_household_joins_the_other_household(yamada, clerk):
    change = do_merge_household(merge(yamada), actor=actor(clerk))

    assert change.status == "approved"
    assert change.summary.startswith("世帯合併 2人")
    members = list(Resident.objects.filter(household_number=yamada["household"]).order_by("household_order"))
    assert [(m.name, m.relationship, m.household_order) for m in members] == [
        ("山田 太郎", "世帯主", 1), ("山田 花子", "妻", 2), ("山田 一郎", "子", 3),
        ("山田 松男", "父", 4), ("山田 ウメ", "母", 5),   # newcomers appended, among themselves in standard order
    ]
    assert {m.head_name for m in members} == {"山田 太郎"}
    assert not Resident.objects.filter(household_number=yamada["old_household"], status="resident").exists()
    assert history(yamada["grandma"]) == [(1, "move_in_domestic"), (2, "household_merge")]
    assert history(yamada["grandpa"]) == [(1, "move_in_domestic"), (2, "household_merge")]
    snapshot = ResidentHistory.objects.get(addressee_number=yamada["grandma"], history_number=2)
    assert (snapshot.household_number, snapshot.relationship, snapshot.head_name) == \
        (yamada["household"], "母", "山田 太郎")
    # the receiving household's members keep their records: no new snapshot
    for number in (yamada["head"], yamada["wife"], yamada["child"]):
        assert history(number) == [(1, "move_in_domestic")]
    assert set(change.result["households"]) == {yamada["household"], yamada["old_household"]}


def test_households_at_different_addresses_cannot_be_merged(family, clerk):
    head = family["created"][0]
    other = do_move_in(family_params(members=GRANDPARENTS, address={"address": "宮城県仙台市泉区泉中央一丁目1番1号"}),
                       actor=actor(clerk)).result
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_merge_household({"household_number": other["households"][0],
                            "into_household_number": family["households"][0], "effective_on": "R6.10.1",
                            "relationships": {other["created"][0]: "母", other["created"][1]: "父"}},
                           actor=actor(clerk))

    assert refused.value.message == "住所が異なる世帯は合併できません。先に転居を記録してください。"
    assert refused.value.code == "address_differs"
    assert refused.value.field == "into_household_number"
    assert register_state() == state
    assert person(head).household_number == family["households"][0]


def test_the_same_address_with_another_supplement_is_another_address(family, clerk):
    other = do_move_in(family_params(members=GRANDPARENTS[:1], address={
        **family_params()["address"], "address_supplement": "一番町ハイツ302"}), actor=actor(clerk)).result
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_merge_household({"household_number": other["households"][0],
                            "into_household_number": family["households"][0], "effective_on": "R6.10.1",
                            "relationships": {other["created"][0]: "母"}}, actor=actor(clerk))

    assert refused.value.code == "address_differs"
    assert register_state() == state


REFUSALS = [
    (lambda y: {"into_household_number": y["old_household"]}, "same_household", "into_household_number"),
    (lambda y: {"into_household_number": ""}, "required", "into_household_number"),
    (lambda y: {"into_household_number": "9999999999"}, "not_found", "into_household_number"),
    (lambda y: {"relationships": {y["grandma"]: "世帯主", y["grandpa"]: "父"}}, "head_not_allowed", None),
    (lambda y: {"relationships": {y["grandma"]: "祖母", y["grandpa"]: "父"}}, "invalid_relationship", None),
    (lambda y: {"relationships": {y["grandma"]: "孫", y["grandpa"]: "父"}}, "invalid_relationship", None),
    (lambda y: {"relationships": {y["grandma"]: "母"}}, "required", None),
    (lambda y: {"relationships": {y["grandma"]: "母", y["grandpa"]: "父", y["child"]: "子"}}, "not_concerned", None),
    (lambda y: {"effective_on": "R9.1.1"}, "future_date", "effective_on"),
    (lambda y: {"effective_on": "R6年頃"}, "calendar_date_required", "effective_on"),
    (lambda y: {"ex_officio": True, "reason": "  "}, "required", "reason"),
]


@pytest.mark.parametrize("change, code, field", REFUSALS)
def test_a_refused_merge_leaves_the_register_unchanged(yamada, clerk, change, code, field):
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_merge_household(merge(yamada, **change(yamada)), actor=actor(clerk))

    assert refused.value.code == code
    if field is not None:
        assert refused.value.field == field
    assert refused.value.message
    assert register_state() == state


def test_nobody_absorbed_may_become_head_of_the_receiving_household(yamada, clerk):
    with pytest.raises(RuleViolation) as refused:
        do_merge_household(merge(yamada, relationships={yamada["grandma"]: "世帯主", yamada["grandpa"]: "父"}),
                           actor=actor(clerk))

    assert refused.value.field == f"relationships.{yamada['grandma']}"
    assert "世帯主変更" in refused.value.message


def test_in_two_step_mode_the_merge_is_a_draft_until_the_approver_approves_it(yamada, municipality, clerk, approver):
    municipality.draft_required = True
    municipality.save()
    state = register_state()

    change = do_merge_household(merge(yamada), actor=actor(clerk))

    assert change.status == "draft"
    assert register_state()["residents"] == state["residents"]
    assert ResidentHistory.objects.count() == state["history"]

    do_approve_change(change.pk, actor=actor(approver))

    assert person(yamada["grandma"]).household_number == yamada["household"]
    assert ResidentHistory.objects.count() == state["history"] + 2


def test_the_api_merges_households_and_refuses_a_household_into_itself(yamada, clerk, api_as):
    api = api_as(clerk)
    state = register_state()

    refused = api.post("/changes/household-merge", merge(yamada, into_household_number=yamada["old_household"]))

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "same_household"
    assert refused.json()["error"]["field"] == "into_household_number"
    assert register_state() == state

    created = api.post("/changes/household-merge", merge(yamada))

    assert created.status_code == 201
    assert created.json()["kind"] == "household_merge"
    assert person(yamada["grandpa"]).head_name == "山田 太郎"
