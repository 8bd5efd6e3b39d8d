"""A refused bearer token counts as a failure of its address (logged as api_token, refused); an address over the
limit gets 429 with the Japanese JSON error even for a good token, and the token is not looked at. Another
address is served."""

import pytest
from django.test import Client

from jumin.accounts.models import ApiToken, LoginFailure
from jumin.accounts.tests.login_helpers import rows
from jumin.audit.models import REFUSED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3


def me(token, address):
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def test_bad_tokens_throttle_their_address(clerk):
    _, good = ApiToken.issue(clerk)
    for _ in range(3):
        assert me("jmn_guess", "10.0.0.5").status_code == 401

    throttled = me(good, "10.0.0.5")

    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "too_many_attempts"
    assert "しばらくログインできません" in throttled.json()["error"]["message"]
    assert LoginFailure.objects.filter(address="10.0.0.5").count() == 3
    assert len(rows("api_token", outcome=REFUSED)) == 4
    assert ApiToken.objects.get().last_used_at is None
    assert me(good, "10.0.0.6").status_code == 200
