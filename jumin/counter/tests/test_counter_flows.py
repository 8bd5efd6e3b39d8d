"""The counter screens through Django's test client: the flows a clerk follows (issue #4)."""

import re

import pytest

from conftest import register_state
from jumin.audit.models import OperationLog
from jumin.register.models import Change, Resident

MOVE_IN = {
    "move_in_kind": "domestic", "effective_on": "R6.4.1", "notified_on": "R6.4.5",
    "address.postcode": "9800811", "address.address": "宮城県仙台市青葉区一番町四丁目7番17号",
    "previous_address.address": "東京都千代田区千代田1番1号",
    "members[0].name": "山田 太郎", "members[0].name_kana": "ヤマダ タロウ", "members[0].birth_date": "S55.5.5",
    "members[0].sex": "1", "members[0].relationship": "世帯主", "members[0].domicile_status": "unknown",
    "members[1].name": "山田 花子", "members[1].name_kana": "ヤマダ ハナコ", "members[1].birth_date": "S57.3.3",
    "members[1].sex": "2", "members[1].relationship": "妻", "members[1].domicile_status": "unknown",
}


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    session = client.session
    session["terminal"] = "本庁1"
    session.save()
    return client


def confirm_and_register(desk, kind, form):
    confirm = desk.post(f"/counter/changes/{kind}/", {**form, "step": "confirm"})
    assert confirm.status_code == 200, confirm.content.decode()[:2000]
    page = confirm.content.decode()
    params = re.search(r'name="params_json" value="([^"]*)"', page).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]*)"', page).group(1)
    import html

    return desk.post(f"/counter/changes/{kind}/", {"step": "submit", "params_json": html.unescape(params),
                                                   "idempotency_key": key})


def test_a_family_moves_in_through_form_confirmation_and_receipt(single_step, desk):
    confirm = desk.post("/counter/changes/move_in/", {**MOVE_IN, "step": "confirm"})
    page = confirm.content.decode()
    assert "確認画面" in page and "全部転入 2人" in page and Resident.objects.count() == 0
    done = confirm_and_register(desk, "move_in", MOVE_IN)
    assert done.status_code == 302 and "/receipt/" in done["Location"]
    receipt = desk.get(done["Location"]).content.decode()
    assert "受付票" in receipt and "山田 太郎" in receipt and "本庁1" in receipt
    assert Resident.objects.count() == 2
    assert OperationLog.objects.filter(function="change.move_in", terminal="本庁1").exists()


def test_a_refusal_is_shown_next_to_the_field_and_nothing_typed_is_lost(single_step, desk):
    before = register_state()
    response = desk.post("/counter/changes/move_in/", {**MOVE_IN, "members[1].birth_date": "令和2年2月30日",
                                                       "step": "confirm"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-members-1-birth_date-error"' in page and "存在しない" in page
    assert 'value="山田 花子"' in page and 'value="令和2年2月30日"' in page and 'value="ヤマダ タロウ"' in page
    assert register_state() == before


def test_submitting_the_same_confirmation_twice_makes_one_change(single_step, desk):
    confirm = desk.post("/counter/changes/move_in/", {**MOVE_IN, "step": "confirm"}).content.decode()
    import html

    params = html.unescape(re.search(r'name="params_json" value="([^"]*)"', confirm).group(1))
    key = re.search(r'name="idempotency_key" value="([^"]*)"', confirm).group(1)
    first = desk.post("/counter/changes/move_in/", {"step": "submit", "params_json": params, "idempotency_key": key})
    second = desk.post("/counter/changes/move_in/", {"step": "submit", "params_json": params, "idempotency_key": key})
    assert first["Location"] == second["Location"] and Change.objects.count() == 1


def test_a_name_with_markup_is_shown_as_text(single_step, desk):
    """Entry refuses < > & in names (issue #15 item 7); a record holding them anyway (migrated data) is escaped."""
    evil = '<script>alert("x")</script>'
    confirm_and_register(desk, "move_in", {**MOVE_IN, "members[0].name_kana": ""})
    person = Resident.objects.get(relationship="妻")
    Resident.objects.filter(pk=person.pk).update(name=evil)
    page = desk.get(f"/counter/residents/{person.addressee_number}/").content.decode()
    assert evil not in page and "&lt;script&gt;" in page


def test_the_individual_number_is_shown_only_with_a_reason_and_is_logged(family, desk):
    taro = Resident.objects.get(name="山田 太郎")
    page = desk.get(f"/counter/residents/{taro.addressee_number}/").content.decode()
    assert "123456789018" not in page and "************" in page
    refused = desk.post(f"/counter/residents/{taro.addressee_number}/", {"show_individual_number": "1"}).content.decode()
    assert "123456789018" not in refused and "理由" in refused
    shown = desk.post(f"/counter/residents/{taro.addressee_number}/",
                      {"show_individual_number": "1", "reason": "個人番号入りの写しの請求"}).content.decode()
    assert "123456789018" in shown
    assert OperationLog.objects.filter(function="record.view", individual_number_shown=True,
                                       reason="個人番号入りの写しの請求").exists()


def test_the_search_screen_finds_people_by_half_width_kana(family, desk):
    page = desk.get("/counter/search/", {"kana": "ﾔﾏﾀﾞ"}).content.decode()
    assert "3件見つかりました" in page and "山田 太郎" in page


def test_a_viewer_sees_no_change_buttons_and_cannot_open_a_change_form(family, client, viewer):
    client.force_login(viewer)
    taro = Resident.objects.get(name="山田 太郎")
    page = client.get(f"/counter/residents/{taro.addressee_number}/").content.decode()
    assert "/counter/changes/" not in page
    assert client.get("/counter/changes/move_in/").status_code == 403


def test_an_approver_approves_drafts_on_the_screen(municipality, desk, client, approver):
    confirm_and_register(desk, "move_in", MOVE_IN)
    change = Change.objects.get()
    assert change.status == "draft" and Resident.objects.count() == 0
    client.force_login(approver)
    page = client.get("/counter/drafts/").content.decode()
    assert "全部転入 2人" in page
    done = client.post("/counter/drafts/", {"change_ids": [str(change.pk)]}).content.decode()
    assert "本登録しました" in done and Resident.objects.count() == 2


def test_history_and_as_of_screens(family, desk):
    taro = Resident.objects.get(name="山田 太郎")
    history = desk.get(f"/counter/residents/{taro.addressee_number}/history/").content.decode()
    assert "履歴番号 1" in history and "国内転入" in history
    asof = desk.get(f"/counter/residents/{taro.addressee_number}/as-of/", {"on": "R6.4.2"}).content.decode()
    assert "令和6年4月2日 時点" in asof and "山田 太郎" in asof
