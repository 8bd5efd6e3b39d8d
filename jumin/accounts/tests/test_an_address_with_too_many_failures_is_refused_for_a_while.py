"""Too many failures from one client address, whatever the names, refuse that address — even with a right
password — until the window has passed; another address logs in as usual. The refusal is logged and counts no
further failure."""

from datetime import timedelta

import pytest
from django.test import Client

from jumin.accounts.models import LoginFailure
from jumin.accounts.tests.login_helpers import PASSWORD, attempt, logged_in, rows
from jumin.audit.models import REFUSED

pytestmark = pytest.mark.django_db

THROTTLED = "この端末からのログインの失敗が続いたため、しばらくログインできません。"


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    settings.LOGIN_ADDRESS_WINDOW_SECONDS = 600


def test_the_address_waits_out_the_window_and_others_do_not_wait(clerk):
    for name in ("a", "b", "c"):
        attempt(name, "wrong", address="10.0.0.9")

    client = Client()
    refused = attempt("clerk", PASSWORD, address="10.0.0.9", client=client)

    assert THROTTLED in refused.content.decode() and "10分ほど" in refused.content.decode()
    assert not logged_in(client)
    assert LoginFailure.objects.filter(address="10.0.0.9").count() == 3
    last = rows("login", username="clerk")[-1]
    assert last.outcome == REFUSED and last.detail == {"address": "10.0.0.9"}

    elsewhere = Client()
    assert attempt("clerk", PASSWORD, address="10.0.0.10", client=elsewhere).status_code == 302

    LoginFailure.objects.update(at=LoginFailure.objects.first().at - timedelta(seconds=601))
    later = Client()
    assert attempt("clerk", PASSWORD, address="10.0.0.9", client=later).status_code == 302 and logged_in(later)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(clerk, settings):
    settings.PROXY_HOPS = 1
    for name in ("a", "b", "c"):
        Client().post("/login/", {"username": name, "password": "x"}, REMOTE_ADDR="192.168.0.1",
                      HTTP_X_FORWARDED_FOR=f"1.2.3.{name.encode()[0]}, 10.1.1.1")

    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"10.1.1.1"}
    forged = Client().post("/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="192.168.0.1",
                           HTTP_X_FORWARDED_FOR="10.9.9.9, 10.1.1.1")
    assert THROTTLED in forged.content.decode()
