"""Benchmark of `jumin extract` (issue #16 items 2–3): a full extraction to Parquet of the city in DATABASE_URL, the
floor in the same run, and an incremental extraction after N changes made with the real actions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumin_sendai .venv/bin/python bench/extract.py \
        [--out /tmp/jumin-bench-extract] [--changes 1000] [--entities residents,history,...] [--seed 1]

What it does, in order:
1. Users: `bench-extract-approver` (審査・決裁, who may extract every register entity, 交付履歴 and 印鑑登録) and
   `bench-extract-clerk`, created when missing (the only rows it adds besides the changes below).
2. full   `do_extract_data` — the action `jumin extract` runs — as that approver with --include-protected and
          --include-individual-number (every column of every row: the largest extraction), to Parquet; wall time
          and the time of each file.
3. floor  in one REPEATABLE READ READ ONLY snapshot, for each entity `COPY (SELECT <the same columns, the same
          rows>) TO STDOUT` read from the server and thrown away (/dev/null), with the extraction's parallelism
          (JUMIN_EXTRACT_WORKERS connections on the exported snapshot): what the database alone costs to hand the
          rows over. The SELECTs are built by the same functions the extraction uses (jumin.extract.queries), so
          they are the same statements. ratio = full / floor.
4. changes N 転居 (relocation) entered by the clerk and approved by the approver, through the real actions
          (jumin.register.actions), each of a different living household chosen with --seed. THIS CHANGES THE
          DATABASE: N more changes, their snapshots, operation-log rows and journal rows. Use a copy when that
          matters; the Sendai bench database takes them (its residents' addresses move, nothing is lost).
5. incremental  `do_extract_data(since=<the full's manifest>)`: the rows of what those changes touched.
Prints markdown with the machine and the figures; --json for the raw numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import machine  # noqa: E402  (bench/register.py)

from jumin.accounts import rules as roles  # noqa: E402
from jumin.accounts.models import User  # noqa: E402
from jumin.audit.actions import Actor  # noqa: E402
from jumin.core import dictionary  # noqa: E402
from jumin.extract import queries as q  # noqa: E402
from jumin.extract.actions import WORKERS, _columns, do_extract_data  # noqa: E402

REGISTER = "residents,history,households,changes,issuances,seals,seal_events"


def user(name: str, role: str) -> User:
    found = User.objects.filter(username=name).first()
    if found is None:
        found = User.objects.create_user(username=name, password=None, role=role, display_name=name)
    return found


class Timer:
    def __init__(self):
        self.started: dict[str, float] = {}
        self.times: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def __call__(self, event, code, label, rows):
        key = code + (".deleted" if "削除" in label else "")
        if event == "start":
            self.started[key] = time.perf_counter()
        elif event == "done":
            self.times[key] = time.perf_counter() - self.started[key]
            self.rows[key] = rows


def extract(out: Path, actor: Actor, entities: str, **options):
    if out.exists():
        shutil.rmtree(out)
    timer = Timer()
    started = time.perf_counter()
    manifest = do_extract_data(out, actor=actor, entities=entities, include_protected=True,
                               include_individual_number=True, progress=timer, **options)
    return time.perf_counter() - started, timer, manifest


def floor(actor: Actor, entities: str) -> tuple[float, dict[str, float], dict[str, int]]:
    """COPY (SELECT the same columns, the same rows) TO STDOUT of every entity, read and discarded: in one snapshot,
    with the extraction's own parallelism (the same workers on the exported snapshot, the largest entity first)."""
    times, sizes = {}, {}
    started = time.perf_counter()
    with q.snapshot() as snapshot:
        jobs = []
        for code in entities.split(","):
            found = dictionary.entity(code)
            allowance = dictionary.allowed_items(code, actor.user, individual_number=True, protected=True)
            columns, _ = _columns(found, allowance, None)
            rows = q.entity_rows(found, as_of=None, withheld=False, actor=actor, hidden=set(), now=None)
            jobs.append((q.estimated_rows(found), code, *q.copy_sql(rows, columns)))
        jobs.sort(reverse=True)

        def read(job):
            _, code, sql, params = job
            with q.joined(snapshot.exported):
                one = time.perf_counter()
                size = 0
                with open(os.devnull, "wb") as sink, connection.cursor() as cursor, \
                        cursor.cursor.copy(sql, params) as copy:
                    for chunk in copy:
                        size += len(chunk)
                        sink.write(chunk)
                times[code] = time.perf_counter() - one
                sizes[code] = size

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(read, jobs))
    return time.perf_counter() - started, times, sizes


def make_changes(n: int, seed: int, clerk: User, approver: User) -> tuple[float, int, int]:
    """n 転居 of distinct living households, each entered and approved through the real actions."""
    from jumin.core.errors import RuleViolation
    from jumin.register.actions import do_approve_change, do_relocate
    from jumin.register.models import ChangeSubject, Resident

    pending = set(ChangeSubject.objects.filter(change__status="draft").exclude(household_number="")
                  .values_list("household_number", flat=True))
    households = sorted(set(Resident.objects.filter(status="resident").values_list("household_number", flat=True)
                            .order_by("household_number")[: max(20 * n, 1000)]) - pending)
    random.Random(seed).shuffle(households)
    done = refused = 0
    started = time.perf_counter()
    for i, number in enumerate(households):
        if done >= n:
            break
        params = {"household_number": number, "effective_on": "R8.11.1", "notified_on": "R8.11.2",
                  "address": {"address": f"宮城県仙台市青葉区一番町四丁目{1 + i % 30}番{1 + i // 30 % 40}号"}}
        try:
            change = do_relocate(params, actor=Actor(user=clerk, terminal="bench"))
            if change.status == "draft":
                do_approve_change(change.pk, actor=Actor(user=approver, terminal="bench"))
            done += 1
        except RuleViolation:
            refused += 1
    return time.perf_counter() - started, done, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="/tmp/jumin-bench-extract")
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--entities", default=REGISTER)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-full", action="store_true", help="use the full extraction already in --out/full")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/extract.py measures PostgreSQL (the floor is COPY … TO STDOUT)")
    out = Path(args.out)
    approver = user("bench-extract-approver", roles.APPROVER)
    clerk = user("bench-extract-clerk", roles.CLERK)
    actor = Actor(user=approver, terminal="bench")
    result = {"machine": machine(), "entities": args.entities}

    if not args.skip_full:
        seconds, timer, manifest = extract(out / "full", actor, args.entities)
        result["full"] = {"seconds": round(seconds, 2), "files": {k: {"rows": timer.rows[k],
                                                                      "seconds": round(v, 2)}
                                                                  for k, v in timer.times.items()},
                          "bytes": sum(p.stat().st_size for p in (out / "full").iterdir()),
                          "point": manifest["snapshot_point"]}
        floor_seconds, floor_times, sizes = floor(actor, args.entities)
        result["floor"] = {"seconds": round(floor_seconds, 2), "files": {k: round(v, 2) for k, v in floor_times.items()},
                           "copy_bytes": sum(sizes.values())}
        result["ratio"] = round(seconds / floor_seconds, 2)
    if args.changes:
        seconds, done, refused = make_changes(args.changes, args.seed, clerk, approver)
        result["changes"] = {"made": done, "refused": refused, "seconds": round(seconds, 1)}
        seconds, timer, manifest = extract(out / "incremental", actor, args.entities,
                                           since=str(out / "full" / "manifest.json"))
        result["incremental"] = {"seconds": round(seconds, 2), "mode": manifest["mode"],
                                 "files": {k: {"rows": timer.rows[k], "seconds": round(v, 3)}
                                           for k, v in timer.times.items()}}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    m = result["machine"]
    print(f"machine: {m['nproc']} cores {m['cpu']}, {m['ram']}, {m['db']}, Python {m['python']}, load {m['load']}; "
          f"{WORKERS} workers")
    if "full" in result:
        print(f"\n| step | seconds | rows |\n| --- | --- | --- |")
        for k, v in result["full"]["files"].items():
            print(f"| full: {k} | {v['seconds']} | {v['rows']:,} |")
        print(f"| **full extraction (Parquet, {result['full']['bytes'] / 1e6:.0f} MB)** | **{result['full']['seconds']}** | |")
        for k, v in result["floor"]["files"].items():
            print(f"| floor: COPY {k} | {v} | |")
        print(f"| **floor (COPY … TO STDOUT → /dev/null, {result['floor']['copy_bytes'] / 1e6:.0f} MB)** | "
              f"**{result['floor']['seconds']}** | |")
        print(f"| ratio full / floor | {result['ratio']} | |")
    if "incremental" in result:
        c = result["changes"]
        print(f"\nchanges: {c['made']} 転居 made and approved in {c['seconds']} s ({c['refused']} refused)")
        for k, v in result["incremental"]["files"].items():
            print(f"| incremental: {k} | {v['seconds']} | {v['rows']:,} |")
        print(f"| **incremental after {c['made']} changes ({result['incremental']['mode']})** | "
              f"**{result['incremental']['seconds']}** | |")


if __name__ == "__main__":
    main()
