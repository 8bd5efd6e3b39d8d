"""No session outlives JUMIN_SESSION_MAX_SECONDS after its login, however busy it was: the next request is
logged out (the logout logged with the reason) and the login page says why. A younger session goes on."""

import time

import pytest

from jumin.accounts.middleware import LOGIN_AT
from jumin.accounts.tests.login_helpers import rows

pytestmark = pytest.mark.django_db


def test_an_old_session_is_logged_out_and_told_why(clerk, screen_as, settings):
    settings.SESSION_MAX_SECONDS = 8 * 60 * 60
    client = screen_as(clerk)
    session = client.session
    session[LOGIN_AT] = time.time() - 8 * 60 * 60 - 1
    session.save()

    home = client.get("/")
    login = client.get(home["Location"])

    assert home.status_code == 302 and home["Location"] == "/login/?next=/"
    assert "ログインしてから一定の時間が過ぎたため、ログアウトしました。" in login.content.decode()
    logout = rows("logout")[0]
    assert logout.user_id == clerk.pk and "一定の時間" in logout.reason
    assert "_auth_user_id" not in client.session


def test_a_younger_session_goes_on(clerk, screen_as, settings):
    settings.SESSION_MAX_SECONDS = 8 * 60 * 60
    client = screen_as(clerk)
    session = client.session
    session[LOGIN_AT] = time.time() - 7 * 60 * 60
    session.save()

    assert client.get("/").status_code == 200
    assert not rows("logout")
