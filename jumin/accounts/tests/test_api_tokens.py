"""API tokens from `jumin token create`: the printed token authenticates /api/me; only its hash is
stored; a revoked token and the token of an inactive user are refused with 401."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jumin.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def create_token(username: str) -> str:
    out = StringIO()
    call_command("token", "create", "--user", username, stdout=out)
    return out.getvalue().strip()


def get_me(raw_token: str):
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_token}")


def test_the_printed_token_authenticates_api_me(clerk):
    raw = create_token("clerk")

    response = get_me(raw)

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "clerk"
    assert body["role"] == "clerk"
    assert "change_record" in body["permissions"]


def test_only_the_hash_of_the_token_is_stored(clerk):
    raw = create_token("clerk")

    token = ApiToken.objects.get()
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    assert raw not in stored
    assert not any(raw in value for value in stored)
    assert token.token_hash != raw and len(token.token_hash) == 64


def test_a_revoked_token_is_refused(clerk):
    raw = create_token("clerk")
    assert get_me(raw).status_code == 200

    call_command("token", "revoke", ApiToken.objects.get().prefix, stdout=StringIO())

    response = get_me(raw)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_the_token_of_an_inactive_user_is_refused(clerk):
    raw = create_token("clerk")
    clerk.is_active = False
    clerk.save()

    assert get_me(raw).status_code == 401


def test_a_made_up_token_is_refused(clerk):
    assert get_me("jmn_" + "x" * 43).status_code == 401
