"""The screens' form layer (issue #15 item 11): a refused action shows the form again with the message beside
the input it names and a line at the top (422, or 409 when the data moved meanwhile), the alerts to confirm,
or — for a refusal of the right — the neutral 403 page with nothing of the form."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from jumin.core.errors import Alert, ConflictError, NotFound, PermissionDenied, RuleViolation
from jumin.core.forms import FORM_ERROR, error_summary, field_id, refusal_message, run_action


def post():
    request = RequestFactory().post("/x/")
    request.user = AnonymousUser()
    return request


def again(errors, status):
    return HttpResponse(repr(sorted(errors.items())), status=status)


def raising(refusal):
    def call():
        raise refusal
    return call


def test_the_result_when_the_action_runs():
    assert run_action(post(), lambda: 42, again) == (42, None)


def test_a_refused_input_comes_back_beside_its_field_with_a_line_at_the_top():
    _, shown = run_action(post(), raising(RuleViolation("転居日を入力してください。", field="moved_on")), again,
                          prefix="end")
    assert shown.status_code == 422
    assert shown.content.decode() == repr([("end.moved_on", "転居日を入力してください。"), ("form", FORM_ERROR)])
    _, shown = run_action(post(), raising(RuleViolation("内容を確認してください。")), again)
    assert shown.content.decode() == repr([("form", "内容を確認してください。")])


def test_a_conflict_is_409_and_with_a_note_the_forms_message():
    refusal = ConflictError("他の職員が更新しました。", field="expected_version")
    _, shown = run_action(post(), raising(refusal), again, conflict_note=" 入力は残っています。")
    assert shown.status_code == 409
    assert shown.content.decode() == repr([("form", "他の職員が更新しました。 入力は残っています。")])


@pytest.mark.django_db
def test_a_refusal_of_the_right_is_the_neutral_page():
    for refusal in (PermissionDenied("この操作を行う権限がありません。", field="kind"),
                    RuleViolation("交付できません。", field="subjects", code="restricted")):
        _, shown = run_action(post(), raising(refusal), again)
        html = shown.content.decode()
        assert shown.status_code == 403 and refusal.message in html and FORM_ERROR not in html
        assert "subjects" not in html and "'kind'" not in html
    _, shown = run_action(post(), raising(NotFound("ありません。", field="order_id")), again,
                          neutral=lambda r: 404 if isinstance(r, NotFound) else None)
    assert shown.status_code == 404


def test_alerts_to_confirm_are_shown_only_where_the_screen_asks_for_them():
    refusal = RuleViolation("確認が必要です。", code="confirmation_required")
    refusal.alerts = [Alert("age", "年齢を確認してください。")]
    _, shown = run_action(post(), raising(refusal), again,
                          alerts=lambda alerts: HttpResponse(alerts[0].code, status=422))
    assert shown.status_code == 422 and shown.content == b"age"
    _, shown = run_action(post(), raising(refusal), again)
    assert shown.content.decode() == repr([("form", "確認が必要です。")])


def test_the_summary_links_each_message_to_its_input():
    errors = {"members[0].name": "氏名を入力してください。", "inspection": "選んでください。", "form": FORM_ERROR}
    assert error_summary(errors, checkboxes={"inspection"}) == [
        {"message": "氏名を入力してください。", "anchor": "f-members-0-name"},
        {"message": "選んでください。", "anchor": "f-bool-inspection"}]
    assert field_id("address.postcode") == "f-address-postcode"
    assert refusal_message(errors) == "氏名を入力してください。"
    assert refusal_message({"form": "だめです。"}) == "だめです。"
