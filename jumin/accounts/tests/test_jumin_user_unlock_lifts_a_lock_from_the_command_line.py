"""`jumin user locked` lists the locked names and `jumin user unlock NAME` lifts a lock (logged, by "system" at
terminal cli); a name that is not locked is refused in Japanese, nothing changed, the refusal logged."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jumin.accounts.tests.login_helpers import PASSWORD, attempt, logged_in, rows
from jumin.audit.models import OK, REFUSED

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_and_unlocks(clerk):
    for _ in range(5):
        attempt("clerk", "wrong")

    assert run("locked").startswith("clerk\t窓口 花子\t")
    assert "ロックを解除しました: clerk" in run("unlock", "clerk")

    assert run("locked") == ""
    unlock = rows("login_unlock")[0]
    assert (unlock.username, unlock.terminal, unlock.outcome) == ("system", "cli", OK)
    client = Client()
    assert attempt("clerk", PASSWORD, client=client).status_code == 302 and logged_in(client)


def test_a_name_that_is_not_locked_is_refused(clerk):
    attempt("clerk", "wrong")

    with pytest.raises(CommandError, match="利用者名「clerk」はロックされていません。"):
        run("unlock", "clerk")

    assert not rows("login_unlock", outcome=OK)
    assert rows("login_unlock", outcome=REFUSED)[0].detail == {"username": "clerk"}
