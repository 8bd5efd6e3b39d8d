"""A write without credentials, or with a revoked token, is unauthenticated (401), not a CSRF failure; a screen
session that posts without its CSRF token gets 403 in Japanese JSON; a session with its token may write
(issue #15 item 4). Nothing is written by a refused request, and the refusal is in the operation log."""

import json

from django.test import Client

from conftest import family_params, register_state
from jumin.accounts.models import ApiToken
from jumin.audit.models import REFUSED, OperationLog


def _post(client, body, **headers):
    return client.post("/api/changes/move-in", json.dumps(body), content_type="application/json", **headers)


def test_no_credentials_get_401(single_step):
    before = register_state()
    response = _post(Client(enforce_csrf_checks=True), family_params())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert "ログイン" in response.json()["error"]["message"]
    assert register_state() == before
    row = OperationLog.objects.get(outcome=REFUSED)
    assert row.username == "anonymous" and row.function == "do_move_in" and row.detail["credentials"] == "none"


def test_a_revoked_token_gets_401(single_step, clerk):
    token, raw = ApiToken.issue(clerk, "test")
    token.revoke()
    before = register_state()
    response = _post(Client(enforce_csrf_checks=True), family_params(), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    assert register_state() == before
    assert OperationLog.objects.filter(outcome=REFUSED, detail__credentials="token").exists()


def test_a_session_without_its_csrf_token_gets_403_in_japanese(single_step, clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    before = register_state()
    response = _post(client, family_params())
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "csrf_failed" and "CSRF" in error["message"] and "読み込み直して" in error["message"]
    assert register_state() == before
    assert OperationLog.objects.filter(outcome=REFUSED, username="clerk", function="do_move_in").exists()


def test_a_session_with_its_csrf_token_may_write(single_step, clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = _post(client, family_params(), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


def test_a_read_with_a_session_needs_no_csrf_token(clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    assert client.get("/api/me").json()["username"] == "clerk"
