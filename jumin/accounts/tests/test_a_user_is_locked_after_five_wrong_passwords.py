"""Five wrong passwords in a row lock the name: the fifth answer says so, and then even the right password is
refused — nothing is written (no session, no further failure counted) and every refusal is logged. Another user
is not affected. (地方公共団体における情報セキュリティポリシーに関するガイドライン: lock after repeated failures.)"""

import pytest
from django.test import Client

from jumin.accounts.models import LoginFailure
from jumin.accounts.tests.login_helpers import PASSWORD, attempt, logged_in, rows
from jumin.audit.models import OK, REFUSED

pytestmark = pytest.mark.django_db

LOCKED = "この利用者名は、パスワードを5回続けて誤ったためロックされています。システム管理者に解除を依頼してください。"


def test_the_fifth_wrong_password_locks_and_the_right_one_is_then_refused(clerk, clerk2):
    for _ in range(4):
        assert "利用者名またはパスワードが正しくありません。" in attempt("clerk", "wrong").content.decode()
    fifth = attempt("clerk", "wrong").content.decode()
    assert LOCKED in fifth and 'role="alert"' in fifth
    assert rows("login_lockout", username="clerk")[0].outcome == OK

    client = Client()
    answer = attempt("clerk", PASSWORD, client=client)

    assert answer.status_code == 200 and LOCKED in answer.content.decode()
    assert not logged_in(client)
    assert LoginFailure.objects.filter(username="clerk").count() == 5      # a locked attempt is not counted
    last = rows("login", username="clerk")[-1]
    assert (last.outcome, last.reason) == (REFUSED, LOCKED)

    other = Client()
    assert attempt("clerk2", PASSWORD, client=other).status_code == 302 and logged_in(other)
