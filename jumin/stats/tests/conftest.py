"""Fixtures for the statistics: an analyst (統計・EUC担当) and a supervisor, a small synthetic Sendai made by
`jumin generate`'s register part, and the expected tables computed the plain way — person by person in Python
from the ORM — so the grouped SQL of `stats.queries` is checked against something independent of it."""

from collections import Counter
from datetime import date

import pytest

from conftest import _user
from jumin.accounts import rules as roles
from jumin.register import choices as c
from jumin.register.models import Resident, ResidentHistory
from jumin.register.queries import snapshot_as_of
from jumin.register.rules import age_on

SYNTHETIC_RESIDENTS, SYNTHETIC_REMOVED = 400, 150


@pytest.fixture
def analyst(db):
    return _user("analyst", roles.ANALYST, "統計 六郎")


@pytest.fixture
def supervisor(db):
    return _user("supervisor", roles.SUPERVISOR, "支援 五郎")


@pytest.fixture
def synthetic_city(single_step, tmp_path):
    from jumin.register import synthetic

    return synthetic.generate(synthetic.Options(residents=SYNTHETIC_RESIDENTS, removed=SYNTHETIC_REMOVED, seed=11,
                                                state_dir=tmp_path))


def residents_on(day: date | None) -> list:
    """The residents on `day`, person by person (register.queries.snapshot_as_of); None: the current records."""
    if day is None:
        return list(Resident.objects.filter(status=c.RESIDENT))
    numbers = ResidentHistory.objects.values_list("addressee_number", flat=True).distinct()
    in_force = [snapshot_as_of(number, day) for number in numbers]
    return [s for s in in_force if s is not None and s.status == c.RESIDENT]


def expected_tables(records: list, day: date) -> dict:
    """What each table must say, counted in Python from the records."""
    ages = Counter((age_on(r.birth_date, day) if r.birth_date else None, r.sex) for r in records)
    wards = Counter((r.address_code[:5], r.sex) for r in records)
    towns = Counter(r.address_code[:11] for r in records)
    members = Counter(r.household_number for r in records)
    town_households = Counter(t for t, _h in {(r.address_code[:11], r.household_number) for r in records})
    types = Counter((r.resident_type, r.sex) for r in records)
    kinds = {}
    for r in records:
        kinds.setdefault(r.household_number, set()).add(r.resident_type)
    household_types = Counter(next(iter(k)) if len(k) == 1 else "mixed" for k in kinds.values())
    return {"total": len(records), "ages": dict(ages), "wards": dict(wards), "towns": dict(towns),
            "town_households": dict(town_households), "sizes": dict(Counter(members.values())),
            "households": len(members), "types": dict(types), "household_types": dict(household_types)}
