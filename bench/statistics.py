"""Benchmark of the built-in statistics (issue #16 item 7): the population tables as of a day and the 住基月報 of a
month, at city scale, with the query plans and the alternatives worth proposing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumin_sendai .venv/bin/python bench/statistics.py \
        [--past 2020-04-01] [--month 2026-09] [--samples 2] [--explain] [--alternatives] [--files]

Read-only: every measurement runs in a READ ONLY transaction and calls the unlogged parts of `jumin.stats.queries`
(`population_of`, `month_events`, `monthly_report_of`), so the database is left exactly as it was (no user, no
operation-log row). Timed with time.perf_counter, each `--samples` times after one warm-up run:

  today      population_of(today): every population table (年齢 × 性別, 行政区, 町丁, 世帯人員, 日本人/外国人) in
             one statement over `register.queries.records_as_of(today)`;
  past       the same as of --past;
  events     the 月報's snapshots of --month (one window pass over the persons with a snapshot dated in it);
  monthly    monthly_report_of(--month): 前月末 and 当月末 populations + the events + 異動処理別件数.

--alternatives also times two other ways to read the in-force set, and checks that their tables are identical:
  lead-in    records_as_of with its window written as MAX(異動日) and LEAD(異動日) over (宛名番号, 履歴番号) —
             "in force on D" = counted from ≤ D and the next snapshot dated after D — still as `id IN (…)`, so a
             drop-in replacement of the function;
  one-pass   the same window returning the columns directly (no join back to the history): the floor.
--explain prints EXPLAIN (ANALYZE, BUFFERS) of the population statement and of the events statement.
--files times the XLSX and the PDF of everything (jumin.stats.document) from one read.
Prints markdown; the lead copies the figures into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import machine  # noqa: E402  (bench/register.py)

from jumin.register import choices as c  # noqa: E402
from jumin.register.models import Resident, ResidentHistory  # noqa: E402
from jumin.stats import queries, rules  # noqa: E402

TABLE = ResidentHistory._meta.db_table


@contextmanager
def read_only():
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SET LOCAL jit = off")
        yield


def municipality_row():
    """The municipality's names read with plain SQL: the bench reads a database generated with an earlier schema
    (columns added since must not stop it, and it must not be migrated)."""
    from types import SimpleNamespace

    with connection.cursor() as cursor:
        cursor.execute("SELECT prefecture, name, code FROM core_municipality ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return SimpleNamespace(prefecture=row[0], name=row[1], code=row[2]) if row else None


def timed(fn, samples: int) -> tuple[list[float], object]:
    result = fn()                     # warm-up (and the answer to compare)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times, result


def lead_records_as_of(on: date):
    """records_as_of with the LEAD window (proposed): same answer, one window pass, no self-join."""
    in_force = RawSQL(
        f"SELECT id FROM (SELECT id, MAX(effective_on) OVER w AS valid_from, LEAD(effective_on) OVER w AS next_on"
        f" FROM {TABLE} WINDOW w AS (PARTITION BY addressee_number ORDER BY history_number"
        f" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) s"
        f" WHERE valid_from <= %s AND (next_on IS NULL OR next_on > %s)", [on, on])
    return ResidentHistory.objects.filter(id__in=in_force)


ONE_PASS = """
SELECT p_age, p_sex, p_type, p_ward, p_town, p_household, p_address FROM (
  SELECT {age} AS p_age, sex AS p_sex, resident_type AS p_type, SUBSTR(address_code, 1, 5) AS p_ward,
         SUBSTR(address_code, 1, 11) AS p_town, household_number AS p_household, address AS p_address, status,
         MAX(effective_on) OVER w AS valid_from, LEAD(effective_on) OVER w AS next_on
    FROM {table}
  WINDOW w AS (PARTITION BY addressee_number ORDER BY history_number ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
) s WHERE valid_from <= %s AND (next_on IS NULL OR next_on > %s) AND status = 'resident'
"""


def one_pass_rows(day: date) -> list[tuple]:
    if connection.vendor == "postgresql":
        age = (f"{day.year} - EXTRACT(YEAR FROM birth_date) - CASE WHEN EXTRACT(MONTH FROM birth_date) > {day.month}"
               f" OR (EXTRACT(MONTH FROM birth_date) = {day.month} AND EXTRACT(DAY FROM birth_date) > {day.day})"
               " THEN 1 ELSE 0 END")
    else:
        age = (f"{day.year} - CAST(strftime('%%Y', birth_date) AS INTEGER) - CASE WHEN"
               f" strftime('%%m-%%d', birth_date) > '{day:%m-%d}' THEN 1 ELSE 0 END")
    residents = ONE_PASS.format(age=age, table=TABLE)
    sql = queries._POPULATION_SQL.format(residents=residents, male=c.MALE, female=c.FEMALE)
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day])
        return cursor.fetchall()


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def summary(times: list[float]) -> str:
    return " / ".join(f"{t:.1f}" for t in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--past", default="2020-04-01")
    parser.add_argument("--month", default="")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--alternatives", action="store_true")
    parser.add_argument("--files", action="store_true")
    args = parser.parse_args()

    from jumin.stats import document

    queries.current_municipality = document.current_municipality = municipality_row
    today = date.today()
    past = date.fromisoformat(args.past)
    month = rules.parse_month(args.month) if args.month else rules.default_month(today)
    m = machine()
    with read_only():
        residents = Resident.objects.filter(status=c.RESIDENT).count()
        removed = Resident.objects.filter(status=c.REMOVED).count()
        history = ResidentHistory.objects.count()
    print(f"## Statistics (issue #16 item 7) — {m['db']}, {residents:,} residents + {removed:,} 除票, "
          f"{history:,} history rows\n")
    print(f"Machine: {m['nproc']} cores, {m['cpu']}, {m['ram']}; load average at start {m['load']}.\n")
    print(f"Each timing: {args.samples} runs after one warm-up, seconds (JIT off in the read's transaction).\n")
    print("| what | seconds | answer |")
    print("| --- | --- | --- |")

    rows = {}
    with read_only():
        t, p = timed(lambda: queries.population_of(today), args.samples)
        rows["today"] = p
        print(f"| population as of today ({today}), records_as_of | {summary(t)} | {p.total:,} persons, "
              f"{p.households:,} households, {len(p.towns):,} 町丁 |")
        assert p.total == residents, "as of today must be the current records"
    with read_only():
        t, p = timed(lambda: queries.population_of(past), args.samples)
        rows["past"] = p
        print(f"| population as of {past}, records_as_of | {summary(t)} | {p.total:,} persons, "
              f"{p.households:,} households |")
    with read_only():
        t, events = timed(lambda: queries.month_events(month), args.samples)
        print(f"| 月報 events of {month.iso} (window over the month's persons) | {summary(t)} | "
              f"{sum(e.persons for e in events):,} snapshots in {len(events)} groups |")
    with read_only():
        t, report = timed(lambda: queries.monthly_report_of(month), args.samples)
        print(f"| 住基月報 of {month.iso} (前月末 + 当月末 + events) | {summary(t)} | balances: {report.balances}, "
              f"前月末 {report.rows[0].before:,} → 当月末 {report.rows[0].after:,} |")

    if args.alternatives:
        original = queries.records_as_of
        queries.records_as_of = lead_records_as_of
        try:
            for label, day in (("today", today), ("past", past)):
                with read_only():
                    t, p = timed(lambda d=day: queries.population_of(d), args.samples)
                    same = tables_equal(p, rows[label])
                    print(f"| population as of {day}, records_as_of with LEAD (`id IN`, drop-in) | {summary(t)} | "
                          f"identical tables: {same} |")
        finally:
            queries.records_as_of = original
        for label, day in (("today", today), ("past", past)):
            with read_only():
                t, grouped = timed(lambda d=day: one_pass_rows(d), args.samples)
                p = queries.fold_population(day, grouped)
                print(f"| population as of {day}, one window pass (floor) | {summary(t)} | "
                      f"identical tables: {tables_equal(p, rows[label])} |")

    if args.files:
        from jumin.stats import document
        from jumin.stats.queries import Statistics

        statistics = Statistics(rows["today"], report)
        started = time.perf_counter()
        import io

        buffer = io.BytesIO()
        document.write_xlsx_file(statistics, buffer)
        xlsx = time.perf_counter() - started
        started = time.perf_counter()
        pdf = document.pdf_bytes(statistics)
        print(f"| XLSX of every table (from one read) | {xlsx:.1f} | {len(buffer.getvalue()):,} bytes |")
        print(f"| PDF of every table and chart (WeasyPrint) | {time.perf_counter() - started:.1f} | "
              f"{len(pdf):,} bytes |")

    if args.explain:
        residents_sql, params = queries._residents_sql(today)
        sql = queries._POPULATION_SQL.format(residents=residents_sql, male=c.MALE, female=c.FEMALE)
        with read_only():
            print("\n### EXPLAIN (ANALYZE, BUFFERS): population as of today\n\n```\n" + explain(sql, params) + "\n```")
        events_sql = queries._EVENTS_SQL.format(history=TABLE, ward=queries.WARD_DIGITS)
        with read_only():
            print(f"\n### EXPLAIN (ANALYZE, BUFFERS): 月報 events of {month.iso}\n\n```\n"
                  + explain(events_sql, [month.first, month.last, month.first, month.last]) + "\n```")
    print(f"\nLoad average at the end: {'%.2f %.2f %.2f' % os.getloadavg()}.")


def tables_equal(a, b) -> bool:
    return (a.ages == b.ages and a.by_type == b.by_type and a.wards == b.wards and a.towns == b.towns
            and a.household_sizes == b.household_sizes and a.household_types == b.household_types)


if __name__ == "__main__":
    main()
