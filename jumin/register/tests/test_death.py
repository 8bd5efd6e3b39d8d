"""死亡 (standard-spec §3.3 職権消除: 死亡, §2.4 不詳日, §3.1 世帯主 leaving): the record becomes a 除票."""

import datetime

import pytest

from conftest import actor, family_params, register_state
from jumin.register.tests.helpers import history, person
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_move_in, do_record_death
from jumin.register.models import Resident, ResidentHistory


@pytest.fixture
def couple(single_step, clerk):
    result = do_move_in(family_params(members=family_params()["members"][:2]), actor=actor(clerk)).result
    head, wife = result["created"]
    return {"head": head, "wife": wife, "household": result["households"][0]}


def death(number, **overrides):
    params = {"addressee_number": number, "effective_on": "R6.10.1", "notified_on": "R6.10.3"}
    params.update(overrides)
    return params


def test_the_deceased_becomes_a_removed_record_with_the_death_date(yamada, clerk):
    change = do_record_death(death(yamada["wife"]), actor=actor(clerk))

    assert change.status == "approved"
    assert change.kind == "death"
    assert change.summary.startswith("死亡 山田 花子")
    wife = person(yamada["wife"])
    assert (wife.status, wife.removal_reason, wife.removed_on, wife.removed_on_text) == \
        ("removed", "death", datetime.date(2024, 10, 1), "")
    assert wife.household_number == yamada["household"]
    assert history(yamada["wife"]) == [(1, "move_in_domestic"), (2, "death")]
    snapshot = ResidentHistory.objects.get(addressee_number=yamada["wife"], history_number=2)
    assert (snapshot.status, snapshot.removal_reason, snapshot.effective_on) == \
        ("removed", "death", datetime.date(2024, 10, 1))
    head, child = person(yamada["head"]), person(yamada["child"])
    assert (head.relationship, head.household_order, head.head_name) == ("世帯主", 1, "山田 太郎")
    assert (child.relationship, child.household_order, child.head_name) == ("子", 3, "山田 太郎")
    assert history(yamada["head"]) == [(1, "move_in_domestic")]
    # the deceased leaves a gap in the order: the child's record does not change and gets no snapshot
    assert history(yamada["child"]) == [(1, "move_in_domestic")]


def test_when_the_head_dies_the_only_remaining_member_becomes_head_ex_officio(couple, clerk):
    do_record_death(death(couple["head"]), actor=actor(clerk))

    wife = person(couple["wife"])
    assert (wife.relationship, wife.head_name, wife.household_order) == ("世帯主", "山田 花子", 1)
    assert history(couple["wife"]) == [(1, "move_in_domestic"), (2, "head_change")]
    assert history(couple["head"]) == [(1, "move_in_domestic"), (2, "death")]
    assert person(couple["head"]).status == "removed"


def test_when_the_head_dies_with_two_remaining_nothing_is_written_until_a_new_head_is_named(yamada, clerk):
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_record_death(death(yamada["head"]), actor=actor(clerk))

    assert refused.value.code == "head_required"
    assert refused.value.field == "new_head"
    assert "新しい世帯主" in refused.value.message
    assert register_state() == state


def test_when_the_head_dies_the_named_new_head_is_recorded(yamada, clerk):
    change = do_record_death(death(yamada["head"], new_head=yamada["wife"]), actor=actor(clerk))

    wife, child = person(yamada["wife"]), person(yamada["child"])
    assert (wife.relationship, wife.head_name, wife.household_order) == ("世帯主", "山田 花子", 1)
    assert (child.relationship, child.head_name, child.household_order) == ("子", "山田 花子", 2)
    assert history(yamada["head"])[-1] == (2, "death")
    assert history(yamada["wife"])[-1] == (2, "head_change")
    assert history(yamada["child"])[-1] == (2, "head_change")
    assert sorted(change.result["addressee_numbers"]) == sorted([yamada["head"], yamada["wife"], yamada["child"]])


def test_when_the_head_dies_the_remaining_relationships_may_be_re_set(yamada, clerk):
    do_record_death(death(yamada["head"], new_head=yamada["child"], remaining_relationships={yamada["wife"]: "母"}),
                    actor=actor(clerk))

    members = Resident.objects.filter(household_number=yamada["household"], status="resident") \
        .order_by("household_order")
    assert [(m.name, m.relationship, m.household_order, m.head_name) for m in members] == [
        ("山田 一郎", "世帯主", 1, "山田 一郎"), ("山田 花子", "母", 2, "山田 一郎")]


def test_an_uncertain_death_date_is_kept_as_written(yamada, clerk):
    change = do_record_death(death(yamada["wife"], effective_on="令和6年9月頃"), actor=actor(clerk))

    wife = person(yamada["wife"])
    assert (wife.removed_on, wife.removed_on_text) == (datetime.date(2024, 9, 1), "令和6年9月頃")
    assert change.effective_on_text == "令和6年9月頃"


def test_a_death_recorded_twice_is_refused(yamada, clerk):
    do_record_death(death(yamada["wife"]), actor=actor(clerk))
    state = register_state()

    with pytest.raises(RuleViolation) as refused:
        do_record_death(death(yamada["wife"]), actor=actor(clerk))

    assert refused.value.code == "removed_record"
    assert refused.value.field == "addressee_number"
    assert "除票" in refused.value.message
    assert register_state() == state


def test_the_last_member_of_a_household_may_die(couple, clerk):
    do_record_death(death(couple["wife"]), actor=actor(clerk))
    do_record_death(death(couple["head"], effective_on="R6.11.1", notified_on="R6.11.2"), actor=actor(clerk))

    assert set(Resident.objects.values_list("status", flat=True)) == {"removed"}
    assert history(couple["head"])[-1] == (2, "death")


REFUSALS = [
    (lambda y: death(y["wife"], effective_on="R9.1.1"), "future_date", "effective_on"),
    (lambda y: death(y["wife"], effective_on="令和9年1月上旬"), "future_date", "effective_on"),
    (lambda y: death(y["wife"], effective_on="年月日不詳"), "date_unknown", "effective_on"),
    (lambda y: death(y["wife"], effective_on=None), "required", "effective_on"),
    (lambda y: death(y["wife"], effective_on="S50.1.1"), "before_birth", "effective_on"),
    (lambda y: death(y["wife"], notified_on="R9.1.1"), "future_date", "notified_on"),
    (lambda y: death(y["wife"], new_head=y["child"]), "head_not_leaving", "new_head"),
    (lambda y: death(y["wife"], remaining_relationships={y["child"]: "子"}), "head_not_leaving",
     "remaining_relationships"),
    (lambda y: death(y["head"], new_head="0000000000"), "invalid_new_head", "new_head"),
    (lambda y: death(y["head"], new_head=y["head"]), "invalid_new_head", "new_head"),
    (lambda y: death(y["head"], new_head=y["wife"], remaining_relationships={y["child"]: "孫"}),
     "invalid_relationship", lambda y: f"remaining_relationships.{y['child']}"),
    (lambda y: death(y["head"], new_head=y["wife"], remaining_relationships={y["child"]: "子", y["wife"]: "世帯主"}),
     "not_concerned", lambda y: f"remaining_relationships.{y['wife']}"),
    (lambda y: death("0000000000"), "not_found", "addressee_number"),
    (lambda y: death(None), "required", "addressee_number"),
    (lambda y: death(y["wife"], ex_officio=True), "required", "reason"),
]


@pytest.mark.parametrize("params, code, field", REFUSALS)
def test_a_refused_death_leaves_the_register_unchanged(yamada, clerk, params, code, field):
    state = register_state()
    params = params(yamada)
    field = field(yamada) if callable(field) else field

    with pytest.raises(RuleViolation) as refused:
        do_record_death(params, actor=actor(clerk))

    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message
    assert register_state() == state


def test_a_death_recorded_ex_officio_keeps_its_reason(yamada, clerk):
    change = do_record_death(death(yamada["wife"], ex_officio=True, reason="本籍地からの死亡届の通知（法第9条第2項）による"),
                             actor=actor(clerk))

    assert change.ex_officio
    assert change.reason.startswith("本籍地からの死亡届の通知")


def test_in_two_step_mode_the_death_is_a_draft_until_approved(yamada, municipality, clerk, approver):
    municipality.draft_required = True
    municipality.save()
    state = register_state()

    change = do_record_death(death(yamada["wife"]), actor=actor(clerk))

    assert change.status == "draft"
    assert person(yamada["wife"]).status == "resident"
    assert register_state()["residents"] == state["residents"]
    assert ResidentHistory.objects.count() == state["history"]

    do_approve_change(change.pk, actor=actor(approver))

    assert person(yamada["wife"]).status == "removed"
    assert history(yamada["wife"])[-1] == (2, "death")


def test_in_two_step_mode_a_second_death_draft_in_the_same_household_is_a_conflict(yamada, municipality, clerk,
                                                                                  clerk2, api_as):
    municipality.draft_required = True
    municipality.save()
    assert api_as(clerk).post("/changes/death", death(yamada["wife"])).status_code == 201
    state = register_state()

    conflict = api_as(clerk2).post("/changes/death", death(yamada["child"]))

    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "pending_draft"
    assert register_state() == state


def test_the_api_records_a_death_and_refuses_a_head_without_successor(yamada, clerk, api_as):
    api = api_as(clerk)
    state = register_state()

    refused = api.post("/changes/death", death(yamada["head"]))

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("head_required", "new_head")
    assert register_state() == state

    created = api.post("/changes/death", death(yamada["head"], new_head=yamada["wife"], effective_on="令和6年10月1日"))

    assert created.status_code == 201
    assert (created.json()["kind"], created.json()["status"]) == ("death", "approved")
    assert person(yamada["head"]).status == "removed"
    assert person(yamada["wife"]).relationship == "世帯主"

    again = api.post("/changes/death", death(yamada["head"]))
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "removed_record"

    missing = api.post("/changes/death", death("0000000000"))
    assert missing.status_code == 404
