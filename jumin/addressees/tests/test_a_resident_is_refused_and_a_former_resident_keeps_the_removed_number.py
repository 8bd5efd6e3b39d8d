"""The register's persons come first (共通機能 §2.3.2 step 1): a current resident is refused, showing the resident's
宛名番号, also when the name is written with another form of a kanji (髙橋 for 高橋); a 除票 person is refused unless the caller chooses to link, and then the 住登外 record keeps the 除票's
宛名番号 — one person, one number. A 支援措置 person's 住登外 record is hidden from a role without the right."""

import pytest

from conftest import actor
from jumin.addressees import rules
from jumin.addressees.actions import REGISTER, do_register_non_resident
from jumin.addressees.queries import get_non_resident
from jumin.addressees.tests.conftest import TAX, refusals, state
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.register.actions import do_move_out
from jumin.register.models import Resident

TARO = {"kind": "former", "name": "山田 太郎", "name_kana": "ヤマダ タロウ", "birth_date": "S55.5.5", "sex": "1",
        "address": {"kind": "domestic", "address": "東京都港区芝公園4丁目2番8号"}}


def _move_out(household, clerk):
    do_move_out({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))


def test_a_current_resident_is_refused_showing_the_residents_number(family, clerk):
    taro = Resident.objects.get(name="山田 太郎")
    before = state()
    for data in (TARO, {**TARO, "name": "山田　太郎"}, {**TARO, "name": "YAMADA TARO", "individual_number":
                                                            "123456789018"}):
        with pytest.raises(RuleViolation, match=taro.addressee_number) as refused:
            do_register_non_resident(data, actor=actor(clerk), business=TAX)
        assert "住民です" in refused.value.message
    assert state() == before and len(refusals(REGISTER)) == 3


def test_a_resident_written_with_another_form_of_a_kanji_is_the_same_person(single_step, clerk):
    from conftest import family_params
    from jumin.register.actions import do_move_in

    do_move_in(family_params(members=[{"name": "髙橋 一郎", "name_kana": "タカハシ イチロウ", "birth_date": "S50.1.1",
                                       "sex": "1", "relationship": "世帯主", "domicile_status": "recorded",
                                       "domicile": "東京都千代田区千代田1番", "domicile_head": "髙橋 一郎"}]),
               actor=actor(clerk))
    takahashi = Resident.objects.get(name="髙橋 一郎")
    before = state()
    with pytest.raises(RuleViolation, match=takahashi.addressee_number):
        do_register_non_resident({**TARO, "name": "高橋 一郎", "name_kana": "タカハシ イチロウ", "birth_date": "1975-01-01"},
                                 actor=actor(clerk), business=TAX)
    assert state() == before


def test_a_former_resident_is_registered_only_when_linked_and_keeps_the_number(family, clerk):
    taro = Resident.objects.get(name="山田 太郎")
    _move_out(family["households"][0], clerk)
    before = state()
    with pytest.raises(RuleViolation, match="除票") as refused:
        do_register_non_resident(TARO, actor=actor(clerk), business=TAX)
    assert refused.value.field == "link_removed" and state() == before
    with pytest.raises(RuleViolation, match="この方の除票ではありません"):
        do_register_non_resident(TARO, actor=actor(clerk), business=TAX, link_removed=Resident.objects.get(name="山田 花子").addressee_number)
    assert state() == before

    record = do_register_non_resident(TARO, actor=actor(clerk), business=TAX, link_removed=taro.addressee_number)
    assert record.addressee_number == taro.addressee_number and record.kind == rules.FORMER_RESIDENT
    with pytest.raises(RuleViolation, match="すでに住登外者"):
        do_register_non_resident(TARO, actor=actor(clerk), business=TAX, link_removed=taro.addressee_number)


def test_a_protected_former_residents_record_is_hidden_from_a_role_without_the_right(family, clerk, viewer, db):
    from conftest import _user
    from jumin.accounts import rules as roles
    from jumin.restrictions.actions import do_register_protection

    hanako = Resident.objects.get(name="山田 花子")
    supervisor = _user("supervisor", roles.SUPERVISOR, "支援 五郎")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv",
                            "offenders": [{"name": "佐藤 健二", "name_kana": "サトウ ケンジ", "birth_date": "1975-01-01",
                                           "sex": "1", "address": "東京都千代田区千代田2番2号"}]},
                           actor=actor(supervisor))
    _move_out(family["households"][0], clerk)
    record = do_register_non_resident({**TARO, "name": "山田 花子", "name_kana": "ヤマダ ハナコ", "sex": "2",
                                       "birth_date": "昭和57年3月3日"}, actor=actor(clerk), business=TAX,
                                      link_removed=hanako.addressee_number)
    assert get_non_resident(record.addressee_number, actor=actor(clerk))["name"] == "山田 花子"
    with pytest.raises(PermissionDenied) as refused:
        get_non_resident(record.addressee_number, actor=actor(viewer))
    assert "山田" not in refused.value.message
