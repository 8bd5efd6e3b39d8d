"""付番 (共通機能 §2.3.2, 0310001): a clerk registers a landowner living in 東京都 as a 住登外者. The number comes from
the register's own 宛名番号 series (M11 check digit), so it never equals a resident's; the first snapshot, the
operation-log row and the change journal are written with it. A viewer may look but not register."""

import pytest

from conftest import actor
from jumin.addressees import rules
from jumin.addressees.actions import REGISTER, do_register_non_resident
from jumin.addressees.models import NonResident, NonResidentHistory
from jumin.addressees.tests.conftest import PROPERTY_TAX, TAX, landowner, refusals, state
from jumin.audit.models import OperationLog
from jumin.core.check_digits import is_valid_addressee_number
from jumin.core.errors import PermissionDenied
from jumin.core.models import Journal
from jumin.register.models import Resident


def test_the_landowner_gets_the_next_number_of_the_residents_series(family, clerk):
    residents = set(Resident.objects.values_list("addressee_number", flat=True))

    record = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)

    assert is_valid_addressee_number(record.addressee_number)
    assert record.addressee_number not in residents
    assert record.addressee_number > max(residents)               # the same series, after the family's numbers
    assert (record.state, record.kind, record.business) == (rules.IN_USE, rules.TAXPAYER, PROPERTY_TAX)
    assert record.name == "山田 太郎" and record.address == "東京都新宿区西新宿二丁目8番1号"
    assert record.referring_businesses == [PROPERTY_TAX]
    snapshot = NonResidentHistory.objects.get(addressee_number=record.addressee_number)
    assert (snapshot.history_number, snapshot.reason_code) == (1, rules.REGISTERED)
    assert snapshot.name == record.name and snapshot.birth_date == record.birth_date
    assert OperationLog.objects.filter(function=REGISTER, addressee_number=record.addressee_number,
                                       outcome="ok").count() == 1
    keys = set(Journal.objects.values_list("entity", "key"))
    assert ("non_residents", record.addressee_number) in keys


def test_two_registrations_get_two_numbers_and_a_second_business_may_refer(db, clerk):
    first = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    second = do_register_non_resident(landowner(name="佐藤 花子", name_kana="サトウ ハナコ", sex="2",
                                                 individual_number="", referring_businesses=[TAX, "024"]),
                                      actor=actor(clerk), business=TAX)
    assert first.addressee_number != second.addressee_number
    assert second.referring_businesses == [TAX, "024"]


def test_a_ex_officio_registration_is_marked_as_such(db, clerk):
    record = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX, ex_officio=True)
    assert NonResidentHistory.objects.get(addressee_number=record.addressee_number).reason_code \
        == rules.REGISTERED_EX_OFFICIO


def test_someone_living_abroad_is_registered_with_the_country(db, clerk):
    record = do_register_non_resident(
        landowner(kind="abroad", name="SMITH JOHN", name_kana="スミス ジョン", name_alphabet="SMITH JOHN",
                  individual_number="",
                  address={"kind": "abroad", "country_code": "840", "country_name": "アメリカ合衆国",
                           "foreign_address": "1600 Pennsylvania Avenue NW, Washington, DC 20500"}),
        actor=actor(clerk), business=TAX)
    assert (record.address_kind, record.country_name, record.address) == ("abroad", "アメリカ合衆国", "")


def test_a_viewer_may_not_register_and_nothing_is_written(db, viewer):
    before = state()
    with pytest.raises(PermissionDenied):
        do_register_non_resident(landowner(), actor=actor(viewer), business=PROPERTY_TAX)
    assert state() == before
    assert NonResident.objects.count() == 0
    assert refusals(REGISTER)
