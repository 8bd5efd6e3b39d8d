"""Reads for the built-in statistics (住民記録 §10.1; 共通機能 §4.1): the population as of a day and the 住基月報 of a
month. Each public function checks VIEW_STATISTICS and writes one operation-log row without a 宛名番号 (a count
names nobody); the tables come from the register's history through `register.queries.records_as_of_parts`, so any
day is answered the same way — today's answer equals the current records (tested).

What the tables show and what they never show (the rule for docs/security.md): every resident is counted,
支援措置 persons included — they are residents, and leaving them out for one role would make them appear as the
difference between two roles' tables. No table lists a name, a 宛名番号 or an address below the 町丁; no cell
leads to the persons in it; and the 町丁 are crossed with 性別 only — never with 年齢, where a cell of one or two
persons could point at somebody (that cross is the EUC's count-by, under its own rules).

All of one answer is read in one transaction (REPEATABLE READ READ ONLY on PostgreSQL) so its tables agree with
each other while the counter keeps writing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear, Substr

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, refuse, require_permission
from jumin.core.errors import RuleViolation
from jumin.core.models import current_municipality
from jumin.register import choices as c
from jumin.register.models import Change, ResidentHistory
from jumin.register.queries import records_as_of_parts
from jumin.register.rules import area_of
from jumin.stats import rules

FUNCTION = "statistics.view"
WARD_DIGITS, TOWN_DIGITS = 5, 11      # 住所コード: JIS X 0402 (5) + 町 (3) + 丁目 (3), standard-spec §2.7
NO_CODE = "住所コードなし"


# --------------------------------------------------------------------------- reading in one snapshot

@contextmanager
def snapshot():
    """One consistent read on PostgreSQL: a REPEATABLE READ, READ ONLY transaction (when not already inside one,
    as in tests), which takes no lock a clerk could wait for. Not on SQLite: its transactions begin IMMEDIATE
    (settings.py) and would hold the write lock for the whole read; each statement reads one snapshot there."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # One-off scans over the whole history: compiling them (JIT) costs more than it saves (bench/statistics.py).
            cursor.execute("SET LOCAL jit = off")
        yield


def _age_on(day: datetime.date):
    """Age in completed years on `day`, in the database (rules.age_on's count: one more at each birthday)."""
    later_this_year = Q(birth_date__month__gt=day.month) | Q(birth_date__month=day.month, birth_date__day__gt=day.day)
    return Value(day.year) - ExtractYear("birth_date") - Case(When(later_this_year, then=Value(1)), default=Value(0),
                                                              output_field=IntegerField())


def _residents_sql(day: datetime.date) -> tuple[str, list]:
    """The residents in force on `day` (records_as_of, status 住民) with the columns the tables group on: age,
    性別, 住民種別, 行政区 and 町丁 code prefixes, 世帯番号, one address (for the names). Read in the two parts of
    `records_as_of_parts` — the current records of the persons unchanged since `day`, the history of the others —
    joined by UNION ALL: the same set, without a window over the whole history."""
    parts = []
    for rows in records_as_of_parts(day):
        rows = rows.filter(status=c.RESIDENT).annotate(
            p_age=_age_on(day), p_sex=F("sex"), p_type=F("resident_type"),
            p_ward=Substr("address_code", 1, WARD_DIGITS), p_town=Substr("address_code", 1, TOWN_DIGITS),
            p_household=F("household_number"), p_address=F("address"),
        ).values("p_age", "p_sex", "p_type", "p_ward", "p_town", "p_household", "p_address").order_by()
        parts.append(rows.query.sql_with_params())
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) p{i}" for i, (part, _) in enumerate(parts))
    return sql, [param for _, params in parts for param in params]


# One statement: the in-force set (both parts) is computed once (a CTE used three times is
# materialised by PostgreSQL and SQLite alike) and folded three ways. Columns: kind, age, sex, type, ward, town,
# size, persons, male, female, households, sample address (typed in the first part, as PostgreSQL's UNION needs).
_POPULATION_SQL = """
WITH cur AS ({residents})
SELECT 'age', p_age, p_sex, p_type, p_ward, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), COUNT(*),
       CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS TEXT)
  FROM cur GROUP BY p_age, p_sex, p_type, p_ward
UNION ALL
SELECT 'town', NULL, NULL, NULL, p_ward, p_town, NULL, COUNT(*),
       SUM(CASE WHEN p_sex = '{male}' THEN 1 ELSE 0 END), SUM(CASE WHEN p_sex = '{female}' THEN 1 ELSE 0 END),
       COUNT(DISTINCT p_household), MIN(p_address)
  FROM cur GROUP BY p_ward, p_town
UNION ALL
SELECT 'household', NULL, NULL, h_type, h_ward, NULL, h_size, SUM(h_size), NULL, NULL, COUNT(*), NULL
  FROM (SELECT p_household, MIN(p_ward) AS h_ward, COUNT(*) AS h_size,
               CASE WHEN MIN(p_type) = MAX(p_type) THEN MIN(p_type) ELSE 'mixed' END AS h_type
          FROM cur GROUP BY p_household) h
  GROUP BY h_type, h_ward, h_size
"""


def _population_rows(day: datetime.date) -> list[tuple]:
    residents, params = _residents_sql(day)
    sql = _POPULATION_SQL.format(residents=residents, male=c.MALE, female=c.FEMALE)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _counts(cursor.fetchall())


def _counts(rows) -> list[tuple]:
    """PostgreSQL answers SUM() and EXTRACT() as numeric (Decimal), SQLite as integers: every count and age is
    made an int here, once, so the tables, the charts and the files compute with the same type on both."""
    return [tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in rows]


# --------------------------------------------------------------------------- the population as of a day

@dataclass
class Population:
    """Every population table of one day (all numbers, no person)."""

    as_of: datetime.date
    ages: dict[tuple, int]                     # (age, sex) → persons (the city)
    by_type: dict[tuple, int]                  # (resident_type, sex) → persons
    wards: list[dict]                          # {code, name, male, female, total, households, japanese, foreign}
    towns: list[dict]                          # {ward_code, ward_name, code, name, male, female, total, households}
    household_sizes: list[dict]                # {size, households, persons} (the city)
    household_types: dict[str, int]            # japanese / foreign / mixed → households
    ward_ages: dict[str, dict[tuple, int]] = field(default_factory=dict)   # ward code → (age, sex) → persons

    @property
    def total(self) -> int:
        return sum(self.ages.values())

    @property
    def households(self) -> int:
        return sum(s["households"] for s in self.household_sizes)


def _names(rows: list[tuple]) -> tuple[dict[str, str], dict[str, str]]:
    """行政区 and 町丁 names from one address of each code (register.rules.area_of)."""
    m = current_municipality()
    prefecture, municipality = (m.prefecture, m.name) if m else ("", "")
    wards, towns = {}, {}
    for kind, _age, _sex, _type, ward, town, *_rest, sample in rows:
        if kind != "town":
            continue
        area = area_of(town or "", sample or "", prefecture=prefecture, municipality=municipality)
        wards.setdefault(ward or "", area.ward_name)
        towns[town or ""] = area.town_name or NO_CODE
    return wards, towns


def fold_population(day: datetime.date, rows: list[tuple]) -> Population:
    """The tables from the grouped rows of `_population_rows` (pure folding; split out for the tests)."""
    ward_names, town_names = _names(rows)
    ages: dict[tuple, int] = defaultdict(int)
    by_type: dict[tuple, int] = defaultdict(int)
    ward_ages: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    wards: dict[str, dict] = {}

    def ward(code):
        code = code or ""
        if code not in wards:
            wards[code] = {"code": code, "name": ward_names.get(code) or NO_CODE, "male": 0, "female": 0, "total": 0,
                           "households": 0, "japanese": 0, "foreign": 0}
        return wards[code]

    towns, sizes, types = [], defaultdict(lambda: [0, 0]), defaultdict(int)
    for kind, age, sex, rtype, ward_code, town, size, persons, male, female, households, _sample in rows:
        if kind == "age":
            ages[(age, sex)] += persons
            by_type[(rtype, sex)] += persons
            ward_ages[ward_code or ""][(age, sex)] += persons
            w = ward(ward_code)
            w["total"] += persons
            if sex == c.MALE:
                w["male"] += persons
            elif sex == c.FEMALE:
                w["female"] += persons
            w["japanese" if rtype == c.JAPANESE else "foreign"] += persons
        elif kind == "town":
            w = ward(ward_code)
            towns.append({"ward_code": w["code"], "ward_name": w["name"], "code": town or "",
                          "name": town_names.get(town or "", NO_CODE), "male": male or 0,
                          "female": female or 0, "total": persons, "households": households})
        elif kind == "household":
            sizes[size][0] += households
            sizes[size][1] += persons
            types[rtype] += households
            ward(ward_code)["households"] += households
    towns.sort(key=lambda t: (t["ward_code"], t["code"]))
    return Population(
        as_of=day, ages=dict(ages), by_type=dict(by_type),
        wards=[wards[k] for k in sorted(wards)], towns=towns,
        household_sizes=[{"size": s, "households": h, "persons": p} for s, (h, p) in sorted(sizes.items())],
        household_types=dict(types), ward_ages={k: dict(v) for k, v in ward_ages.items()},
    )


def population_of(day: datetime.date) -> Population:
    """The population tables of `day`, without a right check or log (for `population` and the 月報's counts)."""
    return fold_population(day, _population_rows(day))


# --------------------------------------------------------------------------- the 住基月報 of a month

# Each snapshot with its previous one (LAG) and the day it counts from (the running maximum of 異動日, as in
# records_as_of), for the persons with a snapshot dated inside the month only — a snapshot that counts from a
# day of the month has one (the snapshot whose 異動日 is that maximum) — so a month does not fold the whole
# history.
_EVENTS_SQL = """
SELECT reason_code, b_status, b_type, b_ward, p_status, p_type, p_ward, COUNT(*)
  FROM (SELECT reason_code, status AS p_status, resident_type AS p_type, SUBSTR(address_code, 1, {ward}) AS p_ward,
               LAG(status) OVER w AS b_status, LAG(resident_type) OVER w AS b_type,
               LAG(SUBSTR(address_code, 1, {ward})) OVER w AS b_ward,
               MAX(effective_on) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS valid_from
          FROM {history}
         WHERE addressee_number IN (SELECT addressee_number FROM {history}
                                     WHERE effective_on >= %s AND effective_on <= %s)
        WINDOW w AS (PARTITION BY addressee_number ORDER BY history_number)) s
 WHERE valid_from >= %s AND valid_from <= %s
 GROUP BY reason_code, b_status, b_type, b_ward, p_status, p_type, p_ward
"""


def month_events(month: rules.Month, through: datetime.date | None = None) -> list[rules.Event]:
    """The month's snapshots (through `through`, default its last day), grouped by 事由 and the (status, type,
    ward) before and after. Only 本登録: a draft (仮登録) has no snapshot until it is approved (standard-spec
    §3.1), so none is ever counted."""
    sql = _EVENTS_SQL.format(history=ResidentHistory._meta.db_table, ward=WARD_DIGITS)
    with connection.cursor() as cursor:
        end = through or month.last
        cursor.execute(sql, [month.first, end, month.first, end])
        rows = _counts(cursor.fetchall())
    out = []
    for reason, b_status, b_type, b_ward, p_status, p_type, p_ward, persons in rows:
        before = None if b_status is None else (b_status, b_type, b_ward or "")
        out.append(rules.Event(reason, before, (p_status, p_type, p_ward or ""), persons))
    return out


@dataclass
class MonthlyReport:
    month: rules.Month
    through: datetime.date                     # the month's last day, or today in the current month
    rows: list[rules.ReportRow]                # 計, 日本人, 外国人, then each 行政区
    reasons: list[dict]                        # {code, label, persons} by 異動事由 (the snapshots of the month)
    kinds: list[dict]                          # {code, label, changes} by 異動処理 (本登録, 異動日 in the month)
    households_before: int = 0
    households_after: int = 0

    @property
    def balances(self) -> bool:
        return all(row.balances for row in self.rows)


def _report_rows(before: Population, after: Population) -> dict[str, rules.ReportRow]:
    rows = {rules.ALL: rules.ReportRow(rules.ALL, "総数（計）", before.total, after.total)}
    for code, label in rules.TYPES:
        rows[code] = rules.ReportRow(code, label, sum(n for (t, _s), n in before.by_type.items() if t == code),
                                     sum(n for (t, _s), n in after.by_type.items() if t == code))
    wards = {w["code"]: w for w in before.wards} | {w["code"]: w for w in after.wards}
    for code in sorted(wards):
        b = next((w["total"] for w in before.wards if w["code"] == code), 0)
        a = next((w["total"] for w in after.wards if w["code"] == code), 0)
        rows["ward:" + code] = rules.ReportRow("ward:" + code, wards[code]["name"], b, a)
    return rows


def monthly_report_of(month: rules.Month, *, today: datetime.date | None = None) -> MonthlyReport:
    """The 月報 of `month` without a right check or log: 前月末 and 当月末 are as-of counts, the columns between
    them the month's snapshots — and each row's 前月末 + 増 − 減 = 当月末 is checked (`ReportRow.balances`).
    The current month is counted through today (当月末 = today)."""
    through = min(month.last, today or timezone.localdate())
    before, after = population_of(month.previous_end), population_of(through)
    rows = _report_rows(before, after)
    events = month_events(month, through)
    rules.count_events(events, rows)
    reasons: dict[str, int] = defaultdict(int)
    for e in events:
        reasons[e.reason_code] += e.persons
    kind_counts = dict(Change.objects.filter(status=c.APPROVED, effective_on__gte=month.first,
                                             effective_on__lte=through)
                       .order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return MonthlyReport(
        month=month, through=through, rows=list(rows.values()),
        reasons=[{"code": r.code, "label": r.label, "persons": reasons[r.code]} for r in c.REASONS if reasons.get(r.code)],
        kinds=[{"code": code, "label": label, "changes": kind_counts[code]} for code, label in c.CHANGE_KIND_CHOICES
               if kind_counts.get(code)],
        households_before=before.households, households_after=after.households)


# --------------------------------------------------------------------------- the reads (right + log)

@dataclass
class Statistics:
    population: Population
    report: MonthlyReport


def _check(actor: Actor, function: str, *, system: bool = False) -> None:
    """VIEW_STATISTICS, or a logged refusal. `system`: the operator's `jumin statistics` at the server, which
    is beyond the roles (like every management command); it is logged as the user "system"."""
    if not system:
        require_permission(actor, perms.VIEW_STATISTICS, function)


def read_day(text: str | None, *, actor: Actor, function: str = FUNCTION, field: str = "as_of",
             system: bool = False) -> datetime.date:
    """The 基準日 as typed (和暦 or 西暦; blank: today), after the right: a malformed date (令和0年, 2026-02-30) or
    a future one is refused in Japanese and logged."""
    _check(actor, function, system=system)
    today = timezone.localdate()
    if text is None or not str(text).strip():
        return today
    try:
        day = rules.parse_day(str(text), field=field)
        if day > today:
            raise RuleViolation(f"基準日に未来の日付（{rules.day_label(day)}）は指定できません。今日以前の日を入力して"
                                "ください。", field=field, code="future_date")
    except RuleViolation as refusal:
        refuse(actor, function, refusal, detail={"refused_input": field})
    return day


def read_month(text: str | None, *, day: datetime.date, actor: Actor, function: str = FUNCTION,
               field: str = "month", system: bool = False) -> rules.Month:
    """The 月報's month as typed (blank: the last complete month on the 基準日); a month not begun is refused."""
    _check(actor, function, system=system)
    if text is None or not str(text).strip():
        return rules.default_month(day)
    try:
        month = rules.parse_month(str(text), field=field)
        if month.first > timezone.localdate():
            raise RuleViolation(f"対象月（{month.label}）はまだ始まっていません。今月以前の月を入力してください。",
                                field=field, code="future_date")
    except RuleViolation as refusal:
        refuse(actor, function, refusal, detail={"refused_input": field})
    return month


def population(day: datetime.date, *, actor: Actor, function: str = FUNCTION, output: str = "screen") -> Population:
    """住民基本台帳人口 as of `day` (年齢・性別, 行政区・町丁, 世帯, 日本人・外国人)."""
    _check(actor, function)
    with snapshot():
        result = population_of(day)
    log_operation(actor, function, (), detail={"as_of": day.isoformat(), "tables": "population", "output": output})
    return result


def monthly_report(month: rules.Month, *, actor: Actor, function: str = FUNCTION, output: str = "screen") \
        -> MonthlyReport:
    """The 住基月報 of one month."""
    _check(actor, function)
    with snapshot():
        result = monthly_report_of(month)
    log_operation(actor, function, (), detail={"month": month.iso, "tables": "monthly", "output": output})
    return result


def statistics(day: datetime.date, month: rules.Month, *, actor: Actor, function: str = FUNCTION,
               output: str = "screen", system: bool = False) -> Statistics:
    """Everything the statistics files show: the population of `day` and the 月報 of `month`, read in one
    snapshot, logged once."""
    _check(actor, function, system=system)
    with snapshot():
        result = Statistics(population_of(day), monthly_report_of(month))
    log_operation(actor, function, (), detail={"as_of": day.isoformat(), "month": month.iso, "tables": "all",
                                               "output": output})
    return result


def refuse_input(actor: Actor, refusal: RuleViolation, function: str = FUNCTION):
    """A refused parameter (an unknown breakdown): logged, then raised."""
    refuse(actor, function, refusal, detail={"refused_input": refusal.field or ""})
