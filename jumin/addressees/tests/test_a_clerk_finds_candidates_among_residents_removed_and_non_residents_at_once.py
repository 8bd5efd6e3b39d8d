"""住登外者宛名基本情報照会 (共通機能 §2.3.2: 0310007 → 0310005 → 0310006): before numbering, a clerk or another system
searches the 基本4情報 across residents, 除票 and 住登外者 at once, folded as the counter's search folds — ﾔﾏﾀﾞ ﾀﾛｳ
finds ヤマダ タロウ, 髙橋 finds 高橋 — each line saying which it is, so a former resident is never numbered as a
stranger. 完全一致 is the default; 前方一致 and 部分一致 on request. A record another 業務 may not refer to shows its
number only. A viewer searches too (and sees no 支援措置 person: see the leak test); bad input is refused, logged,
nothing written."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.addressees.actions import do_change_non_resident, do_register_non_resident
from jumin.addressees.queries import CANDIDATES, find_candidates
from jumin.addressees.tests.conftest import PROPERTY_TAX, TAX, landowner, refusals, state
from jumin.audit.models import OperationLog
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.register.actions import do_move_out
from jumin.register.models import Resident


def _numbers(found, population):
    return [r["addressee_number"] for r in found[population]]


def test_ﾔﾏﾀﾞ_ﾀﾛｳ_finds_the_resident_and_the_landowner_marked_apart(family, clerk):
    owner = do_register_non_resident(landowner(individual_number=""), actor=actor(clerk), business=PROPERTY_TAX)
    taro = Resident.objects.get(name="山田 太郎")
    found = find_candidates({"kana": "ﾔﾏﾀﾞ ﾀﾛｳ"}, actor=actor(clerk), business=TAX)
    assert _numbers(found, "registered") == [taro.addressee_number]
    assert found["registered"][0]["population_label"] == "住民"
    assert _numbers(found, "non_residents") == [owner.addressee_number]
    line = found["non_residents"][0]
    assert line["population_label"] == "住登外" and line["name"] == "山田 太郎" and line["birth_date_display"] == "昭和40年4月1日"
    assert "東京都新宿区西新宿" in line["address"] and line["state_label"] == "使用中" and not line["withheld"]
    # with the 生年月日, only the landowner; with another kanji form (山⽥ written 山田 with 髙/高 alike) the same
    born = find_candidates({"name": "山田　太郎", "birth_date": "S40.4.1"}, actor=actor(clerk), business=TAX)
    assert _numbers(born, "registered") == [] and _numbers(born, "non_residents") == [owner.addressee_number]
    logged = OperationLog.objects.filter(function=CANDIDATES, outcome="ok").order_by("pk")
    assert list(logged.values_list("addressee_number", flat=True)) == \
        [taro.addressee_number, owner.addressee_number, owner.addressee_number]   # one row per person shown
    assert logged.last().detail["business"] == TAX


def test_a_former_resident_is_found_as_a_removed_record(family, clerk):
    hanako = Resident.objects.get(name="山田 花子")
    do_move_out({"household_number": hanako.household_number, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))
    found = find_candidates({"name": "山田 花子", "birth_date": "S57.3.3"}, actor=actor(clerk), business=TAX)
    assert [(r["addressee_number"], r["population_label"]) for r in found["registered"]] == \
        [(hanako.addressee_number, "除票")]


def test_exact_is_the_default_and_prefix_and_partial_are_asked_for(family, clerk):
    owner = do_register_non_resident(landowner(name="髙橋 一郎", name_kana="タカハシ イチロウ", individual_number=""),
                                     actor=actor(clerk), business=PROPERTY_TAX)
    assert _numbers(find_candidates({"name": "高橋"}, actor=actor(clerk), business=TAX), "non_residents") == []
    assert _numbers(find_candidates({"name": "高橋 一郎"}, actor=actor(clerk), business=TAX), "non_residents") == \
        [owner.addressee_number]
    assert _numbers(find_candidates({"name": "高橋", "match": "prefix"}, actor=actor(clerk), business=TAX),
                    "non_residents") == [owner.addressee_number]
    assert _numbers(find_candidates({"kana": "イチロ", "match": "partial"}, actor=actor(clerk), business=TAX),
                    "non_residents") == [owner.addressee_number]
    # a past name stays searchable after a change, as in the register
    do_change_non_resident(owner.addressee_number, {"name": "佐藤 一郎", "name_kana": "サトウ イチロウ"},
                           actor=actor(clerk), reason="婚姻")
    assert _numbers(find_candidates({"name": "高橋 一郎"}, actor=actor(clerk), business=TAX), "non_residents") == \
        [owner.addressee_number]
    assert _numbers(find_candidates({"kana": "サトウ イチロウ"}, actor=actor(clerk), business=TAX),
                    "non_residents") == [owner.addressee_number]


def test_a_record_other_businesses_may_not_refer_to_shows_its_number_only(db, clerk):
    owner = do_register_non_resident(landowner(other_business_hidden=True), actor=actor(clerk), business=PROPERTY_TAX)
    own = find_candidates({"name": "山田 太郎"}, actor=actor(clerk), business=PROPERTY_TAX)["non_residents"][0]
    assert own["name"] == "山田 太郎" and not own["withheld"]
    other = find_candidates({"name": "山田 太郎"}, actor=actor(clerk), business="024")["non_residents"][0]
    assert other["addressee_number"] == owner.addressee_number and other["withheld"]
    assert other["name"] == "" and other["birth_date"] is None and "西新宿" not in other["address"]


def test_a_viewer_may_search_and_a_role_without_the_right_may_not(family, viewer):
    analyst = _user("analyst", perms.ANALYST, "統計 五郎")     # residents' lists, not 住登外者
    assert find_candidates({"kana": "ヤマダ タロウ"}, actor=actor(viewer), business=TAX)["registered"]
    before = state()
    with pytest.raises(PermissionDenied):
        find_candidates({"kana": "ヤマダ タロウ"}, actor=actor(analyst), business=TAX)
    with pytest.raises(PermissionDenied):      # 個人番号 needs its own right
        find_candidates({"individual_number": "123456789018"}, actor=actor(viewer), business=TAX)
    assert state() == before and len(refusals(CANDIDATES)) == 2


@pytest.mark.parametrize("params, business, field", [
    ({"kana": "ヤマダ"}, "999", "business"),
    ({"kana": "ヤマダ"}, "", "business"),
    ({}, TAX, None),
    ({"kana": "ヤ"}, TAX, "kana"),
    ({"name": "山\ue000田"}, TAX, "name"),
    ({"name": "山田\x00"}, TAX, "name"),
    ({"name": "山" * 10_000_000}, TAX, "name"),
    ({"name": "山田", "match": "fuzzy"}, TAX, "match"),
    ({"name": "山田", "birth_date": "S40.2.30"}, TAX, "birth_date"),
])
def test_bad_input_is_refused_in_japanese_naming_the_field(family, clerk, params, business, field):
    before = state()
    with pytest.raises(RuleViolation) as refused:
        find_candidates(params, actor=actor(clerk), business=business)
    assert refused.value.field == field and any("\u3040" <= ch <= "\u9fff" for ch in refused.value.message)
    assert state() == before and len(refusals(CANDIDATES)) == 1
