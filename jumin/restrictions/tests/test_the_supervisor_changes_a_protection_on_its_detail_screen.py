"""The detail screen /restrictions/protections/<id>/: the order, its persons and offenders and its whole history,
with forms to extend, end (with a reason), add a protected person, add an offender and change the contact and
transfer details. A refusal comes back on the same screen with the typed values and the message; a stale screen
is a conflict (409); neither writes anything, and both are logged."""

from datetime import timedelta

from django.utils import timezone

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.restrictions import models as m
from jumin.restrictions.actions import do_register_protection
from jumin.restrictions.rules import default_end, extended_end

from .conftest import state


def test_the_detail_shows_the_order_and_its_history(protection, supervisor, client):
    client.force_login(supervisor)
    text = client.get(f"/restrictions/protections/{protection.pk}/").content.decode()
    assert "山田 花子" in text and "佐藤 健二" in text and "昭和50年1月1日" in text
    assert "変更履歴" in text and "支援 五郎" in text
    assert OperationLog.objects.get(function="protection.view").addressee_number == protection.addressee_number


def test_adding_a_person_an_offender_and_new_contact_details_each_leave_a_history_row(protection, supervisor, client):
    ichiro = Resident.objects.get(name="山田 一郎")
    client.force_login(supervisor)
    url = f"/restrictions/protections/{protection.pk}/"
    added = client.post(url + "persons/", {"expected_version": "1", "protected_person.addressee_number":
                                           ichiro.addressee_number, "protected_person.relationship": "子"})
    assert added.status_code == 302
    client.post(url + "offenders/", {"expected_version": "2", "offender.name": "佐藤 花男",
                                     "offender.birth_date": "平成2年2月2日", "offender.sex": "1"})
    client.post(url + "details/", {"expected_version": "3", "details.applicant_phone": "022-000-0000",
                                   "details.transfer_to": "札幌市", "details.transferred_on": "R6.5.1",
                                   "details.applicant_email": "", "details.applicant_mobile": "",
                                   "details.note": ""})
    order = m.ProtectionOrder.objects.get()
    assert order.version == 4 and order.applicant_phone == "022-000-0000"
    assert order.transfer_to == "札幌市" and order.transferred_on.isoformat() == "2024-05-01"
    assert [o.name for o in order.offenders.order_by("pk")] == ["佐藤 健二", "佐藤 花男"]
    assert list(order.history.order_by("pk").values_list("action", flat=True)) == [
        "register", "add_person", "add_offender", "edit_details"]
    text = client.get(url).content.decode()
    assert "連絡先（電話）：（なし） → 022-000-0000" in text and "転送先：（なし） → 札幌市" in text
    assert "併せて支援措置を求める者の追加" in text and "山田 一郎" in text and "加害者：佐藤 健二 → 佐藤 健二、佐藤 花男" in text


def test_a_refused_offender_keeps_the_form_open_with_what_was_typed(protection, supervisor, client):
    client.force_login(supervisor)
    before = state()
    response = client.post(f"/restrictions/protections/{protection.pk}/offenders/", {
        "expected_version": "1", "offender.name": "", "offender.name_kana": "スズキ ハジメ", "offender.address": "仙台市"})
    text = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-offender-name-error"' in text and "加害者の氏名を入力してください。" in text
    assert 'value="スズキ ハジメ"' in text and "<details open><summary>加害者の追加" in text
    assert state() == before
    assert OperationLog.objects.get(function="protection.add_offender").outcome == "refused"


def test_a_stale_screen_is_a_conflict_that_keeps_the_typed_values(protection, supervisor, client):
    client.force_login(supervisor)
    client.post(f"/restrictions/protections/{protection.pk}/details/", {"expected_version": "1",
                                                                        "details.applicant_phone": "1"})
    before = state()
    response = client.post(f"/restrictions/protections/{protection.pk}/details/", {
        "expected_version": "1", "details.applicant_phone": "2", "details.transfer_to": "仙台市青葉区"})
    text = response.content.decode()
    assert response.status_code == 409 and "他の職員が更新しました" in text and 'value="仙台市青葉区"' in text
    assert state() == before
    assert OperationLog.objects.filter(function="protection.edit", outcome="refused").count() == 1


def test_extending_too_early_is_refused_on_the_screen_and_ending_needs_a_reason(protection, supervisor, client):
    client.force_login(supervisor)
    url = f"/restrictions/protections/{protection.pk}/"
    before = state()
    early = client.post(url + "extend/", {"expected_version": "1"})
    assert early.status_code == 422 and "1か月前" in early.content.decode()
    assert 'id="f-extend-ends_on"' in early.content.decode()
    no_reason = client.post(url + "end/", {"expected_version": "1", "end.reason": " "})
    assert no_reason.status_code == 422 and 'id="f-end-reason-error"' in no_reason.content.decode()
    assert state() == before
    assert {r.function for r in OperationLog.objects.filter(outcome="refused")} == {"protection.extend",
                                                                                    "protection.end"}
    ended = client.post(url + "end/", {"expected_version": "1", "end.reason": "申出者からの終了の申出"})
    assert ended.status_code == 302
    order = m.ProtectionOrder.objects.get()
    assert order.status == "ended" and order.ended_reason == "申出者からの終了の申出"
    text = client.get(url).content.decode()
    assert "終了の理由" not in text and "申出者からの終了の申出" in text       # no change forms on an ended order


def test_extending_in_the_last_month_moves_the_end_by_a_year(hanako, supervisor, client):
    start = timezone.localdate() - timedelta(days=350)
    order = do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv",
                                    "starts_on": start.isoformat()}, actor=actor(supervisor))
    client.force_login(supervisor)
    page = client.get(f"/restrictions/protections/{order.pk}/").content.decode()
    assert "期間の終了" in page and "延長します" in page
    assert client.post(f"/restrictions/protections/{order.pk}/extend/", {"expected_version": "1"}).status_code == 302
    order.refresh_from_db()
    assert order.ends_on == extended_end(default_end(start))
