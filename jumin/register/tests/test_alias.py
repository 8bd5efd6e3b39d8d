"""通称の記載・削除 on 申出, 外国人住民 only (standard-spec §2.2, §2.7)."""

import pytest

from conftest import actor
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_move_in, do_record_alias
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list(*ITEM_FIELDS, "history_number")))


@pytest.fixture
def foreigner(single_step, clerk):
    do_move_in({"effective_on": "R6.4.1", "notified_on": "R6.4.1", "move_in_kind": "abroad",
                "address": {"address": "宮城県仙台市青葉区本町三丁目8番1号"}, "previous_address": {"address": "国外"},
                "members": [{"resident_type": "foreign", "name": "NGUYEN VAN AN", "name_alphabet": "NGUYEN VAN AN",
                             "birth_date": "1995-08-20", "sex": "1", "relationship": "世帯主",
                             "nationality": "ベトナム", "article_30_45": "mid_long_term",
                             "residence_status": "技術・人文知識・国際業務", "period_of_stay": "3年",
                             "period_expires_on": "2027-03-31", "residence_card_number": "AB12345678CD"}]},
               actor=actor(clerk))
    return Resident.objects.get(name="NGUYEN VAN AN")


def request(number, action, **overrides):
    params = {"addressee_number": number, "action": action, "effective_on": "R6.6.10", "notified_on": "R6.6.10"}
    params.update(overrides)
    return params


def test_an_alias_is_entered_with_date_and_municipality_then_deleted(foreigner, clerk):
    number = foreigner.addressee_number
    do_record_alias(request(number, "entry", alias="中村 安", alias_kana="なかむら やすし"), actor=actor(clerk))
    foreigner.refresh_from_db()
    assert (foreigner.alias, foreigner.alias_kana) == ("中村 安", "ナカムラ\u3000ヤスシ")
    assert (str(foreigner.alias_recorded_on), foreigner.alias_recorded_municipality) == ("2024-06-10", "仙台市")

    do_record_alias(request(number, "deletion", effective_on="R6.9.1"), actor=actor(clerk))
    foreigner.refresh_from_db()
    assert foreigner.alias == "" and foreigner.name_priority == "name"
    assert (str(foreigner.alias_deleted_on), foreigner.alias_deleted_municipality) == ("2024-09-01", "仙台市")
    snapshots = ResidentHistory.objects.filter(addressee_number=number).order_by("history_number")
    assert [(s.reason_code, s.alias) for s in snapshots] == [
        ("move_in_abroad", ""), ("alias_entry", "中村 安"), ("alias_deletion", "")]


def test_a_second_alias_or_a_deletion_without_one_is_refused(foreigner, clerk):
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_record_alias(request(foreigner.addressee_number, "deletion"), actor=actor(clerk))
    assert refusal.value.code == "not_recorded"
    with pytest.raises(RuleViolation) as refusal:
        do_record_alias(request(foreigner.addressee_number, "entry"), actor=actor(clerk))
    assert refusal.value.field == "alias" and refusal.value.code == "required"
    assert db_state() == before

    do_record_alias(request(foreigner.addressee_number, "entry", alias="中村 安"), actor=actor(clerk))
    before = db_state()
    with pytest.raises(RuleViolation) as refusal:
        do_record_alias(request(foreigner.addressee_number, "entry", alias="中村 靖"), actor=actor(clerk))
    assert refusal.value.code == "already_recorded"
    assert db_state() == before


def test_an_alias_on_a_japanese_resident_is_refused(family, clerk, api_as):
    head = Resident.objects.get(name="山田 太郎")
    before = db_state()
    response = api_as(clerk).post("/changes/alias", request(head.addressee_number, "entry", alias="ヤマさん"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("japanese_resident", "addressee_number")
    assert "外国人住民" in error["message"]
    assert db_state() == before


def test_an_alias_through_the_api(foreigner, clerk, api_as):
    response = api_as(clerk).post("/changes/alias", request(foreigner.addressee_number, "entry", alias="中村 安"))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "alias"
