"""Only failures in a row lock: a successful login clears the count, so four wrong passwords, a login, and four
more do not lock the name."""

import pytest
from django.test import Client

from jumin.accounts.models import LoginFailure
from jumin.accounts.tests.login_helpers import PASSWORD, attempt, logged_in

pytestmark = pytest.mark.django_db


def test_four_failures_a_login_and_four_more_leave_the_name_unlocked(clerk):
    for _ in range(4):
        attempt("clerk", "wrong")
    assert attempt("clerk", PASSWORD).status_code == 302
    for _ in range(4):
        attempt("clerk", "wrong")

    client = Client()
    assert attempt("clerk", PASSWORD, client=client).status_code == 302 and logged_in(client)
    assert LoginFailure.objects.filter(username="clerk", cleared_at__isnull=True).count() == 0
    assert LoginFailure.objects.filter(username="clerk").count() == 8   # still counted for the address window
