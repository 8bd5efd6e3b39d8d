"""Issue #15 item 8a: `copies: 0` used to read as "blank", so one copy was issued and its fee charged. Now 0,
a negative number, more than the municipality's limit or a non-number is refused; nothing is issued, no
通番 is taken, and the refusal is logged."""

import pytest

from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates import rules
from jumin.certificates.tests.conftest import certificate_state
from jumin.core.errors import RuleViolation


def body(yamada, **extra):
    return {"kind": "resident_copy", "layout": "individual", "subjects": [yamada["head"].addressee_number],
            "requester": {"kind": "self", "name": "山田 太郎"}, "identity_check": "driving_licence"} | extra


@pytest.mark.parametrize("copies,phrase", [(0, "1通以上"), (-3, "1通以上"), (21, "20通まで")])
def test_the_api_refuses_the_request_and_issues_nothing(yamada, clerk, api_as, copies, phrase):
    before = certificate_state()
    response = api_as(clerk).post("/certificates", body(yamada, copies=copies))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == "copies" and phrase in error["message"]
    assert certificate_state() == before
    row = OperationLog.objects.get(function="certificate.issue", outcome=REFUSED)
    assert row.username == "clerk" and "通" in row.reason


def test_a_viewer_may_not_issue_even_one_copy(yamada, viewer, api_as):
    before = certificate_state()
    assert api_as(viewer).post("/certificates", body(yamada, copies=1)).status_code == 403
    assert certificate_state() == before


def test_one_copy_is_still_issued_and_charged_once(yamada, clerk, api_as):
    response = api_as(clerk).post("/certificates", body(yamada, copies=1))
    assert response.status_code == 201, response.content
    assert response.json()["copies"] == 1 and response.json()["fee"] == 300


@pytest.mark.parametrize("value,expected", [(None, 1), ("", 1), ("  ", 1), ("2", 2), (3, 3), (0, 0), ("0", 0)])
def test_copies_as_sent_are_read_without_turning_zero_into_one(value, expected):
    assert rules.parse_copies(value) == expected


@pytest.mark.parametrize("value", ["二", "1.5", 1.0, True, [1]])
def test_copies_that_are_not_a_whole_number_are_refused(value):
    with pytest.raises(RuleViolation) as refusal:
        rules.parse_copies(value)
    assert refusal.value.field == "copies"
