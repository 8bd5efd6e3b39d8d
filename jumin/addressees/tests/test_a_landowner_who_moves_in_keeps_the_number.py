"""Residents and 住登外者 meet (issue #17 item 3; 共通機能 §2.3): a tax clerk registers a landowner living in 東京都; the
counter later finds him by ﾔﾏﾀﾞ ﾀﾛｳ and his 生年月日; he moves in, the clerk names the 住登外 number, and he keeps
it: one person, one number. The 住登外 record is marked 住民となった with a snapshot (its history kept), in the same
transaction as the 転入, and only when the 転入 is approved. The same 個人番号 leaves no choice (refused until the
number is kept); the same 基本4情報 is an alert the clerk must confirm. A number that is not a 住登外者 in use, or
whose 個人番号 differs, is refused, with nothing written and the refusal logged."""

import pytest

from conftest import actor, family_params
from jumin.addressees import rules
from jumin.addressees.actions import BECAME_RESIDENT, do_register_non_resident
from jumin.addressees.models import NonResident
from jumin.addressees.queries import find_candidates
from jumin.addressees.tests.conftest import PROPERTY_TAX, TAX, landowner, state
from jumin.audit.models import OperationLog
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_approve_change, do_move_in
from jumin.register.actions.base import ConfirmationRequired
from jumin.register.models import Resident

TARO = {"name": "山田 太郎", "name_kana": "ヤマダ タロウ", "birth_date": "S40.4.1", "sex": "1", "relationship": "世帯主",
        "domicile_status": "recorded", "domicile": "東京都新宿区西新宿二丁目8番", "domicile_head": "山田 太郎"}


def _move_in(clerk, **member):
    return do_move_in(family_params(members=[{**TARO, **member}]), actor=actor(clerk))


def _refused_logs():
    return OperationLog.objects.filter(outcome="refused").count()


def test_the_landowner_moves_in_and_keeps_his_number(single_step, clerk):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    found = find_candidates({"kana": "ﾔﾏﾀﾞ ﾀﾛｳ", "birth_date": "S40.4.1"}, actor=actor(clerk), business=TAX)
    assert [r["addressee_number"] for r in found["non_residents"]] == [owner.addressee_number]

    change = _move_in(clerk, individual_number="234567890121", non_resident_of=owner.addressee_number)
    resident = Resident.objects.get(name="山田 太郎")
    assert resident.addressee_number == owner.addressee_number and resident.status == "resident"
    assert change.result["created"] == [owner.addressee_number]
    record = NonResident.objects.get(addressee_number=owner.addressee_number)
    assert record.state == rules.BECAME_RESIDENT and record.history_number == 2
    from jumin.addressees.models import NonResidentHistory

    assert list(NonResidentHistory.objects.filter(addressee_number=owner.addressee_number).order_by("history_number")
                .values_list("reason_code", "state")) == [("registered", "in_use"), ("became_resident", "resident")]
    assert OperationLog.objects.filter(function=BECAME_RESIDENT, addressee_number=owner.addressee_number,
                                       change_id=change.pk).exists()
    # from now on the candidate search shows him as a resident, and his 住登外 record as having become one
    again = find_candidates({"kana": "ﾔﾏﾀﾞ ﾀﾛｳ", "birth_date": "S40.4.1"}, actor=actor(clerk), business=TAX)
    assert [r["population"] for r in again["registered"]] == ["resident"]
    assert [r["state_label"] for r in again["non_residents"]] == ["住民となった（住民記録の宛名番号として使用）"]


def test_a_draft_marks_nothing_until_it_is_approved(municipality, clerk, approver):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    draft = _move_in(clerk, non_resident_of=owner.addressee_number)
    assert NonResident.objects.get().state == rules.IN_USE and not Resident.objects.exists()
    do_approve_change(draft.pk, actor=actor(approver))
    assert Resident.objects.get().addressee_number == owner.addressee_number
    assert NonResident.objects.get().state == rules.BECAME_RESIDENT


def test_the_same_individual_number_is_refused_until_the_number_is_kept(single_step, clerk):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    before, refused = state(), _refused_logs()
    with pytest.raises(RuleViolation) as error:
        _move_in(clerk, individual_number="234567890121")
    assert error.value.code == "non_resident_required" and owner.addressee_number in error.value.message
    assert error.value.field == "members[0].non_resident_of"
    assert state() == before and _refused_logs() == refused + 1


def test_the_same_basic_four_is_an_alert_the_clerk_confirms(single_step, clerk):
    owner = do_register_non_resident(landowner(name="山田　太郎"), actor=actor(clerk), business=PROPERTY_TAX)
    with pytest.raises(ConfirmationRequired) as asked:
        _move_in(clerk, name="山田 太郎")
    alert = next(a for a in asked.value.alerts if a.code.startswith("non_resident_match"))
    assert owner.addressee_number in alert.message
    # the clerk judges it another person: confirmed, a new number
    params = family_params(members=[TARO], acknowledged_alerts=[a.code for a in asked.value.alerts])
    do_move_in(params, actor=actor(clerk))
    assert Resident.objects.get().addressee_number != owner.addressee_number
    assert NonResident.objects.get().state == rules.IN_USE


@pytest.mark.parametrize("claim, member, code", [
    ("9999999999", {}, "non_resident_not_found"),
    ("OWNER", {"individual_number": "345678901234"}, "individual_number_differs"),
    ("RETIRED", {}, "non_resident_not_in_use"),
    ("REMOVED", {}, "non_resident_not_found"),
])
def test_a_number_that_may_not_be_kept_is_refused(family, clerk, claim, member, code):
    from jumin.addressees.actions import do_retire_non_resident

    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    other = do_register_non_resident(landowner(name="佐藤 次郎", name_kana="サトウ ジロウ", individual_number=""),
                                     actor=actor(clerk), business=PROPERTY_TAX)
    do_retire_non_resident(other.addressee_number, actor=actor(clerk), reason="納税義務の消滅")
    hanako = Resident.objects.get(name="山田 花子")
    number = {"OWNER": owner.addressee_number, "RETIRED": other.addressee_number,
              "REMOVED": hanako.addressee_number}.get(claim, claim)
    before, refused = state(), _refused_logs()
    with pytest.raises(RuleViolation) as error:
        do_move_in(family_params(members=[{**TARO, "name": "山田 三郎", "name_kana": "ヤマダ サブロウ", **member,
                                           "non_resident_of": number}]), actor=actor(clerk))
    assert error.value.code == code and error.value.field == "members[0].non_resident_of"
    assert state() == before and _refused_logs() == refused + 1
