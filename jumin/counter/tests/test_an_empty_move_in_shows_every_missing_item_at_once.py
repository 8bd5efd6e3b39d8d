"""An empty 転入 submitted once shows every missing item in the error summary and beside its input, with the
focus on the first of them (issue #15 item 10: it used to take 9 submits, one message each). Debian chromium."""

import pytest

from conftest import register_state
from jumin.audit.models import OperationLog
from jumin.register.models import Change

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = ["住所を入力してください。", "転入前住所を入力してください。", "異動日を入力してください。",
            "氏名を入力してください。", "生年月日を入力してください。", "性別を入力してください。",
            "続柄を入力してください。", "本籍を入力してください"]


def test_one_submit_of_an_empty_move_in_lists_every_missing_item_and_focuses_the_first(municipality, clerk,
                                                                                        screens):
    before = register_state()
    desk = screens("empty-move-in")
    page = desk.login("clerk")
    page.keyboard.press("Alt+n")
    page.wait_for_url("**/counter/changes/move_in/")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'move_in_kind'")
    page.keyboard.press("Alt+c")                                       # 確認へ, nothing typed
    page.wait_for_selector("[data-error-summary]")
    summary = page.locator("[data-error-summary] li").all_inner_texts()
    for message in MESSAGES:
        assert any(item.startswith(message) for item in summary), (message, summary)
    invalid = page.eval_on_selector_all("[aria-invalid=true]", "els => els.map(e => e.name)")
    assert invalid == ["address.address", "previous_address.address", "effective_on", "members[0].name",
                       "members[0].birth_date", "members[0].sex", "members[0].relationship",
                       "members[0].domicile_status"]
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'address.address'")
    desk.shot("all-errors")
    page.keyboard.type("宮城県仙台市青葉区一番町四丁目7番17号")        # the clerk types straight into the first
    assert page.input_value("#f-address-address") == "宮城県仙台市青葉区一番町四丁目7番17号"
    assert register_state() == before and Change.objects.count() == 0
    refusal = OperationLog.objects.get(function="change.move_in", outcome="refused")
    assert refusal.detail["step"] == "confirm" and "members[0].name" in refusal.detail["fields"]


def test_a_viewer_may_not_send_the_form_and_the_refusal_is_logged(municipality, client, viewer):
    before = register_state()
    client.force_login(viewer)
    response = client.post("/counter/changes/move_in/", {"step": "confirm"})
    assert response.status_code == 403 and "権限" in response.content.decode()
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.move_in", outcome="refused", username="viewer").exists()
