"""外国人住民 items (standard-spec §2.2, §2.3): the 30条の45 区分 decides what must be filled in."""

import pytest

from conftest import register_state


def foreign(**items):
    person = {"resident_type": "foreign", "name": "WANG FANG", "name_alphabet": "WANG FANG", "name_kana": "ワン ファン",
              "birth_date": "1990-02-03", "sex": "2", "relationship": "世帯主", "nationality": "中国",
              "article_30_45": "mid_long_term", "residence_status": "技術・人文知識・国際業務",
              "period_of_stay": "5年", "period_expires_on": "2029-03-31", "residence_card_number": "AB12345678CD"}
    person.update(items)
    return {"move_in_kind": "abroad", "effective_on": "R6.4.1", "notified_on": "R6.4.2",
            "address": {"address": "宮城県仙台市青葉区一番町四丁目7番17号"}, "members": [person]}


def test_a_foreign_resident_moving_in_from_abroad_needs_no_previous_address(single_step, clerk, api_as):
    from jumin.register.models import Resident

    response = api_as(clerk).post("/changes/move-in", foreign())
    assert response.status_code == 201, response.content
    wang = Resident.objects.get()
    assert wang.previous_address == "" and str(wang.foreign_resident_since) == "2024-04-01"
    record = api_as(clerk).get(f"/residents/{wang.addressee_number}").json()
    assert record["display"]["birth_date"] == "1990年2月3日"   # 西暦 for foreign residents (§2.4)


def test_a_permanent_resident_has_no_period_of_stay(single_step, clerk, api_as):
    body = foreign(residence_status="永住者", period_of_stay=None, period_expires_on=None)
    assert api_as(clerk).post("/changes/move-in", body).status_code == 201


@pytest.mark.parametrize("missing,field", [("period_expires_on", "members[0].period_expires_on"),
                                           ("residence_card_number", "members[0].residence_card_number"),
                                           ("nationality", "members[0].nationality")])
def test_a_mid_to_long_term_resident_without_a_required_item_is_refused(single_step, clerk, api_as, missing, field):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", foreign(**{missing: None}))
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    assert register_state() == before


def test_a_special_permanent_resident_needs_the_certificate_number(single_step, clerk, api_as):
    body = foreign(article_30_45="special_permanent", residence_status=None, period_of_stay=None,
                   period_expires_on=None, residence_card_number=None)
    refused = api_as(clerk).post("/changes/move-in", body)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "members[0].special_permanent_certificate_number"
    body["members"][0]["special_permanent_certificate_number"] = "AB12345678CD"
    assert api_as(clerk).post("/changes/move-in", body).status_code == 201
