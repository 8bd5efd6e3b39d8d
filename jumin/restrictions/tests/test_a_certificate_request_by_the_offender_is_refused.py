"""guard_certificate: the named offender (by name and birth date, or by 宛名番号) is refused with a neutral
message; the log keeps the real reason; nothing is written."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.restrictions.queries import NEUTRAL_CERTIFICATE_MESSAGE, Restricted, guard_certificate

from .conftest import state


@pytest.mark.parametrize("name", ["佐藤 健二", "佐藤健二", "ｻﾄｳ ｹﾝｼﾞ"])
def test_the_offender_asking_for_the_victims_record_is_refused(protection, hanako, clerk, name):
    before = state()
    with pytest.raises(Restricted) as refused:
        guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number],
                          requester={"kind": "agent", "name": name, "birth_date": "S50.1.1"})
    assert refused.value.message == NEUTRAL_CERTIFICATE_MESSAGE and refused.value.code == "restricted"
    assert "加害" not in refused.value.message and "支援" not in refused.value.message
    assert state() == before
    log = OperationLog.objects.get(function="certificate.issue")
    assert log.outcome == "refused" and log.addressee_number == hanako.addressee_number
    assert log.reason == "支援措置の加害者からの請求" and log.detail["orders"] == [protection.pk]


def test_the_offender_known_by_addressee_number_is_refused(family, hanako, supervisor, clerk):
    from jumin.register.models import Resident
    from jumin.restrictions.actions import do_register_protection

    taro = Resident.objects.get(name="山田 太郎")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv",
                            "offenders": [{"name": "山田 太郎", "addressee_number": taro.addressee_number}]},
                           actor=actor(supervisor))
    with pytest.raises(Restricted):
        guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number],
                          requester={"kind": "household", "addressee_number": taro.addressee_number})
    assert OperationLog.objects.get(function="certificate.issue").reason == "支援措置の加害者からの請求"


def test_the_victim_herself_gets_her_certificate(protection, hanako, clerk):
    assert guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number],
                             requester={"kind": "self", "addressee_number": hanako.addressee_number}) == []
    assert OperationLog.objects.get(function="restriction.check").outcome == "ok"
