"""基本データリスト データ項目名称 (issue #16 item 1): the register's items carry the list's name where one maps
(common-functions.md §5.2, [F2]); the others say so — 「対応なし（jumin独自項目）」 in every export."""

from jumin.core import dictionary as d
from jumin.core.management.commands.datadict import rows

EXPECTED = {
    "addressee_number": "宛名番号", "household_number": "世帯番号", "resident_type": "住民種別", "status": "住民状態",
    "name": "氏名", "name_kana": "氏名_フリガナ", "name_alphabet": "氏名_外国人ローマ字", "former_surname": "旧氏",
    "alias": "通称", "sex": "性別", "birth_date": "生年月日", "relationship": "続柄表記", "postcode": "住所_郵便番号",
    "address_supplement": "住所_方書", "became_resident_on": "住民となった年月日",
    "previous_postcode": "転入前住所_郵便番号", "destination_postcode": "転出先住所（予定）_郵便番号",
    "destination_confirmed_supplement": "転出先住所（確定）_方書", "nationality": "国籍名等",
    "article_30_45": "第30条45規定区分", "residence_status": "在留資格等コード",
    "period_expires_on": "在留期間の満了の日", "individual_number": "個人番号",
}


def test_the_register_items_carry_the_list_names():
    for code in ("residents", "history"):
        for name, basic in EXPECTED.items():
            assert d.item(code, name).basic == basic, (code, name)
    assert d.item("history", "reason_code").basic == "異動事由"
    assert d.item("history", "effective_on").basic == "異動年月日"
    assert d.item("households", "household_number").basic == "世帯番号"


def test_an_item_the_list_does_not_have_says_so():
    assert d.item("residents", "address_since").basic is None
    assert d.item("residents", "domicile").basic is None
    exported = {(r[1], r[3]): r[5] for r in rows()}
    assert exported[("residents", "address_since")] == "対応なし（jumin独自項目）"
    assert exported[("residents", "name")] == "氏名"


def test_a_list_name_finds_the_item_and_is_unique_within_an_entity():
    assert d.item("residents", "氏名_フリガナ").name == "name_kana"
    for found in d.entities():
        names = [i.basic for i in found.items if i.basic]
        assert len(names) == len(set(names)), found.code


def test_the_notes_say_the_source_is_a_vendors_approximation():
    assert any("[F2]" in note and "基本データリスト" in note for note in d.as_json()["notes"])
