"""Issue #15 item 10: the screens told the clerk to discard a draft with a button that did not exist, and a
draft could be corrected only through the API. The draft screen now corrects it (the kind's own form and
確認画面; same 異動ID, checked against the version the clerk opened), sends it back with a reason (差戻し,
approvers) and discards it (with a reason). Each refusal writes nothing and is logged."""

import html
import re

import pytest

from conftest import actor, family_params
from jumin.audit.models import OperationLog
from jumin.counter.params import to_fields
from jumin.register import queries
from jumin.register.actions import do_move_in, do_update_draft
from jumin.register.models import Change

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "宮城県仙台市青葉区一番町四丁目7番18号"


@pytest.fixture
def draft(municipality, clerk):
    return do_move_in(family_params(), actor=actor(clerk))


def state(change):
    change.refresh_from_db()
    return change.status, change.version, change.result, change.params


def refused(function):
    return OperationLog.objects.filter(function=function, outcome="refused")


def test_an_approver_sends_a_draft_back_and_the_clerk_reads_why(draft, clerk, approver, screen_as):
    response = screen_as(approver).post(f"/counter/drafts/{draft.pk}/", {
        "action": "return", "reason": "本籍の番地を確認してください", "version": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.version == 2
    assert draft.result["returned"]["reason"] == "本籍の番地を確認してください"
    assert OperationLog.objects.filter(function="change.return", outcome="ok", change_id=draft.pk).exists()
    listing = screen_as(clerk).get("/counter/drafts/").content.decode()
    assert "差戻し" in listing and "本籍の番地を確認してください" in listing
    assert "本籍の番地を確認してください" in screen_as(clerk).get(f"/counter/drafts/{draft.pk}/").content.decode()


def test_a_clerk_may_not_send_back_and_a_blank_reason_is_refused(draft, clerk, approver, screen_as):
    before = state(draft)
    response = screen_as(clerk).post(f"/counter/drafts/{draft.pk}/", {"action": "return", "reason": "理由"})
    assert response.status_code == 403 and "権限" in response.content.decode()
    response = screen_as(approver).post(f"/counter/drafts/{draft.pk}/", {"action": "return", "reason": "  "})
    assert response.status_code == 422 and "差戻しの理由を入力してください" in response.content.decode()
    assert state(draft) == before
    assert refused("change.return").count() == 2


def test_a_clerk_discards_a_draft_with_a_reason(draft, clerk, screen_as):
    response = screen_as(clerk).post(f"/counter/drafts/{draft.pk}/", {"action": "discard", "reason": "二重入力"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "discarded"
    assert OperationLog.objects.filter(function="change.discard", outcome="ok", reason="二重入力").exists()


def test_a_viewer_may_not_discard_and_a_blank_reason_is_refused(draft, clerk, viewer, screen_as):
    before = state(draft)
    page = screen_as(viewer).get(f"/counter/drafts/{draft.pk}/").content.decode()
    assert "この仮登録を破棄" not in page and "内容を修正" not in page and "差し戻す" not in page
    response = screen_as(viewer).post(f"/counter/drafts/{draft.pk}/", {"action": "discard", "reason": "理由"})
    assert response.status_code == 403
    response = screen_as(clerk).post(f"/counter/drafts/{draft.pk}/", {"action": "discard", "reason": ""})
    assert response.status_code == 422 and "破棄する理由を入力してください" in response.content.decode()
    assert state(draft) == before
    assert refused("change.discard").count() == 2


def form_fields(draft) -> dict:
    """What the correction form holds: the draft as the screens show it (個人番号 masked)."""
    return {k: str(v) for k, v in to_fields(queries._redact_params(draft.params)).items()}


def test_a_clerk_corrects_a_draft_through_its_form_and_confirmation(draft, clerk, approver, screen_as):
    desk = screen_as(clerk)
    form = desk.get(f"/counter/drafts/{draft.pk}/").content.decode()
    assert f'href="/counter/drafts/{draft.pk}/edit/?version=1"' in form
    page = desk.get(f"/counter/drafts/{draft.pk}/edit/?version=1").content.decode()
    assert f'action="/counter/drafts/{draft.pk}/edit/?version=1"' in page and "123456789018" not in page
    assert "山田 花子" in page
    fields = form_fields(draft) | {"address.address": NEW_ADDRESS, "step": "confirm"}
    confirm = desk.post(f"/counter/drafts/{draft.pk}/edit/?version=1", fields).content.decode()
    assert "確認画面" in confirm and NEW_ADDRESS in confirm and "123456789018" not in confirm
    assert f'action="/counter/drafts/{draft.pk}/edit/?version=1"' in confirm
    params_json = html.unescape(re.search(r'name="params_json" value="([^"]*)"', confirm).group(1))
    done = desk.post(f"/counter/drafts/{draft.pk}/edit/?version=1", {"step": "submit", "params_json": params_json})
    assert done.status_code == 302 and done["Location"] == f"/counter/drafts/{draft.pk}/"
    draft.refresh_from_db()
    assert Change.objects.count() == 1 and draft.status == "draft" and draft.version == 2
    assert draft.params["address"]["address"] == NEW_ADDRESS
    assert draft.params["members"][0]["individual_number"] == "123456789018"     # kept, never shown
    assert OperationLog.objects.filter(function="change.update_draft", outcome="ok", change_id=draft.pk).exists()


def test_a_correction_of_a_draft_changed_meanwhile_is_a_conflict(draft, clerk, clerk2, screen_as):
    desk = screen_as(clerk)
    fields = form_fields(draft) | {"address.address": NEW_ADDRESS, "step": "confirm"}
    confirm = desk.post(f"/counter/drafts/{draft.pk}/edit/?version=1", fields).content.decode()
    params_json = html.unescape(re.search(r'name="params_json" value="([^"]*)"', confirm).group(1))
    do_update_draft(draft.pk, dict(draft.params), actor=actor(clerk2))              # someone else, meanwhile
    before = state(draft)
    response = desk.post(f"/counter/drafts/{draft.pk}/edit/?version=1", {"step": "submit", "params_json": params_json})
    assert response.status_code == 409 and "他の職員が更新しました" in response.content.decode()
    assert state(draft) == before
    assert refused("change.update_draft").count() == 1
