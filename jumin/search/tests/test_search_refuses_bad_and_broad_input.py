"""Bad input gets a Japanese refusal naming the field; hostile text is ordinary text (issue #3 "bad input")."""

import pytest

from jumin.audit.models import OperationLog


@pytest.mark.parametrize("criteria,field,code", [
    ({"kana": "ア"}, "kana", "too_broad"),
    ({}, None, "too_broad"),
    ({"kana": "ア" * 5000}, "kana", "too_long"),
    ({"name": "山田\x00"}, "name", "control_character"),
    ({"name": "山田\ue001"}, "name", "private_use"),
    ({"kana": "ヤマダ", "birth_date": "令和2年2月30日"}, "birth_date", "invalid_date"),
    ({"kana": "ヤマダ", "birth_date": "令和0年1月1日"}, "birth_date", "invalid_date"),
    ({"kana": "ヤマダ", "sex": "9"}, "sex", "invalid"),
    ({"kana": "ヤマダ", "match": "regex"}, "match", "invalid"),
    ({"household_number": "12ab"}, "household_number", "invalid"),
], ids=str)
def test_the_search_is_refused_with_a_message_that_says_how_to_fix_it(family, clerk, api_as, criteria, field, code):
    response = api_as(clerk).get("/search", **criteria)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == field and error["code"] == code
    assert any("\u3040" <= ch <= "\u9fff" for ch in error["message"])
    assert OperationLog.objects.filter(function="search", outcome="refused").exists()


def test_a_single_kana_is_fine_with_another_criterion(family, clerk, api_as):
    assert api_as(clerk).get("/search", kana="ヤ", birth_date="S55.5.5").status_code == 200
    assert api_as(clerk).get("/search", kana="ヤ", address="宮城県").status_code == 200   # as the refusal suggests


def test_two_single_characters_are_still_too_broad(family, clerk, api_as):
    response = api_as(clerk).get("/search", kana="ヤ", address="宮")
    assert response.status_code == 422 and response.json()["error"]["code"] == "too_broad"


@pytest.mark.parametrize("text", ["%", "_", "%%ヤマダ", "ヤマ_ダ", "' OR '1'='1",
                                  "ヤマダ'; DROP TABLE register_resident; --"])
def test_sql_metacharacters_are_ordinary_text(family, clerk, api_as, text):
    response = api_as(clerk).get("/search", name=text, birth_date="S55.5.5")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api_as(clerk).get("/search", kana="ヤマダ").json()["total"] == 3


def test_paging_is_bounded(family, clerk, api_as):
    assert api_as(clerk).get("/search", kana="ヤマダ", page_size=1000).status_code == 422
    page = api_as(clerk).get("/search", kana="ヤマダ", page_size=2, page=2).json()
    assert page["total"] == 3 and len(page["results"]) == 1
