"""The answers never tell whether a user name exists: a wrong password and an unknown name get the same message,
and an unknown name is locked after five tries exactly like a real one."""

import pytest

from jumin.accounts.tests.login_helpers import attempt, rows
from jumin.audit.models import REFUSED

pytestmark = pytest.mark.django_db


def error_of(response) -> str:
    return response.context["form"].non_field_errors()[0]


def test_wrong_password_and_unknown_name_answer_alike_up_to_the_lock(clerk):
    for _ in range(5):
        known, unknown = error_of(attempt("clerk", "wrong")), error_of(attempt("nobody", "wrong"))
        assert known == unknown

    assert "ロックされています" in error_of(attempt("nobody", "wrong"))
    refused = rows("login", username="nobody")
    assert len(refused) == 6 and all(r.outcome == REFUSED and r.user_id is None for r in refused)
