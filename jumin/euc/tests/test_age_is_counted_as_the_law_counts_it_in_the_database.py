"""年齢 as of the 基準日 is computed by the database — conditions as 生年月日 ranges, the column and count-by as an
SQL expression — and agrees with the law (年齢計算ニ関スル法律, 民法第143条): one is the new age on the birthday, and
someone born on 2月29日 is the new age on 3月1日 in a common year."""

import datetime

import pytest

from conftest import actor
from jumin.euc import queries, rules
from jumin.register.models import Household, Resident

BIRTHS = ["2000-02-29", "2000-03-01", "2000-02-28", "1961-04-01", "1961-04-02", "1956-04-02"]


@pytest.fixture
def born(city):
    house = Household.objects.create(household_number="9000000002")
    Resident.objects.bulk_create([
        Resident(addressee_number=f"7{i:09d}", household_number=house.household_number, household=house,
                 resident_type="japanese", status="resident", name=f"年齢 {b}", sex="1", relationship="同居人",
                 address_code="04105012003", address="宮城県仙台市泉区寺岡三丁目5番1号",
                 birth_date=datetime.date.fromisoformat(b)) for i, b in enumerate(BIRTHS)])


@pytest.mark.parametrize("day", ["2021-02-28", "2021-03-01", "2024-02-28", "2024-02-29", "2026-04-01", "2026-03-31"])
def test_the_column_and_the_conditions_agree_with_the_law(born, analyst, day):
    on = datetime.date.fromisoformat(day)
    query = {"dataset": "residents", "as_of": day, "items": ["birth_date", "age"],
             "where": {"all": [{"item": "name", "op": "starts_with", "value": "年齢"}]}}
    rows = queries.preview(query, actor=actor(analyst))["rows"]
    expected = {b: rules.age_on(datetime.date.fromisoformat(b), on) for b in BIRTHS}
    assert {b: a for b, a in rows} == expected
    for age in set(expected.values()):
        exact = {**query, "where": {"all": query["where"]["all"] + [{"item": "age", "op": "eq", "value": age}]}}
        assert sorted(r[0] for r in queries.preview(exact, actor=actor(analyst))["rows"]) == \
            sorted(b for b, a in expected.items() if a == age)


def test_the_law_itself():
    assert rules.age_on(datetime.date(2000, 2, 29), datetime.date(2021, 2, 28)) == 20
    assert rules.age_on(datetime.date(2000, 2, 29), datetime.date(2021, 3, 1)) == 21
    assert rules.age_on(datetime.date(1961, 4, 2), datetime.date(2026, 4, 1)) == 64
    assert rules.age_on(datetime.date(1961, 4, 1), datetime.date(2026, 4, 1)) == 65
    assert rules.birth_range(datetime.date(2026, 4, 1), 65, 74) == (datetime.date(1951, 4, 1), datetime.date(1961, 4, 1))


def test_a_count_by_age(born, analyst):
    out = queries.preview({"dataset": "residents", "as_of": "2026-04-01", "count_by": ["age"],
                           "where": {"all": [{"item": "name", "op": "starts_with", "value": "年齢"}]}},
                          actor=actor(analyst))
    assert out["rows"] == [[26, 3], [64, 1], [65, 1], [69, 1]]
