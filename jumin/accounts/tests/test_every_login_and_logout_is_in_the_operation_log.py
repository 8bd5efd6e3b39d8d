"""A successful login, a failed one and a logout each leave an operation-log row (who, from which address, the
outcome); the password is in none of them."""

import json

import pytest
from django.test import Client

from jumin.accounts.tests.login_helpers import PASSWORD, attempt, rows
from jumin.audit.models import OK, OperationLog, REFUSED

pytestmark = pytest.mark.django_db


def test_login_failure_and_logout_are_logged_without_the_password(clerk):
    attempt("clerk", "a-wrong-secret", address="10.0.0.7")
    client = Client()
    attempt("clerk", PASSWORD, address="10.0.0.7", client=client)
    client.post("/logout/", REMOTE_ADDR="10.0.0.7")

    failed, succeeded = rows("login")
    assert (failed.outcome, failed.user_id, failed.detail) == (REFUSED, clerk.pk, {"address": "10.0.0.7"})
    assert (succeeded.outcome, succeeded.user_id, succeeded.role) == (OK, clerk.pk, "clerk")
    logout = rows("logout")[0]
    assert (logout.outcome, logout.user_id) == (OK, clerk.pk)
    everything = json.dumps(list(OperationLog.objects.values()), default=str, ensure_ascii=False)
    assert "a-wrong-secret" not in everything and PASSWORD not in everything


def test_a_name_with_a_nul_is_refused_and_logged_without_it(db):
    response = attempt("ab\x00cd", "x")

    assert response.status_code == 200
    refused = rows("login")[0]
    assert (refused.username, refused.outcome) == ("abcd", REFUSED)
