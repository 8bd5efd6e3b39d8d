"""The pure rules of a 住登外者's items (jumin.addressees.rules): the 基本4情報 needed, a domestic address or one
abroad, 参照業務 always holding the registering 業務, and sameness of 基本4情報 without 異体字セレクタ."""

from datetime import date

import pytest

from jumin.addressees import rules
from jumin.core.errors import RuleViolation

TODAY = date(2026, 12, 3)


def test_a_registration_needs_the_four_basic_items_and_a_kind():
    items = rules.clean_items({"kind": "other", "name": "鈴木 一郎", "birth_date": "平成元年1月8日", "sex": "1",
                               "address": {"address": "大阪府大阪市北区梅田1丁目1番1号"}}, registering="019", today=TODAY)
    assert items["birth_date"] == date(1989, 1, 8)
    assert items["address_kind"] == "domestic" and items["referring_businesses"] == ["019"]
    with pytest.raises(RuleViolation) as refused:
        rules.clean_items({"kind": "other", "name": "鈴木 一郎", "sex": "1", "address": {"address": "大阪"}},
                          registering="019", today=TODAY)
    assert refused.value.field == "birth_date"


def test_an_unknown_birth_day_is_kept_in_its_text_form():
    items = rules.clean_items({"kind": "other", "name": "李 明", "birth_date": "昭和45年月日不詳", "sex": "2",
                               "address": {"kind": "abroad", "country_name": "中華人民共和国",
                                           "foreign_address": "北京市"}}, registering="010", today=TODAY)
    assert items["birth_date"] == date(1970, 1, 1) and "不詳" in items["birth_date_text"]
    unknown = rules.clean_items({"kind": "other", "name": "李 明", "birth_date": "年月日不詳", "sex": "2",
                                 "address": {"address": "東京都"}}, registering="010", today=TODAY)
    assert unknown["birth_date"] is None and unknown["birth_date_text"] == "年月日不詳"


def test_a_change_may_send_one_item_only():
    assert rules.clean_items({"contact": "090-1234-5678"}, registering="010", today=TODAY, partial=True) \
        == {"contact": "090-1234-5678"}


def test_the_registering_business_is_always_among_the_referring_ones():
    assert rules.clean_referring(["024", "010", "024"], "012") == ["010", "012", "024"]
    assert rules.clean_referring(None, "012") == ["012"]


def test_the_four_basic_items_compare_without_variation_selectors():
    one = {"name": "渡邉\U000E0100 一郎", "birth_date": date(1980, 1, 1), "sex": "1", "address": "東京都"}
    other = {"name": "渡邉 一郎", "birth_date": date(1980, 1, 1), "sex": "1", "address": "東京都"}
    assert rules.basic_four(one) == rules.basic_four(other)


def test_only_a_record_in_use_may_change():
    rules.check_may_change(rules.IN_USE, number="0000000019")
    with pytest.raises(RuleViolation, match="名寄せ済"):
        rules.check_may_change(rules.MERGED, number="0000000019")
