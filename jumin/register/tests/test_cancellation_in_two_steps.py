"""In two-step mode a cancellation is a draft that records what it cancels; approval applies it and locks the
cancelled change against a second cancellation (standard-spec §3.1, §3.4)."""

import pytest

from conftest import actor
from jumin.core.errors import ConflictError, RuleViolation
from jumin.core.models import current_municipality
from jumin.register.actions import do_approve_change, do_cancel_change, do_correct_record
from jumin.register.models import Resident, ResidentHistory


def test_a_draft_cancellation_is_applied_on_approval(family, clerk, clerk2, approver, api_as):
    wife = Resident.objects.get(name="山田 花子")
    correction = do_correct_record({"addressee_number": wife.addressee_number, "correction_kind": "clerical_correction",
                                    "effective_on": "R6.6.3", "reason": "誤記", "items": {"name": "山田 華子"}},
                                   actor=actor(clerk))
    municipality = current_municipality()
    municipality.draft_required = True
    municipality.save()

    draft = do_cancel_change({"change_id": correction.pk, "reason": "誤記ではなかったため"}, actor=actor(clerk))
    assert draft.status == "draft" and draft.cancels_id == correction.pk
    assert Resident.objects.get(pk=wife.pk).name == "山田 華子"
    with pytest.raises(ConflictError):       # the persons are locked by the pending draft
        do_cancel_change({"change_id": correction.pk, "reason": "重複"}, actor=actor(clerk2))
    response = api_as(clerk2).post("/changes/cancellation", {"change_id": correction.pk, "reason": "重複"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "pending_draft"
    assert f"異動ID {draft.pk}" in response.json()["error"]["message"]

    approved = do_approve_change(draft.pk, actor=actor(approver))
    assert approved.status == "approved"
    assert Resident.objects.get(pk=wife.pk).name == "山田 花子"
    assert ResidentHistory.objects.get(change=approved).reason_code == "cancel_correction"
    with pytest.raises(RuleViolation) as refusal:
        do_cancel_change({"change_id": correction.pk, "reason": "重複"}, actor=actor(clerk2))
    assert refusal.value.code == "already_cancelled"
