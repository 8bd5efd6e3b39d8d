"""Each bad registration or change (issue #17 "Bad input") is refused with a Japanese message naming the field, the
refusal is logged, and every table — the register's and the 住登外 ones, the number series, the journal — is
unchanged."""

import pytest

from conftest import actor
from jumin.addressees.actions import CHANGE, REGISTER, do_change_non_resident, do_register_non_resident
from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner, refusals, state
from jumin.core.errors import NotFound, RuleViolation

BAD = [
    ("no name", {"name": ""}, "name", "氏名"),
    ("no sex", {"sex": ""}, "sex", "性別"),
    ("no birth date", {"birth_date": ""}, "birth_date", "生年月日"),
    ("impossible date", {"birth_date": "2026-02-30"}, "birth_date", "生年月日"),
    ("令和0年", {"birth_date": "令和0年1月1日"}, "birth_date", "生年月日"),
    ("future birth", {"birth_date": "2099-01-01"}, "birth_date", "未来"),
    ("wrong check digit", {"individual_number": "234567890122"}, "individual_number", "個人番号"),
    ("unknown kind", {"kind": "alien"}, "kind", "住登外者種別"),
    ("no address", {"address": None}, "address", "住所"),
    ("abroad items at home", {"address": {"kind": "domestic", "address": "東京都", "country_name": "米国"}},
     "address.country_name", "国外"),
    ("abroad without a country", {"address": {"kind": "abroad", "foreign_address": "1 Main St"}},
     "address.country_name", "国名等"),
    ("bad municipality code", {"address": {"kind": "domestic", "address": "東京都", "municipality_code": "13"}},
     "address.municipality_code", "市区町村コード"),
    ("unknown referring business", {"referring_businesses": ["999"]}, "referring_businesses[0]", "業務ID"),
    ("PUA character", {"name": "山田 \ue000郎"}, "name", "氏名"),
    ("control character", {"name": "山田\x07太郎"}, "name", "氏名"),
    ("10 MB name", {"name": "山" * (10 << 20)}, "name", "氏名"),
    ("unknown item", {"nickname": "たろちゃん"}, "nickname", "項目"),
    ("not a text", {"name": ["山田"]}, "name", "氏名"),
]


@pytest.mark.parametrize("label,change,field,words", BAD, ids=[b[0] for b in BAD])
def test_a_bad_registration_is_refused_naming_the_field(db, clerk, label, change, field, words):
    data = landowner()
    data.update(change)
    before = state()
    with pytest.raises(RuleViolation) as refused:
        do_register_non_resident(data, actor=actor(clerk), business=PROPERTY_TAX)
    assert refused.value.field == field
    assert words in refused.value.message
    assert state() == before
    assert refusals(REGISTER) == [refused.value.message[:500]]


def test_an_unknown_business_is_refused(db, clerk):
    before = state()
    with pytest.raises(RuleViolation, match="業務ID"):
        do_register_non_resident(landowner(), actor=actor(clerk), business="999")
    assert state() == before and refusals(REGISTER)


def test_an_individual_number_held_by_another_non_resident_is_refused(db, clerk):
    first = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    before = state()
    with pytest.raises(RuleViolation, match=first.addressee_number) as refused:
        do_register_non_resident(landowner(name="山田 次郎", name_kana="ヤマダ ジロウ"), actor=actor(clerk),
                                 business=PROPERTY_TAX)
    assert refused.value.field == "individual_number"
    assert state() == before


def test_a_change_of_a_number_that_does_not_exist_or_with_nothing_in_it_is_refused(db, clerk):
    owner = do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)
    before = state()
    with pytest.raises(NotFound):
        do_change_non_resident("9999999999", {"contact": "x"}, actor=actor(clerk))
    with pytest.raises(RuleViolation, match="変更する項目"):
        do_change_non_resident(owner.addressee_number, {}, actor=actor(clerk))
    with pytest.raises(RuleViolation, match="氏名"):
        do_change_non_resident(owner.addressee_number, {"name": ""}, actor=actor(clerk))
    with pytest.raises(RuleViolation, match="生年月日"):
        do_change_non_resident(owner.addressee_number, {"birth_date": ""}, actor=actor(clerk))
    assert state() == before
    assert len(refusals(CHANGE)) == 4
