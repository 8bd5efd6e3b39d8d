"""住民基本台帳人口 as of a day (住民記録 §10.1) — by 年齢 × 性別, 行政区, 町丁, 世帯人員, 日本人/外国人 — equals what
the register says when counted person by person: today from the current records, on past days from each person's
snapshot in force then (register.queries.snapshot_as_of). Counted on a synthetic Sendai with its history."""

from collections import Counter
from datetime import date

import pytest

from jumin.register import choices as c
from jumin.stats import rules
from jumin.stats.queries import population_of
from jumin.stats.tests.conftest import SYNTHETIC_RESIDENTS, expected_tables, residents_on


def _as_tables(p) -> dict:
    ward_sex = {}
    for code, counts in p.ward_ages.items():
        for (_age, sex), n in counts.items():
            ward_sex[(code, sex)] = ward_sex.get((code, sex), 0) + n
    return {"total": p.total, "ages": {k: v for k, v in p.ages.items() if v},
            "wards": ward_sex, "towns": {t["code"]: t["total"] for t in p.towns},
            "town_households": {t["code"]: t["households"] for t in p.towns},
            "sizes": {s["size"]: s["households"] for s in p.household_sizes}, "households": p.households,
            "types": {k: v for k, v in p.by_type.items() if v}, "household_types": p.household_types}


def test_today_the_tables_are_the_current_records(synthetic_city):
    today = date.today()
    p = population_of(today)
    assert p.total == SYNTHETIC_RESIDENTS
    assert _as_tables(p) == expected_tables(residents_on(None), today)


@pytest.mark.parametrize("day", [date(2026, 4, 1), date(2019, 5, 1), date(2012, 7, 9), date(2003, 1, 6)])
def test_on_a_past_day_the_tables_are_the_snapshots_in_force_then(synthetic_city, day):
    expected = expected_tables(residents_on(day), day)
    assert expected["total"] > 0
    assert _as_tables(population_of(day)) == expected


def test_the_tables_add_up_to_the_same_population(synthetic_city):
    p = population_of(date(2025, 1, 1))
    five = rules.age_table(p.ages, rules.five_year_bands())
    single = rules.age_table(p.ages, rules.single_year_bands())
    assert five.total["total"] == single.total["total"] == p.total
    assert five.total["male"] + five.total["female"] == p.total
    assert sum(w["total"] for w in p.wards) == sum(t["total"] for t in p.towns) == p.total
    assert sum(w["japanese"] + w["foreign"] for w in p.wards) == p.total
    assert sum(s["persons"] for s in p.household_sizes) == p.total
    assert sum(p.household_types.values()) == p.households
    assert sum(t["male"] + t["female"] for t in p.towns) == p.total


def test_wards_and_towns_are_named_from_the_address_text(synthetic_city):
    p = population_of(date.today())
    names = {w["name"] for w in p.wards}
    assert names <= {"青葉区", "宮城野区", "若林区", "太白区", "泉区"} and len(names) >= 3
    current = Counter(r.address_code[:11] for r in residents_on(None))
    for town in p.towns:
        sample = next(r for r in residents_on(None) if r.address_code[:11] == town["code"])
        assert town["name"] and town["name"] in sample.address and town["ward_name"] in sample.address
        assert town["total"] == current[town["code"]]
    assert {t["ward_code"] for t in p.towns} == {w["code"] for w in p.wards}


def test_foreign_residents_are_counted_apart(synthetic_city):
    p = population_of(date.today())
    foreign = sum(n for (t, _s), n in p.by_type.items() if t == c.FOREIGN)
    assert foreign == sum(1 for r in residents_on(None) if r.resident_type == c.FOREIGN) and foreign > 0
