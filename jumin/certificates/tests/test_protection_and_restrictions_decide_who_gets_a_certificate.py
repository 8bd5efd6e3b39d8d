"""支援措置・抑止 on certificates (issue #6, issue #5 item 8): the offender and third parties are refused with a
neutral message; an alert-level 抑止 asks the clerk to confirm; every attempt is in the operation log."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as roles
from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates.tests.conftest import certificate_state, issue, request_for
from jumin.register.actions.base import ConfirmationRequired
from jumin.restrictions.queries import NEUTRAL_CERTIFICATE_MESSAGE, Restricted

OFFENDER = {"name": "佐藤 健二", "name_kana": "サトウ ケンジ", "birth_date": "1975-01-01", "sex": "1"}


@pytest.fixture
def supervisor(db):
    return _user("supervisor", roles.SUPERVISOR, "支援 五郎")


@pytest.fixture
def protected_wife(yamada, supervisor):
    from jumin.restrictions.actions import do_register_protection

    do_register_protection({"addressee_number": yamada["wife"].addressee_number, "kind": "dv",
                            "offenders": [OFFENDER]}, actor=actor(supervisor))
    return yamada["wife"]


def test_the_offender_is_refused_neutrally_and_the_log_says_why(protected_wife, clerk):
    before = certificate_state()
    params = request_for(protected_wife, layout="individual", requester_kind="agent", requester_name="佐藤 健二",
                         purpose="家族として", agent_letter=True)
    params["requester"]["birth_date"] = "S50.1.1"
    with pytest.raises(Restricted) as refusal:
        issue(clerk, params)
    assert refusal.value.message == NEUTRAL_CERTIFICATE_MESSAGE
    assert "支援" not in refusal.value.message and "加害" not in refusal.value.message
    assert certificate_state() == before
    row = OperationLog.objects.get(function="certificate.issue", outcome=REFUSED)
    assert row.addressee_number == protected_wife.addressee_number and "加害者" in row.reason


def test_a_third_party_is_refused_for_a_protected_person(protected_wife, clerk):
    before = certificate_state()
    with pytest.raises(Restricted):
        issue(clerk, request_for(protected_wife, layout="individual", requester_kind="third_party",
                                 requester_name="株式会社 調査", purpose="所在確認"))
    assert certificate_state() == before


def test_the_protected_person_herself_gets_her_copy(protected_wife, clerk):
    result = issue(clerk, request_for(protected_wife, layout="individual"))
    assert result.issuance.subjects == [protected_wife.addressee_number]


def test_an_alert_level_restriction_needs_the_clerks_confirmation(yamada, clerk, supervisor):
    from jumin.restrictions.actions import do_set_restriction

    do_set_restriction({"addressee_number": yamada["head"].addressee_number, "operation": "issue", "level": "alert",
                        "reason": "成年後見人からの申出"}, actor=actor(supervisor))
    params = request_for(yamada["head"], layout="individual")
    before = certificate_state()
    with pytest.raises(ConfirmationRequired) as asked:
        issue(clerk, params)
    assert certificate_state() == before
    assert "成年後見人からの申出" in asked.value.alerts[0].message
    params["acknowledged_alerts"] = [a.code for a in asked.value.alerts]
    result = issue(clerk, params)
    assert OperationLog.objects.get(function="certificate.issue", outcome="ok").detail["alerts"] == \
        params["acknowledged_alerts"]
    assert result.issuance.pk


def test_an_error_level_restriction_refuses(yamada, clerk, supervisor):
    from jumin.restrictions.actions import do_set_restriction

    do_set_restriction({"addressee_number": yamada["head"].addressee_number, "operation": "issue", "level": "error",
                        "reason": "調査中"}, actor=actor(supervisor))
    before = certificate_state()
    with pytest.raises(Restricted):
        issue(clerk, request_for(yamada["head"], layout="individual"))
    assert certificate_state() == before
