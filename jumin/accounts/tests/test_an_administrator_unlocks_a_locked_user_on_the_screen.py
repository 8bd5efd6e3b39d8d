"""The administrator (利用者の管理) sees the locked names at /accounts/locked/ and lifts a lock with 解除; the
user then logs in. A clerk may not see the list nor unlock: refused with the neutral page, nothing changed, the
refusal logged."""

import pytest
from django.test import Client

from jumin.accounts.models import LoginFailure
from jumin.accounts.tests.login_helpers import PASSWORD, attempt, logged_in, rows
from jumin.audit.models import OK, REFUSED

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_clerk(clerk):
    for _ in range(5):
        attempt("clerk", "wrong")
    return clerk


def test_the_administrator_sees_the_lock_and_lifts_it(locked_clerk, admin_user, screen_as):
    admin = screen_as(admin_user)

    page = admin.get("/accounts/locked/").content.decode()
    assert "ロック中の利用者名" in page and "<td>clerk</td>" in page and "窓口 花子" in page
    assert 'aria-label="clerk のロックを解除">解除</button>' in page

    answer = admin.post("/accounts/locked/unlock", {"username": "clerk"}, follow=True)

    assert "利用者名「clerk」のロックを解除しました。" in answer.content.decode()
    assert "<td>clerk</td>" not in answer.content.decode()
    unlock = rows("login_unlock")[-1]
    assert (unlock.username, unlock.outcome, unlock.detail) == ("admin", OK, {"username": "clerk"})
    client = Client()
    assert attempt("clerk", PASSWORD, client=client).status_code == 302 and logged_in(client)


def test_a_clerk_may_not_see_the_list_nor_unlock(locked_clerk, clerk2, screen_as):
    other = screen_as(clerk2)

    listing = other.get("/accounts/locked/")
    answer = other.post("/accounts/locked/unlock", {"username": "clerk"})

    assert listing.status_code == 403 and answer.status_code == 403
    assert "利用者の管理" in answer.content.decode()
    assert LoginFailure.objects.filter(username="clerk", cleared_at__isnull=True).count() == 5
    assert not rows("login_unlock", outcome=OK)
    assert rows("login_unlock", outcome=REFUSED)[0].username == "clerk2"
    assert rows("login_locked_list", outcome=REFUSED)[0].username == "clerk2"


def test_the_home_screen_links_the_administrator_and_not_a_clerk_to_it(admin_user, clerk2, screen_as, municipality):
    assert 'href="/accounts/locked/"' in screen_as(admin_user).get("/").content.decode()
    assert 'href="/accounts/locked/"' not in screen_as(clerk2).get("/").content.decode()
