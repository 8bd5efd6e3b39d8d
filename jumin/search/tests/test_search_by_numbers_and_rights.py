"""Exact number lookups; 個人番号 only for roles allowed to see it (refused and logged otherwise)."""

from jumin.audit.models import OperationLog
from jumin.register.models import Resident


def hits(api, **criteria):
    response = api.get("/search", **criteria)
    assert response.status_code == 200, response.content
    return [r["addressee_number"] for r in response.json()["results"]]


def test_each_number_finds_exactly_its_person(family, clerk, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    api = api_as(clerk)
    assert hits(api, addressee_number=taro.addressee_number) == [taro.addressee_number]
    assert hits(api, resident_code="12345678903") == [taro.addressee_number]
    assert hits(api, individual_number="1234 5678 9018") == [taro.addressee_number]
    assert len(hits(api, household_number=taro.household_number)) == 3
    assert len(hits(api, address_code="04101")) == 3


def test_a_search_by_individual_number_marks_the_access_in_the_log(family, clerk, api_as):
    hits(api_as(clerk), individual_number="123456789018")
    row = OperationLog.objects.filter(function="search").latest("pk")
    assert row.individual_number_shown is True and "123456789018" not in str(row.detail)


def test_a_role_that_may_not_see_individual_numbers_cannot_search_by_them(family, viewer, api_as):
    response = api_as(viewer).get("/search", individual_number="123456789018")
    assert response.status_code == 403
    refused = OperationLog.objects.get(function="search", outcome="refused")
    assert refused.username == "viewer" and "123456789018" not in str(refused.detail)
    assert "123456789018" not in response.content.decode()


def test_an_auditor_cannot_search_the_register(family, auditor, api_as):
    assert api_as(auditor).get("/search", kana="ヤマダ").status_code == 403
