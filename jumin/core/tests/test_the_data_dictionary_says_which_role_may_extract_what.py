"""Rights (platform.md §1): an entity needs データ抽出・EUC and its own permission; 個人番号 items
VIEW_INDIVIDUAL_NUMBER and the flag; 支援措置 items VIEW_PROTECTED and the flag; 操作ログ items
VIEW_OPERATION_LOG; 秘匿 never. A role that may not extract the entity is refused in Japanese."""

import pytest

from jumin.accounts import rules
from jumin.core import dictionary as d
from jumin.core.errors import PermissionDenied


def names(items):
    return {i.name for i in items}


def test_the_analyst_gets_residents_without_the_individual_number():
    allowed = d.allowed_items("residents", rules.ANALYST, individual_number=True)
    assert "name" in names(allowed.items) and "domicile" in names(allowed.items)
    assert "individual_number" not in names(allowed.items)
    reasons = {i.name: reason for i, reason in allowed.left_out}
    assert reasons == {"individual_number": "個人番号を表示する権限がないため除きました。"}


def test_the_approver_gets_the_individual_number_only_when_asking_for_it():
    without = d.allowed_items("residents", rules.APPROVER)
    assert "individual_number" not in names(without.items)
    assert [reason for i, reason in without.left_out] == ["個人番号を含める指定がないため除きました。"]
    assert "individual_number" in names(d.allowed_items("residents", rules.APPROVER, individual_number=True).items)


def test_a_role_without_the_rights_is_refused_in_japanese():
    with pytest.raises(PermissionDenied) as refused:
        d.allowed_items("residents", rules.CLERK)
    assert refused.value.message == "「住民票（現在・除票）」を抽出する権限がありません（必要な権限: データ抽出・EUC）。"
    with pytest.raises(PermissionDenied) as refused:
        d.allowed_items("operation_log", rules.ANALYST)
    assert "操作ログの照会" in refused.value.message
    with pytest.raises(PermissionDenied):
        d.allowed_items("protections", rules.APPROVER)


def test_the_auditor_extracts_the_operation_log_and_nothing_of_residents():
    assert names(d.allowed_items("operation_log", rules.AUDITOR).items) == names(d.entity("operation_log").items)
    with pytest.raises(PermissionDenied):
        d.allowed_items("residents", rules.AUDITOR)


def test_protection_items_need_the_right_and_the_flag():
    without = d.allowed_items("protections", rules.SUPERVISOR)
    assert without.items == [] and len(without.left_out) == len(d.entity("protections").items)
    assert {reason for _, reason in without.left_out} == {"支援措置の項目を含める指定がないため除きました。"}
    assert len(d.allowed_items("protections", rules.SUPERVISOR, protected=True).items) == len(d.entity("protections").items)
    restrictions = d.allowed_items("restrictions", rules.SUPERVISOR)
    assert "order" not in names(restrictions.items) and "reason" in names(restrictions.items)


def test_a_secret_item_is_left_out_for_everyone():
    allowed = d.allowed_items("seals", rules.APPROVER, individual_number=True, protected=True)
    assert "impression_png" not in names(allowed.items)
    assert ("impression_png", "秘匿項目のため抽出できません。") in [(i.name, r) for i, r in allowed.left_out]


def test_protected_rows_only_with_the_right_and_the_flag():
    assert d.may_include_protected(rules.SUPERVISOR, True)
    assert not d.may_include_protected(rules.SUPERVISOR, False)
    assert not d.may_include_protected(rules.ANALYST, True)


def test_a_user_or_an_actor_stands_for_its_role():
    class User:
        role = rules.ANALYST

    class Actor:
        user = User()

    assert d.allowed_items("residents", User()).items == d.allowed_items("residents", Actor()).items


def test_the_dictionary_names_who_may_extract_each_item():
    residents = d.entity("residents")
    assert d.extractable_by(residents) == [rules.APPROVER, rules.SUPERVISOR, rules.ANALYST]
    assert d.extractable_by(residents, d.item("residents", "individual_number")) == [rules.APPROVER]
    assert d.needs_flag(d.item("residents", "individual_number")) == "include_individual_number"
