"""A third party asking for a protected person's 住民票の写し is refused neutrally and logged with the reason."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.restrictions.queries import NEUTRAL_CERTIFICATE_MESSAGE, Restricted, guard_certificate

from .conftest import state


def test_a_third_party_request_for_the_protected_person_is_refused(protection, hanako, clerk):
    before = state()
    with pytest.raises(Restricted) as refused:
        guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number],
                          requester={"kind": "third_party", "name": "債権 回収", "birth_date": "1980-01-01"})
    assert refused.value.message == NEUTRAL_CERTIFICATE_MESSAGE
    assert state() == before
    log = OperationLog.objects.get(function="certificate.issue")
    assert log.outcome == "refused" and log.reason == "支援措置対象者についての第三者請求"
    assert log.detail["requester_kind"] == "third_party"


def test_a_third_party_request_for_an_unprotected_person_passes(protection, family, clerk):
    from jumin.register.models import Resident

    taro = Resident.objects.get(name="山田 太郎")
    assert guard_certificate(actor(clerk), subject_numbers=[taro.addressee_number],
                             requester={"kind": "third_party", "name": "債権 回収"}) == []


def test_an_order_that_does_not_cover_copies_does_not_refuse(hanako, supervisor, clerk):
    from jumin.restrictions.actions import do_register_protection

    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "stalker", "copies": False,
                            "inspection": True}, actor=actor(supervisor))
    assert guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number],
                             requester={"kind": "third_party", "name": "債権 回収"}) == []
