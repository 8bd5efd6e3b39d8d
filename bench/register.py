"""Benchmark of the register on a synthetic Sendai: record view, 4-person 転居, generation.

    DATABASE_URL=... .venv/bin/python bench/register.py --residents 100000 --removed 270000 --generate

Measures with time.perf_counter, after a warm-up, over many samples:
  (a) record view by 宛名番号: jumin.register.queries.get_record for random 宛名番号 (living and 除票),
      end to end — it includes the operation-log INSERT every read writes (design.md: every read is logged);
  (b) 転居 of a random 4-person household: jumin.register.actions.do_relocate, single-step (the bench sets
      Municipality.draft_required False while it runs and restores it), end to end in one transaction;
  (c) generation time (this run with --generate, else the last run's state file) and database size.
Prints a markdown table and writes it into docs/performance.md (a section per database and dataset).
The bench changes the data: each 転居 sample moves one household and writes its history and log rows.
Never put timings into tests; run this instead.
"""

from __future__ import annotations

import argparse
import shlex
import os
import platform
import re
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from jumin.accounts import rules as roles  # noqa: E402
from jumin.accounts.models import User  # noqa: E402
from jumin.audit.actions import Actor  # noqa: E402
from jumin.core.models import current_municipality  # noqa: E402
from jumin.register import choices as c  # noqa: E402
from jumin.register import synthetic  # noqa: E402
from jumin.register.actions import do_relocate  # noqa: E402
from jumin.register.models import Resident  # noqa: E402
from jumin.register.queries import get_record  # noqa: E402

DOC = ROOT / "docs" / "performance.md"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            db = "PostgreSQL " + cur.fetchone()[0].split()[0]
    else:
        db = f"SQLite {sqlite3.sqlite_version}"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": ram, "db": db, "python": platform.python_version(),
            "load": "%.2f %.2f %.2f" % os.getloadavg()}


def percentiles(samples: list[float]) -> dict:
    a = np.array(samples) * 1000
    return {"n": len(a), "p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "p99": float(np.percentile(a, 99)), "mean": float(a.mean()), "max": float(a.max())}


def bench_user() -> User:
    user = User.objects.filter(username="bench").first()
    if user is None:
        user = User.objects.create_user(username="bench", password=None, role=roles.CLERK, display_name="性能 測定")
    return user


def random_addressee_numbers(rng: np.random.Generator, count: int) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT MIN(id), MAX(id) FROM register_resident")
        low, high = cur.fetchone()
    ids = rng.integers(low, high + 1, size=count * 2).tolist()
    found = dict(Resident.objects.filter(id__in=ids).values_list("id", "addressee_number"))
    return [found[i] for i in ids if i in found][:count]


def four_person_households(rng: np.random.Generator, count: int) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT household_number FROM register_resident WHERE status = %s "
                    "GROUP BY household_number HAVING COUNT(*) = 4", [c.RESIDENT])
        numbers = [row[0] for row in cur.fetchall()]
    if len(numbers) < count:
        raise SystemExit(f"only {len(numbers)} four-person households; need {count}")
    return [numbers[i] for i in rng.choice(len(numbers), size=count, replace=False)]


def timed(fn, items, warmup: int) -> list[float]:
    for item in items[:warmup]:
        fn(item)
    out = []
    for item in items[warmup:]:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def size_text(n: int | None) -> str:
    if not n:
        return "—"
    return f"{n / 1024 ** 3:.2f} GiB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.0f} MiB"


def write_doc(heading: str, body: str) -> None:
    """Replace the section `### heading` under `## Results`, or add it at the end of that chapter."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    section = f"### {heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^### {re.escape(heading)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        if not re.search(r"^## Results\n", text, re.M):
            text = text.rstrip() + "\n\n## Results\n\n"
        start = re.search(r"^## Results\n", text, re.M).end()
        following = re.search(r"^## ", text[start:], re.M)
        cut = start + following.start() if following else len(text)
        text = text[:cut].rstrip() + "\n\n" + section + text[cut:]
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, required=True)
    parser.add_argument("--removed", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generate", action="store_true", help="(re)generate the city first (--reset)")
    parser.add_argument("--batch-households", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--relocation-samples", type=int, default=None, help="default: --samples")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--note", default="", help="free text for the results (e.g. other load on the machine)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args()
    info = machine()
    options = synthetic.Options(residents=args.residents, removed=args.removed, seed=args.seed,
                                reset=True, batch_households=args.batch_households)
    shown = [a for i, a in enumerate(sys.argv[1:], 1)          # the note is printed on its own line
             if a != "--note" and not a.startswith("--note=") and (i < 2 or sys.argv[i - 1] != "--note")]
    command = f"DATABASE_URL={os.environ.get('DATABASE_URL', '(default)')} .venv/bin/python bench/register.py " \
        + shlex.join(shown)

    generation_seconds = None
    if args.generate:
        print(f"generating {args.residents:,} residents + {args.removed:,} removed …", flush=True)
        start = time.perf_counter()
        synthetic.generate(options, progress=lambda p: print(
            f"  batch {p.batch}/{p.batches}: {p.persons:,} persons, {p.rows / max(p.elapsed, 1e-9):,.0f} rows/s",
            flush=True), report=lambda m: print("  " + m, flush=True))
        generation_seconds = time.perf_counter() - start
    else:
        state = synthetic.last_run(connection, options)
        if state and state.get("complete") and state["key"]["residents"] == args.residents \
                and state["key"]["removed"] == args.removed:
            generation_seconds = state["elapsed_seconds"]
    counts = synthetic.summarize(connection)
    if counts["residents"] < args.residents * 0.99:
        raise SystemExit(f"the database holds {counts['residents']:,} residents; run with --generate")

    rng = np.random.default_rng(args.seed)
    user = bench_user()
    actor = Actor(user=user, terminal="BENCH")
    municipality = current_municipality()
    draft_required = municipality.draft_required
    municipality.draft_required = False
    municipality.save()
    try:
        numbers = random_addressee_numbers(rng, args.samples + args.warmup)
        view = timed(lambda n: get_record(n, actor=actor), numbers, args.warmup)

        reloc_n = args.relocation_samples or args.samples
        warm = min(args.warmup, 20)
        households = four_person_households(rng, reloc_n + warm)
        r = synthetic.FastRandom(f"bench:{args.seed}:{time.time()}")
        builder = synthetic.HouseholdBuilder(r, synthetic.AS_OF_DEFAULT)
        today = timezone.localdate().isoformat()

        def relocate(household_number: str) -> None:
            postcode, code, address, supplement = builder.address()[:4]
            do_relocate({"household_number": household_number, "effective_on": today,
                         "address": {"postcode": postcode, "address_code": code, "address": address,
                                     "address_supplement": supplement}}, actor=actor)

        move = timed(relocate, households, warm)
    finally:
        municipality.draft_required = draft_required
        municipality.save()

    size = synthetic.database_size(connection)
    a, b = percentiles(view), percentiles(move)
    gen = f"{generation_seconds / 60:.1f} min ({generation_seconds:,.0f} s)" if generation_seconds else "—"
    table = "\n".join([
        "| measurement | samples | p50 | p95 | p99 | mean | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| (a) record view by 宛名番号 (get_record, incl. operation-log write) | {a['n']} | {a['p50']:.1f} ms "
        f"| {a['p95']:.1f} ms | {a['p99']:.1f} ms | {a['mean']:.1f} ms | {a['max']:.1f} ms |",
        f"| (b) 転居 of a 4-person household (do_relocate, single-step) | {b['n']} | {b['p50']:.1f} ms "
        f"| {b['p95']:.1f} ms | {b['p99']:.1f} ms | {b['mean']:.1f} ms | {b['max']:.1f} ms |",
        f"| (c) generation ({args.residents:,} + {args.removed:,} removed) | 1 | {gen} | | | | |",
        f"| database size | | {size_text(size)} | | | | |",
    ])
    body = f"""
- date: {timezone.localtime().strftime('%Y-%m-%d %H:%M JST')} · machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM ·
  {info['db']} · Python {info['python']} · load average at start: {info['load']}
- dataset: seed {args.seed}; {counts['residents']:,} residents, {counts['removed']:,} removed records,
  {counts['households']:,} households, {counts['history']:,} history snapshots, {counts['changes']:,} changes
- command: `{command}`
{('- note: ' + args.note) if args.note else ''}

{table}
"""
    print(body)
    if not args.no_doc:
        engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        write_doc(f"{engine}: {args.residents:,} residents + {args.removed:,} removed", body)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
