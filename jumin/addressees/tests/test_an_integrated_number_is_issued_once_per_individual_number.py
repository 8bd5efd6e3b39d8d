"""団体内統合宛名 (共通機能 §2.4; issue #17 item 5): a 団体内統合宛名番号 is issued for a resident or a 住登外者 with a
個人番号 only when no record with that 個人番号 exists — asked again, the same number comes back; the 宛名番号 ↔
統合宛名番号 link is kept; a lookup by 個人番号 is logged with its purpose; `jumin integrated export` writes the 副本
registration file. Refused with nothing written and the refusal logged: no 個人番号, an unknown 宛名番号, a merged
住登外者, no purpose, a 業務 that does not exist, a role without the right."""

import csv

import pytest
from django.core.management import CommandError, call_command

from conftest import actor
from jumin.addressees.actions import ASSIGN_INTEGRATED, LOOKUP_INTEGRATED, do_assign_integrated_number, \
    do_register_non_resident
from jumin.addressees.models import IntegratedAddressee
from jumin.addressees.queries import find_integrated
from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner, refusals
from jumin.audit.models import OperationLog
from jumin.core.check_digits import is_valid_addressee_number
from jumin.core.errors import NotFound, PermissionDenied, RuleViolation
from jumin.register.models import Resident

PURPOSE = "地方税法による個人住民税の賦課（情報照会）"


def test_a_resident_and_a_non_resident_each_get_one_number(family, clerk, tmp_path):
    taro = Resident.objects.get(name="山田 太郎")
    record, created = do_assign_integrated_number(taro.addressee_number, actor=actor(clerk), business="010",
                                                  purpose=PURPOSE)
    assert created and len(record.integrated_number) == 15 and is_valid_addressee_number(record.integrated_number, 15)
    assert record.addressee_number == taro.addressee_number and record.population == "resident"
    again, created = do_assign_integrated_number(taro.addressee_number, actor=actor(clerk), business="024",
                                                 purpose=PURPOSE)
    assert not created and again.integrated_number == record.integrated_number

    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    other, created = do_assign_integrated_number(owner.addressee_number, actor=actor(clerk), business="012",
                                                 purpose=PURPOSE)
    assert created and other.population == "non_resident" and other.integrated_number != record.integrated_number
    assert "西新宿" in other.address

    found = find_integrated("2345 6789 0121", actor=actor(clerk), purpose=PURPOSE)
    assert found["integrated_number"] == other.integrated_number and found["individual_number"] == "234567890121"
    log = OperationLog.objects.filter(function=LOOKUP_INTEGRATED, outcome="ok").get()
    assert log.reason == PURPOSE and log.individual_number_shown

    out = tmp_path / "fukuhon.csv"
    call_command("integrated", "export", out=str(out), user="clerk")
    lines = list(csv.reader(open(out, encoding="utf-8-sig")))
    assert lines[0][:2] == ["団体内統合宛名番号", "個人番号"] and len(lines) == 3
    assert {line[1] for line in lines[1:]} == {"123456789018", "234567890121"}


def test_bad_requests_are_refused_with_nothing_written(family, clerk, approver, viewer):
    from jumin.addressees.actions import do_decide_merge, do_propose_merge

    hanako = Resident.objects.get(name="山田 花子")          # no 個人番号
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    twin = do_register_non_resident(landowner(name="山田　太郎", individual_number=""), actor=actor(clerk),
                                    business="010")
    merge = do_propose_merge(twin.addressee_number, owner.addressee_number, actor=actor(clerk), reason="同一人")
    do_decide_merge(merge.pk, approve=True, actor=actor(approver))
    for number, business, purpose, code in [
            (hanako.addressee_number, "010", PURPOSE, "no_individual_number"),
            ("9999999999", "010", PURPOSE, "not_found"), (twin.addressee_number, "010", PURPOSE, "not_in_use"),
            (owner.addressee_number, "010", "", "required"), (owner.addressee_number, "999", PURPOSE, None)]:
        with pytest.raises(RuleViolation) as refused:
            do_assign_integrated_number(number, actor=actor(clerk), business=business, purpose=purpose)
        if code:
            assert refused.value.code == code
    with pytest.raises(PermissionDenied):
        do_assign_integrated_number(owner.addressee_number, actor=actor(viewer), business="010", purpose=PURPOSE)
    assert not IntegratedAddressee.objects.exists() and len(set(refusals(ASSIGN_INTEGRATED))) == 6
    with pytest.raises(NotFound):
        find_integrated("234567890121", actor=actor(clerk), purpose=PURPOSE)
    with pytest.raises(RuleViolation):
        find_integrated("234567890121", actor=actor(clerk), purpose="")
    with pytest.raises(PermissionDenied):
        find_integrated("234567890121", actor=actor(viewer), purpose=PURPOSE)
    assert len(refusals(LOOKUP_INTEGRATED)) == 3
    with pytest.raises(CommandError):
        call_command("integrated", "export", out="/tmp/never.csv", user="viewer")


def test_the_api_assigns_and_looks_up(family, clerk, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    api = api_as(clerk)
    first = api.post("/integrated", {"addressee_number": taro.addressee_number, "business": "010", "purpose": PURPOSE})
    assert first.status_code == 201 and first.json()["individual_number"] == "************"
    second = api.post("/integrated", {"addressee_number": taro.addressee_number, "business": "010",
                                      "purpose": PURPOSE})
    assert second.status_code == 200 and second.json()["integrated_number"] == first.json()["integrated_number"]
    looked = api.post("/integrated/lookup", {"individual_number": "123456789018", "purpose": PURPOSE})
    assert looked.status_code == 200 and looked.json()["addressee_number"] == taro.addressee_number
    assert api.post("/integrated/lookup", {"individual_number": "123456789019", "purpose": PURPOSE}).status_code == 422
