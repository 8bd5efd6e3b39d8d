"""旧氏の記載・変更・削除 on 請求, 日本人住民 only (standard-spec §2.7)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_move_in, do_record_former_surname
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number")))


def request(number, action, **overrides):
    params = {"addressee_number": number, "action": action, "effective_on": "R6.6.10", "notified_on": "R6.6.10"}
    params.update(overrides)
    return params


def reasons(number):
    return list(ResidentHistory.objects.filter(addressee_number=number).order_by("history_number")
                .values_list("reason_code", "former_surname"))


def test_a_former_surname_is_entered_changed_and_deleted(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    number = wife.addressee_number
    do_record_former_surname(request(number, "entry", former_surname="鈴木", former_surname_kana="すずき"),
                             actor=actor(clerk))
    wife.refresh_from_db()
    assert (wife.former_surname, wife.former_surname_kana) == ("鈴木", "スズキ")

    do_record_former_surname(request(number, "change", former_surname="鈴來", former_surname_kana="スズキ"),
                             actor=actor(clerk))
    do_record_former_surname(request(number, "deletion"), actor=actor(clerk))
    wife.refresh_from_db()
    assert (wife.former_surname, wife.former_surname_kana) == ("", "")
    assert reasons(number) == [("move_in_domestic", ""), ("former_surname_entry", "鈴木"),
                               ("former_surname_change", "鈴來"), ("former_surname_deletion", "")]


def test_entry_is_refused_when_one_exists_and_change_or_deletion_when_none(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    before = db_state()
    for action in ("change", "deletion"):
        with pytest.raises(RuleViolation) as refusal:
            do_record_former_surname(request(wife.addressee_number, action, former_surname="鈴木"), actor=actor(clerk))
        assert refusal.value.code == "not_recorded"
    assert db_state() == before

    do_record_former_surname(request(wife.addressee_number, "entry", former_surname="鈴木"), actor=actor(clerk))
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_record_former_surname(request(wife.addressee_number, "entry", former_surname="佐藤"), actor=actor(clerk))
    assert refusal.value.code == "already_recorded"
    with pytest.raises(RuleViolation) as refusal:
        do_record_former_surname(request(wife.addressee_number, "change", former_surname="鈴木"), actor=actor(clerk))
    assert refusal.value.code == "no_change"
    assert db_state() == before


def test_a_former_surname_on_a_foreign_resident_is_refused(single_step, clerk, api_as):
    do_move_in({"effective_on": "R6.4.1", "notified_on": "R6.4.1", "move_in_kind": "abroad",
                "address": {"address": "宮城県仙台市青葉区本町三丁目8番1号"}, "previous_address": {"address": "国外"},
                "members": [{"resident_type": "foreign", "name": "KIM MINJUN", "name_alphabet": "KIM MINJUN",
                             "birth_date": "1990-03-15", "sex": "1", "relationship": "世帯主",
                             "nationality": "韓国", "article_30_45": "special_permanent",
                             "special_permanent_certificate_number": "SP1234567890"}]},
               actor=actor(clerk))
    foreigner = Resident.objects.get(name="KIM MINJUN")
    before = db_state()
    response = api_as(clerk).post("/changes/former-surname",
                                  request(foreigner.addressee_number, "entry", former_surname="金"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("foreign_resident", "addressee_number")
    assert "通称" in error["message"]
    assert db_state() == before


def test_a_former_surname_through_the_api(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    response = api_as(clerk).post("/changes/former-surname",
                                  request(wife.addressee_number, "entry", former_surname="鈴木"))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "former_surname"
    response = api_as(clerk).post("/changes/former-surname", request(wife.addressee_number, "rename"))
    assert response.status_code == 422 and response.json()["error"]["field"] == "action"
