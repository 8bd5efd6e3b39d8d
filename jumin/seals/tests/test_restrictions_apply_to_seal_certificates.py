"""抑止 and 支援措置 (jumin.restrictions, the one enforcement module) apply to the 印鑑登録証明書 as to every
certificate: a 発行抑止 (error) refuses with the neutral message, an alert asks the clerk to confirm, and a requester
who is a protection order's offender is refused — each logged."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as roles
from jumin.audit.models import REFUSED, OperationLog
from jumin.register.actions.base import ConfirmationRequired
from jumin.restrictions.actions import do_set_restriction
from jumin.restrictions.queries import NEUTRAL_CERTIFICATE_MESSAGE, Restricted
from jumin.seals.tests.conftest import TODAY, certificate_request, issue, seal_state


@pytest.fixture
def supervisor(db):
    return _user("supervisor", roles.SUPERVISOR, "支援 五郎")


def restrict(supervisor, person, level):
    """In force from the day the seal tests issue on (TODAY), whatever today's date is."""
    do_set_restriction({"addressee_number": person.addressee_number, "operation": "issue", "level": level,
                        "reason": "警察からの照会対応中", "starts_on": TODAY.isoformat()}, actor=actor(supervisor))


def test_an_issue_restriction_refuses_with_the_neutral_message(registered, yamada, clerk, supervisor):
    _, card = registered
    restrict(supervisor, yamada["head"], "error")
    before = seal_state()
    with pytest.raises(Restricted) as refusal:
        issue(clerk, certificate_request(card.card_number))
    assert refusal.value.message == NEUTRAL_CERTIFICATE_MESSAGE
    assert seal_state() == before
    assert OperationLog.objects.filter(function="seal.certificate", outcome=REFUSED,
                                       reason="発行抑止（エラー）").exists()


def test_an_alert_is_confirmed_before_the_certificate_is_issued(registered, yamada, clerk, supervisor):
    _, card = registered
    restrict(supervisor, yamada["head"], "alert")
    with pytest.raises(ConfirmationRequired) as confirmation:
        issue(clerk, certificate_request(card.card_number))
    codes = [a.code for a in confirmation.value.alerts]
    result = issue(clerk, certificate_request(card.card_number, acknowledged_alerts=codes))
    assert result.issuance.kind == "seal_certificate"


def test_the_offender_of_a_protection_order_is_refused(registered, yamada, clerk, supervisor):
    from jumin.restrictions.actions import do_register_protection

    _, card = registered
    do_register_protection({
        "addressee_number": yamada["head"].addressee_number, "kind": "dv", "starts_on": "R8.11.1",
        "offenders": [{"name": "加害 一郎", "birth_date": "1970-01-01"}]}, actor=actor(supervisor))
    with pytest.raises(Restricted):
        params = certificate_request(card.card_number)
        params["requester"] = {"kind": "agent", "name": "加害 一郎", "birth_date": "S45.1.1"}
        issue(clerk, params)
