"""A request whose requester matches an offender's name and birth date raises an alert, even for a subject
the order does not protect; offender_match finds the order."""

from datetime import date

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.restrictions.queries import guard_certificate, offender_match


def test_offender_match_folds_the_name_and_needs_the_birth_date(protection):
    assert offender_match("佐藤健二", date(1975, 1, 1)) == [protection]
    assert offender_match("サトウ ケンジ", date(1975, 1, 1)) == [protection]
    assert offender_match("佐藤 健二", date(1975, 1, 2)) == []
    assert offender_match("佐藤 健二", None) == []


def test_the_offender_asking_for_his_own_record_raises_the_alert(protection, family, clerk):
    taro = Resident.objects.get(name="山田 太郎")
    alerts = guard_certificate(actor(clerk), subject_numbers=[taro.addressee_number],
                               requester={"kind": "self", "name": "佐藤 健二", "birth_date": "1975-01-01"})
    assert [a.code for a in alerts] == ["offender_match"]
    log = OperationLog.objects.get(function="restriction.check")
    assert log.outcome == "ok" and log.detail["offender_orders"] == [protection.pk] and "offender_match" in log.reason


def test_an_ended_order_no_longer_matches(protection, supervisor):
    from jumin.restrictions.actions import do_end_protection

    do_end_protection(protection.pk, actor=actor(supervisor), reason="申出者からの終了の申出")
    assert offender_match("佐藤 健二", date(1975, 1, 1)) == []
