"""Cancellations that are refused leave the register exactly as it was (standard-spec §3.4)."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.core.errors import RuleViolation
from jumin.core.models import current_municipality
from jumin.register.actions import do_cancel_change, do_correct_record, do_relocate
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number", "version")),
            sorted(Change.objects.values_list("pk", "status", "cancels_id")))


def correct(number, clerk, **items):
    return do_correct_record({"addressee_number": number, "correction_kind": "clerical_correction",
                              "effective_on": "R6.6.3", "reason": "誤記", "items": items}, actor=actor(clerk))


def refused(params, clerk):
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_cancel_change(params, actor=actor(clerk))
    assert db_state() == before
    return refusal.value


def test_a_change_with_later_changes_cannot_be_cancelled(family, clerk):
    household = family["households"][0]
    wife = Resident.objects.get(name="山田 花子")
    relocation = do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                              "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    correct(wife.addressee_number, clerk, name_kana="ヤマダ ハナ")
    refusal = refused({"change_id": relocation.pk, "reason": "誤り"}, clerk)
    assert refusal.code == "later_changes"
    logged = OperationLog.objects.filter(function="change.cancellation").get()
    assert logged.outcome == "refused" and logged.reason == refusal.message
    assert refusal.message.startswith("後続の異動があるため取り消せません。後の異動から順に取り消してください。")


def test_a_change_is_cancelled_only_once_and_a_cancellation_is_not_cancelled(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    correction = correct(wife.addressee_number, clerk, name_kana="ヤマダ ハナ")
    cancellation = do_cancel_change({"change_id": correction.pk, "reason": "誤り"}, actor=actor(clerk))
    assert refused({"change_id": correction.pk, "reason": "誤り"}, clerk).code == "already_cancelled"
    assert refused({"change_id": cancellation.pk, "reason": "誤り"}, clerk).code == "not_cancellable"


def test_a_cancellation_needs_a_reason_and_an_approved_change(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    correction = correct(wife.addressee_number, clerk, name_kana="ヤマダ ハナ")
    refusal = refused({"change_id": correction.pk, "reason": " "}, clerk)
    assert (refusal.field, refusal.code) == ("reason", "required")
    refusal = refused({"reason": "誤り"}, clerk)
    assert (refusal.field, refusal.code) == ("change_id", "required")
    refusal = refused({"change_id": correction.pk, "reason": "誤り", "effective_on": "R6.7.1"}, clerk)
    assert refusal.field == "effective_on"


def test_a_draft_is_discarded_not_cancelled(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    municipality = current_municipality()
    municipality.draft_required = True
    municipality.save()
    draft = correct(wife.addressee_number, clerk, name_kana="ヤマダ ハナ")
    assert draft.status == "draft"
    refusal = refused({"change_id": draft.pk, "reason": "誤り"}, clerk)
    assert refusal.code == "not_approved" and "破棄" in refusal.message


def test_refusals_through_the_api_keep_the_error_shape(family, clerk, api_as):
    household = family["households"][0]
    relocation = do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                              "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    correct(Resident.objects.get(name="山田 一郎").addressee_number, clerk, name_kana="ヤマダ イチロ")
    before = db_state()
    response = api_as(clerk).post("/changes/cancellation", {"change_id": relocation.pk, "reason": "誤り"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("later_changes", "change_id")
    assert "後続の異動" in error["message"]
    response = api_as(clerk).post("/changes/cancellation", {"change_id": "abc", "reason": "誤り"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "change_id"
    assert db_state() == before
