"""名寄せ and its undo (issue #17 item 4): two 住登外 records of one person, or a 住登外 record and a resident, are
merged by a clerk's proposal and an approver's decision; the merged record says 名寄せ済 and names the surviving
number, both numbers keep their history; unmerge restores the merged record exactly. Refused, each with nothing
written and the refusal logged: a record with itself, two residents, a record already merged, an unmerge of a
record never merged, the proposer deciding, a clerk deciding, two different 個人番号."""

import pytest

from conftest import actor
from jumin.addressees import rules
from jumin.addressees.actions import (DECIDE_MERGE, PROPOSE_MERGE, UNMERGE, ITEM_NAMES, do_decide_merge,
                                      do_propose_merge, do_register_non_resident, do_unmerge)
from jumin.addressees.models import MergeProposal, NonResident, NonResidentHistory
from jumin.addressees.tests.conftest import PROPERTY_TAX, TAX, landowner, refusals, state
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.register.models import Resident


def _two(clerk):
    first = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    second = do_register_non_resident(landowner(name="山田　太郎", individual_number="", address={
        "address": "東京都新宿区西新宿二丁目8番1号"}), actor=actor(clerk), business=TAX)
    return first, second


def _items(number):
    return NonResident.objects.filter(addressee_number=number).values(*ITEM_NAMES).get()


def test_two_records_of_one_person_are_merged_and_unmerged_exactly(db, clerk, approver):
    first, second = _two(clerk)
    before = _items(second.addressee_number)
    proposal = do_propose_merge(second.addressee_number, first.addressee_number, actor=actor(clerk),
                                reason="同一人（固定資産税と住民税で二重登録）")
    assert NonResident.objects.get(addressee_number=second.addressee_number).state == rules.IN_USE   # not yet
    do_decide_merge(proposal.pk, approve=True, actor=actor(approver))
    merged = NonResident.objects.get(addressee_number=second.addressee_number)
    assert merged.state == rules.MERGED and merged.merged_into == first.addressee_number
    assert MergeProposal.objects.get().status == rules.APPROVED
    assert NonResidentHistory.objects.filter(addressee_number=second.addressee_number).count() == 2
    assert NonResidentHistory.objects.filter(addressee_number=first.addressee_number).count() == 1

    do_unmerge(second.addressee_number, actor=actor(approver), reason="別人と判明")
    assert _items(second.addressee_number) == before
    assert [h.reason_code for h in NonResidentHistory.objects.filter(addressee_number=second.addressee_number)
            .order_by("history_number")] == ["registered", "merged", "unmerged"]
    assert MergeProposal.objects.get().status == rules.UNDONE


def test_a_non_resident_is_merged_into_a_resident(family, clerk, approver):
    owner = do_register_non_resident(landowner(name="山田 花子", individual_number="", birth_date="S50.1.1", sex="2"),
                                     actor=actor(clerk), business=PROPERTY_TAX)
    hanako = Resident.objects.get(name="山田 花子")
    proposal = do_propose_merge(owner.addressee_number, hanako.addressee_number, actor=actor(clerk), reason="同一人")
    assert proposal.target_kind == rules.RESIDENT
    do_decide_merge(proposal.pk, approve=True, actor=actor(approver))
    assert NonResident.objects.get().merged_into == hanako.addressee_number


def test_a_rejected_proposal_changes_nothing_but_itself(db, clerk, approver):
    first, second = _two(clerk)
    before = state()
    proposal = do_propose_merge(second.addressee_number, first.addressee_number, actor=actor(clerk), reason="同一人？")
    do_decide_merge(proposal.pk, approve=False, actor=actor(approver), reason="生年月日の記録が別人")
    after = state()
    assert after["non_residents"] == before["non_residents"] and MergeProposal.objects.get().status == rules.REJECTED


def test_bad_merges_are_refused_with_nothing_written(family, clerk, approver):
    first, second = _two(clerk)
    taro, hanako = Resident.objects.get(name="山田 太郎"), Resident.objects.get(name="山田 花子")
    n1, n2 = first.addressee_number, second.addressee_number
    before = state()
    for source, target, code in [(n1, n1, "same_record"), (taro.addressee_number, hanako.addressee_number,
                                                          "two_residents"),
                                 ("9999999999", n1, "not_a_non_resident"), (n1, "9999999999", "not_found"),
                                 (n1, taro.addressee_number, "individual_number_differs"), ("", n1, "required")]:
        with pytest.raises(RuleViolation) as refused:
            do_propose_merge(source, target, actor=actor(clerk), reason="同一人")
        assert refused.value.code == code, (source, target)
    with pytest.raises(RuleViolation) as refused:
        do_propose_merge(n2, n1, actor=actor(clerk), reason="")
    assert refused.value.field == "reason"
    assert state() == before
    assert len(set(refusals(PROPOSE_MERGE))) == 7          # one row per number named; seven refusals

    proposal = do_propose_merge(n2, n1, actor=actor(clerk), reason="同一人")
    with pytest.raises(RuleViolation, match="提案中"):
        do_propose_merge(n2, n1, actor=actor(clerk), reason="同一人")
    with pytest.raises(PermissionDenied):                            # a clerk may propose, not decide
        do_decide_merge(proposal.pk, approve=True, actor=actor(clerk))
    do_decide_merge(proposal.pk, approve=True, actor=actor(approver))
    before = state()
    with pytest.raises(RuleViolation, match="名寄せ済"):
        do_propose_merge(n2, n1, actor=actor(clerk), reason="もう一度")
    with pytest.raises(RuleViolation, match="決定できません"):
        do_decide_merge(proposal.pk, approve=True, actor=actor(approver))
    with pytest.raises(RuleViolation) as refused:
        do_unmerge(n1, actor=actor(approver), reason="誤り")
    assert refused.value.code == "not_merged"
    assert state() == before
    assert len(set(refusals(DECIDE_MERGE))) == 2 and len(set(refusals(UNMERGE))) == 1


def test_the_proposer_may_not_decide(db, clerk, approver):
    first, second = _two(clerk)
    proposal = do_propose_merge(second.addressee_number, first.addressee_number, actor=actor(approver), reason="同一人")
    with pytest.raises(RuleViolation) as refused:
        do_decide_merge(proposal.pk, approve=True, actor=actor(approver))
    assert refused.value.code == "self_approval" and MergeProposal.objects.get().status == rules.PROPOSED


def test_merges_through_the_api(db, clerk, approver, api_as):
    first, second = _two(clerk)
    proposed = api_as(clerk).post("/addressees/merges", {"source": second.addressee_number,
                                                         "target": first.addressee_number, "reason": "同一人"})
    assert proposed.status_code == 201, proposed.content
    merge_id = proposed.json()["id"]
    waiting = api_as(approver).get("/addressees/merges", status="proposed").json()
    assert [m["id"] for m in waiting] == [merge_id]
    assert api_as(clerk).post(f"/addressees/merges/{merge_id}/decision", {"approve": True}).status_code == 403
    decided = api_as(approver).post(f"/addressees/merges/{merge_id}/decision", {"approve": True, "version": 1})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    undone = api_as(approver).post(f"/addressees/{second.addressee_number}/unmerge", {"reason": "別人"})
    assert undone.status_code == 200 and undone.json()["state"] == "in_use"
    assert api_as(approver).post("/addressees/merges/999/decision", {"approve": True}).status_code == 404
