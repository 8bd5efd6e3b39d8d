"""counter/checks.form_errors: every field-level refusal of a change form at once, in screen order, from the
register's own item rules (issue #15 item 10) — and nothing at all for input the engine accepts."""

from datetime import date

from conftest import family_params
from jumin.counter.checks import form_errors

TODAY = date(2025, 6, 1)


def fields(kind, params):
    return [f for f, _ in form_errors(kind, params, today=TODAY)]


def test_an_empty_move_in_names_each_missing_item_of_the_form_and_its_first_person():
    assert fields("move_in", {}) == [
        "address.address", "previous_address.address", "effective_on", "members[0].name",
        "members[0].birth_date", "members[0].sex", "members[0].relationship", "members[0].domicile_status"]


def test_a_bad_item_and_a_missing_one_are_both_named_with_their_own_messages():
    errors = dict(form_errors("move_in", {
        "address": {"postcode": "12", "address": "宮城県仙台市青葉区一番町1番"},
        "previous_address": {"address": "東京都千代田区千代田1番1号"}, "effective_on": "令和2年2月30日",
        "notified_on": "R99.1.1",
        "members": [{"name": "山田 太郎", "birth_date": "R9.1.1", "sex": "1", "relationship": "世帯主",
                     "domicile_status": "recorded"},
                    {"name": "王 明", "resident_type": "foreign", "domicile": "東京都", "sex": "1",
                     "birth_date": "1990-01-01", "relationship": "同居人"}]}, today=TODAY))
    assert errors["address.postcode"].startswith("郵便番号は7桁")
    assert "存在しない" in errors["effective_on"] and "届出日" in errors["notified_on"]
    assert "未来" in errors["members[0].birth_date"]
    assert errors["members[0].domicile"] == "本籍を入力してください。"
    assert errors["members[0].domicile_head"] == "筆頭者を入力してください。"
    assert errors["members[1].domicile"] == "外国人住民には本籍を記載できません。"
    assert "国籍" in errors["members[1].nationality"] and "members[1].article_30_45" in errors
    assert "address.address" not in errors and "members[1].name" not in errors


def test_a_family_the_engine_accepts_gets_no_message():
    assert form_errors("move_in", family_params(), today=TODAY) == []
    assert form_errors("relocation", {"household_number": "1", "address": {"address": "宮城県仙台市青葉区本町1番"},
                                      "effective_on": "R7.5.1"}, today=TODAY) == []
    assert form_errors("birth", {"household_number": "1", "effective_on": "R7.5.1",
                                 "child": {"name": "山田 桜", "sex": "2", "relationship": "子",
                                           "domicile_status": "unknown"}}, today=TODAY) == []


def test_joining_a_household_needs_no_address_and_a_kind_without_a_form_gets_nothing_here():
    assert "address.address" not in fields("move_in", {"household_number": "0000000012"})
    assert fields("cancellation", {}) == []
