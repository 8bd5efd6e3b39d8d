"""A refused bearer token counts as a failure of its address (logged as api_token, refused): once the address is
over the limit the refusal is 429 with the Japanese JSON error, and that address's password logins are refused
too. A good token is still served (256 random bits: nothing to guess), and another address is unaffected."""

import pytest
from django.test import Client

from jumin.accounts.models import ApiToken, LoginFailure
from jumin.accounts.tests.login_helpers import PASSWORD, attempt, logged_in, rows
from jumin.audit.models import REFUSED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3


def me(token, address):
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def test_bad_tokens_throttle_their_address(clerk):
    _, good = ApiToken.issue(clerk)
    assert [me("jmn_guess", "10.0.0.5").status_code for _ in range(3)] == [401, 401, 429]

    throttled = me("jmn_guess", "10.0.0.5")

    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "too_many_attempts"
    assert "しばらくログインできません" in throttled.json()["error"]["message"]
    assert LoginFailure.objects.filter(address="10.0.0.5").count() == 4
    assert len(rows("api_token", outcome=REFUSED)) == 4 + 2   # four bad tokens, two of them over the limit
    client = Client()
    assert "しばらくログインできません" in attempt("clerk", PASSWORD, address="10.0.0.5", client=client).content.decode()
    assert not logged_in(client)
    assert me(good, "10.0.0.5").status_code == 200
    assert me("jmn_guess", "10.0.0.6").status_code == 401
