"""処分 (issue #5 item 5): an approver records a wrongly issued certificate as voided, with a reason; without a
reason the form says so beside the input and nothing changes; a clerk may not (neutral page, nothing written)."""

from jumin.certificates.tests.conftest import error_beside, issue, request_for, screen_state


def issued(yamada, clerk):
    return issue(clerk, request_for(yamada["head"], layout="individual")).issuance


def test_the_approver_sees_the_form_and_voids_with_a_reason(yamada, clerk, approver, screen_as):
    issuance = issued(yamada, clerk)
    client = screen_as(approver)
    assert "処分を記録" in client.get(f"/certificates/issuances/{issuance.pk}/").content.decode()
    response = client.post(f"/certificates/issuances/{issuance.pk}/void", {"reason": "印字ずれのため回収"})
    assert response.status_code == 302
    issuance.refresh_from_db()
    assert issuance.voided_at is not None and issuance.void_reason == "印字ずれのため回収"
    html = client.get(response["Location"]).content.decode()
    assert "処分済み" in html and "印字ずれのため回収" in html and "処分を記録</button>" not in html
    assert client.get(f"/certificates/issuances/{issuance.pk}/pdf").status_code == 404


def test_without_a_reason_the_message_is_beside_the_input_and_nothing_changes(yamada, clerk, approver, screen_as):
    issuance = issued(yamada, clerk)
    before = screen_state()
    response = screen_as(approver).post(f"/certificates/issuances/{issuance.pk}/void", {"reason": "  "})
    assert response.status_code == 422
    assert error_beside(response.content.decode(), "f-reason") == "処分の理由を入力してください。"
    assert screen_state() == before


def test_a_clerk_sees_no_form_and_may_not_void(yamada, clerk, screen_as):
    issuance = issued(yamada, clerk)
    client = screen_as(clerk)
    assert "処分を記録" not in client.get(f"/certificates/issuances/{issuance.pk}/").content.decode()
    before = screen_state()
    response = client.post(f"/certificates/issuances/{issuance.pk}/void", {"reason": "誤交付"})
    assert response.status_code == 403 and "処分" in response.content.decode()
    assert screen_state() == before
