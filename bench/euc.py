"""Benchmark of the EUC (issue #16 item 6 and its figures): a count-by over all current residents (p95 ≤ 2 s) and a
10,000-row list (≤ 5 s), measured while the counter load test runs, with the counter's p95 with and without EUC
side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumin_sendai .venv/bin/python bench/euc.py \
        [--minutes 5] [--clerks 410] [--peak] [--list-rows 10000] [--pause 5] [--no-load]

What it does, in order:
1. User `bench-euc` (分析担当, the analyst role: may extract the register's residents), created when missing.
2. A birth-date range holding about --list-rows current residents (found by one COUNT per candidate year, read
   only) for the list query.
3. without  `bench/load/run.py --clerks N --minutes M [--peak] --no-doc` in a child process: the counter alone.
4. with     the same load again, and at the same time, in this process, EUC runs one after another with --pause
            seconds between them (a supervisor's pace, not a loop): count-by 行政区 × 性別, count-by 町丁 × 性別,
            count-by 年齢 × 性別 (each over every current resident), and the list (氏名, 住所, 生年月日, 性別, 町丁) to CSV and
            to XLSX. Each is `do_run_euc` — the action `POST /api/euc/run` calls: the read snapshot on the EUC
            connection with its statement timeout, the file written, its EucRun, subjects and operation log.
            Timed with time.perf_counter around the action.
5. without  (again, unless --no-after) the counter alone once more: the first run starts on a cold cache, so
            the pair is read both ways (before and after the EUC run).
6. The LOAD RESULT lines of the runs (p95 per counter operation) side by side, and the EUC p50/p95/max per query.
--no-load runs step 4's EUC queries alone (--minutes of them), without any counter load.
THIS ADDS ROWS: one EucRun (+ subjects, operation-log row) per EUC run and the load test's own changes; the
output files go to the EUC's run directory and are purged by its retention.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import machine, percentiles  # noqa: E402  (bench/register.py)

from jumin.accounts import rules as roles  # noqa: E402
from jumin.accounts.models import User  # noqa: E402
from jumin.audit.actions import Actor  # noqa: E402
from jumin.euc.actions import do_run_euc  # noqa: E402
from jumin.register import choices as c  # noqa: E402
from jumin.register.models import Resident  # noqa: E402

COUNTS = {
    "count 行政区 × 性別": {"dataset": "residents", "count_by": ["ward", "sex"]},
    "count 町丁 × 性別": {"dataset": "residents", "count_by": ["town", "sex"]},
    "count 年齢 × 性別": {"dataset": "residents", "count_by": ["age", "sex"]},
}
LIST_ITEMS = ["氏名", "住所", "生年月日", "性別", "町丁"]


def analyst() -> User:
    found = User.objects.filter(username="bench-euc").first()
    if found is None:
        found = User.objects.create_user(username="bench-euc", password=None, role=roles.ANALYST,
                                         display_name="EUC 測定")
    return found


def list_query(rows: int) -> tuple[dict, int]:
    """Current residents born between two days, the range grown a month at a time from 1 January 1960 until it
    holds about `rows` current residents (住民状態 住民: the EUC's residents dataset leaves 除票 out)."""
    import datetime

    start = datetime.date(1960, 1, 1)
    living = Resident.objects.filter(status=c.RESIDENT)
    end, found = start, 0
    while found < rows and end.year < 2026:
        end = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        found = living.filter(birth_date__gte=start, birth_date__lt=end).count()
    last = end - datetime.timedelta(days=1)
    return ({"dataset": "residents", "items": LIST_ITEMS,
             "where": {"all": [{"item": "生年月日", "op": "between",
                                "value": [start.isoformat(), last.isoformat()]}]}}, found)


def run_load(args, label: str) -> dict:
    command = [sys.executable, str(ROOT / "bench/load/run.py"), "--clerks", str(args.clerks), "--minutes",
               str(args.minutes), "--no-doc", "--quiet"] + (["--peak"] if args.peak else [])
    print(f"load ({label}): {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOAD RESULT:")), "")
    if not line:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit(f"the load test ({label}) printed no LOAD RESULT line")
    print(f"  {line}", flush=True)
    p95 = dict((op, float(ms)) for op, ms in re.findall(r"(\w+) (\d+) ms", line.split("p95", 1)[1]))
    ops = re.search(r"— ([\d,]+) operations in (\d+) s \(([\d.]+)/s\), (\d+) errors", line)
    return {"line": line, "p95": p95, "rate": float(ops.group(3)), "errors": int(ops.group(4))}


def euc_loop(queries: dict, actor: Actor, stop: threading.Event, pause: float, times: dict, failures: list):
    """EUC runs one after another until `stop`, `pause` seconds apart."""
    try:
        while not stop.is_set():
            for name, (query, output) in queries.items():
                if stop.is_set():
                    break
                started = time.perf_counter()
                try:
                    run = do_run_euc(query, output, actor=actor)
                except Exception as error:  # a refusal or timeout is a finding, not a crash of the bench
                    failures.append(f"{name}: {error}")
                else:
                    times.setdefault(name, []).append(time.perf_counter() - started)
                    times.setdefault(name + " rows", []).append(run.rows)
                stop.wait(pause)
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--clerks", type=int, default=410)
    parser.add_argument("--peak", action="store_true")
    parser.add_argument("--list-rows", type=int, default=10_000)
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between two EUC runs")
    parser.add_argument("--no-load", action="store_true", help="EUC alone, no counter load")
    parser.add_argument("--no-after", action="store_true", help="skip the second run without EUC")
    args = parser.parse_args()
    info = machine()
    actor = Actor(user=analyst(), terminal="bench-euc")
    query, listed = list_query(args.list_rows)
    queries = {name: (q, "csv") for name, q in COUNTS.items()}
    queries[f"list {listed:,} rows → CSV"] = (query, "csv")
    queries[f"list {listed:,} rows → XLSX"] = (query, "xlsx")
    residents = Resident.objects.count()
    connection.close()
    print(f"machine: {info['nproc']} cores {info['cpu']}, {info['ram']}, {info['db']}, Python {info['python']}, "
          f"load {info['load']}; {residents:,} 住民票/除票", flush=True)

    without = None if args.no_load else run_load(args, "without EUC")
    times: dict[str, list] = {}
    failures: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(target=euc_loop, args=(queries, actor, stop, args.pause, times, failures))
    worker.start()
    try:
        if args.no_load:
            stop.wait(args.minutes * 60)
            with_euc = None
        else:
            with_euc = run_load(args, "with EUC")
    finally:
        stop.set()
        worker.join()
    after = None if args.no_load or args.no_after else run_load(args, "without EUC, after")

    beside = "alone, no counter load" if args.no_load else "while the counter load runs"
    print(f"\n| EUC run (do_run_euc, {beside}) | runs | rows | p50 | p95 | max | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name in queries:
        if name not in times:
            print(f"| {name} | 0 | | | | | |")
            continue
        p = percentiles(times[name])
        target = "p95 ≤ 2 s" if name.startswith("count") else "≤ 5 s"
        limit = 2000 if name.startswith("count") else 5000
        verdict = "met" if (p["p95"] if name.startswith("count") else p["max"]) <= limit else "**not met**"
        print(f"| {name} | {p['n']} | {int(times[name + ' rows'][-1]):,} | {p['p50'] / 1000:.2f} s | "
              f"{p['p95'] / 1000:.2f} s | {p['max'] / 1000:.2f} s | {target} — {verdict} |")
    if failures:
        print(f"\nEUC failures ({len(failures)}): " + "; ".join(failures[:5]))
    if without and with_euc:
        runs = [("without EUC (before)", without), ("with EUC", with_euc)] + ([("without EUC (after)", after)]
                                                                               if after else [])
        print("\n| counter p95 | " + " | ".join(label for label, _ in runs) + " |\n| --- |" + " ---: |" * len(runs))
        for op in without["p95"]:
            print(f"| {op} | " + " | ".join(f"{run['p95'].get(op, float('nan')):.0f} ms" for _, run in runs) + " |")
        print("| throughput, errors | " + " | ".join(f"{run['rate']} ops/s, {run['errors']}" for _, run in runs) + " |")

if __name__ == "__main__":
    main()
