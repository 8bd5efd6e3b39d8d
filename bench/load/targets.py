"""Bench users, their API tokens, and the targets of the run — all picked before the clock starts.

Needs Django set up (run.py imports bench/register.py, which does it). Reuses the helpers of the other
benches: `search.living_residents` / `search.build_inputs` (search terms typed as clerks type them, from
real names, kana, birth dates, addresses and 宛名番号) and `certificates.ensure_settings` / `request`.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
from django.db import connection
from django.utils import timezone

from certificates import request as certificate_request  # bench/certificates.py
from search import build_inputs, living_residents, typeable_variants  # bench/search.py

from jumin.accounts import rules as roles
from jumin.accounts.models import ApiToken, User
from jumin.register import choices as c
from jumin.register import synthetic
from jumin.register.models import ChangeSubject, Resident
from jumin.restrictions.models import Offender, ProtectedPerson, ProtectionOrder, Restriction

from load.clerks import Credentials, Targets

# Search kinds within the search share (kind → weight): mostly フリガナ, as at a counter.
SEARCH_KINDS = {"kana": 40, "name": 25, "birth": 15, "address": 10, "number": 10}
CLERK_PREFIX, APPROVER_PREFIX = "load-clerk-", "load-approver-"


def _users(prefix: str, count: int, role: str, display: str) -> list[User]:
    names = [f"{prefix}{i:04d}" for i in range(1, count + 1)]
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    out = []
    for i, name in enumerate(names, 1):
        user = found.get(name)
        if user is None:
            user = User.objects.create_user(username=name, password=None, role=role, display_name=f"{display} {i}")
        elif user.role != role or not user.is_active:
            user.role, user.is_active = role, True
            user.save(update_fields=["role", "is_active"])
        out.append(user)
    return out


def credentials(clerks: int, label: str) -> list[Credentials]:
    """One clerk user + token + terminal per simulated clerk, and one approver per 10 clerks (an approver
    approves the drafts of ten counter positions). New tokens every run; nothing is deleted."""
    approvers = max(1, math.ceil(clerks / 10))
    clerk_users = _users(CLERK_PREFIX, clerks, roles.CLERK, "負荷 窓口")
    approver_users = _users(APPROVER_PREFIX, approvers, roles.APPROVER, "負荷 審査")
    approver_tokens = [ApiToken.issue(u, label)[1] for u in approver_users]
    out = []
    for i, user in enumerate(clerk_users):
        a = i % approvers
        out.append(Credentials(token=ApiToken.issue(user, label)[1], terminal=f"LOAD-{i + 1:04d}",
                               approver_token=approver_tokens[a], approver_terminal=f"LOAD-A{a + 1:03d}"))
    return out


def _excluded() -> tuple[set[str], set[str]]:
    """Persons and households a clerk could not act on without an alert or a refusal: 支援措置 (applicants,
    protected persons, offenders), 抑止, and anyone with a pending draft (仮登録)."""
    persons = set(ProtectionOrder.objects.values_list("addressee_number", flat=True))
    persons |= set(ProtectedPerson.objects.values_list("addressee_number", flat=True))
    persons |= set(Offender.objects.exclude(addressee_number="").values_list("addressee_number", flat=True))
    persons |= set(Restriction.objects.exclude(addressee_number="").values_list("addressee_number", flat=True))
    households = set(Restriction.objects.exclude(household_number="").values_list("household_number", flat=True))
    pending = ChangeSubject.objects.filter(change__status=c.DRAFT)
    persons |= set(pending.exclude(addressee_number="").values_list("addressee_number", flat=True))
    households |= set(pending.exclude(household_number="").values_list("household_number", flat=True))
    persons.discard("")
    households |= set(Resident.objects.filter(addressee_number__in=persons).values_list("household_number", flat=True))
    return persons, households


def _four_person_households(rng: np.random.Generator, count: int, excluded: set[str]) -> dict[str, list[str]]:
    with connection.cursor() as cur:
        cur.execute("SELECT household_number FROM register_resident WHERE status = %s "
                    "GROUP BY household_number HAVING COUNT(*) = 4", [c.RESIDENT])
        numbers = sorted(row[0] for row in cur.fetchall() if row[0] not in excluded)
    if not numbers:
        raise SystemExit("4人世帯がありません（no 4-person household in the database: run jumin generate first）")
    chosen = [numbers[i] for i in rng.choice(len(numbers), size=min(count, len(numbers)), replace=False)]
    members: dict[str, list[str]] = {h: [] for h in chosen}
    rows = (Resident.objects.filter(household_number__in=chosen, status=c.RESIDENT)
            .order_by("household_number", "household_order").values_list("household_number", "addressee_number"))
    for household, number in rows:
        members[household].append(number)
    return members


def pick(rng: np.random.Generator, *, people: int, households: int, change_households: int,
         seed: int) -> tuple[Targets, dict]:
    """The targets, and a few counts for the report. `people`: living residents drawn for record views,
    certificates and search terms; `households`: 4-person households for 世帯連記式 certificates;
    `change_households`: households the 転居 of the run move (disjoint from the certificate targets, so a
    certificate never meets the short-lived draft of a change)."""
    excluded_persons, excluded_households = _excluded()
    four = _four_person_households(rng, households, excluded_households)

    available = Resident.objects.filter(status=c.RESIDENT).count()
    drawn = living_residents(rng, min(people * 2, available))      # it draws until it has that many
    living = [p for p in drawn if p["addressee_number"] not in excluded_persons]
    by_household = dict(Resident.objects.filter(addressee_number__in=[p["addressee_number"] for p in living])
                        .values_list("addressee_number", "household_number"))
    pool: list[str] = []
    moving: set[str] = set()
    for p in living:
        h = by_household.get(p["addressee_number"])
        if h and h not in four and h not in excluded_households and h not in moving:
            pool.append(h)
            moving.add(h)
        if len(pool) >= change_households:
            break
    steady = [p for p in living if by_household.get(p["addressee_number"]) not in moving]

    variants = typeable_variants()
    searches: list[dict] = []
    share = sum(SEARCH_KINDS.values())
    offset = 0
    for kind, weight in SEARCH_KINDS.items():
        n = max(1, len(living) * weight // share)
        searches += [item["params"] for item in build_inputs(kind, living[offset:offset + n], rng, variants)]
        offset += n

    builder = synthetic.HouseholdBuilder(synthetic.FastRandom(f"load:{seed}"), synthetic.AS_OF_DEFAULT)
    addresses = []
    for _ in range(500):
        postcode, code, address, supplement = builder.address()[:4]
        addresses.append({"postcode": postcode, "address_code": code, "address": address,
                          "address_supplement": supplement})

    current_address = dict(Resident.objects.filter(household_number__in=pool, status=c.RESIDENT)
                           .values_list("household_number", "address"))
    targets = Targets(
        searches=searches,
        records=[p["addressee_number"] for p in living[:people]],
        households=[certificate_request(m, "household") for m in four.values() if len(m) == 4],
        singles=[certificate_request([p["addressee_number"]], "individual") for p in steady[:people]],
        change_households=deque(pool),
        addresses=addresses,
        today=timezone.localdate().isoformat(),
        current_address=current_address,
    )
    counts = {"searches": len(targets.searches), "records": len(targets.records),
              "households": len(targets.households), "singles": len(targets.singles),
              "change_households": len(pool), "excluded_persons": len(excluded_persons)}
    return targets, counts
