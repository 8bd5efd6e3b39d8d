"""Benchmark of 住登外宛名 (issue #17 figures, the part built so far): 住登外者 added to the city in DATABASE_URL,
then registration and the record read through the real actions, each timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumin_sendai .venv/bin/python bench/addressees.py \
        [--non-residents 500000] [--samples 300] [--seed 1]

What it does, in order:
1. load     when the city has no 住登外者 yet: `jumin generate`'s 住登外 part (jumin/addressees/synthetic.py) with
            --non-residents, timed (THIS ADDS ROWS: the 住登外者, their snapshots, and the 宛名番号 series moves on).
2. register --samples calls of `do_register_non_resident` (the action behind `POST /api/addressees`) as the bench
            clerk, each a different realistic landowner living elsewhere (drawn from the shared synthetic draws with
            seed "bench-addressees"): the resident check (個人番号, then 生年月日 + 性別 + folded 氏名), the number,
            the record, its snapshot, the journal and the operation log, in one transaction. THIS ADDS ROWS.
3. read     --samples calls of `get_non_resident` for random 住登外者 (the record with its history, logged).
4. candidates --samples calls of `find_candidates` (GET /api/addressees/candidates' query), 完全一致 as a tax system
            sends it: half a 住登外者's フリガナ + 生年月日, a quarter a resident's 氏名 + 生年月日, a quarter a 住登外者's
            full フリガナ alone; each answered from residents, 除票 and 住登外者. The floor, in the same run: the two
            indexed SELECTs such a lookup cannot do without (the 住登外者 and the 住民票/除票 born that day, same sex).
With --fresh (THIS DELETES EVERY 住登外者 of the city first, so use a bench database): the counter's 住民検索
(search.queries.search: フリガナ, 氏名, フリガナ + 生年月日, as bench/search.py builds them) is timed before the
住登外者 are loaded and again after, the same inputs in the same run.
5. duplicates the duplicate report over every 住登外者 (find_duplicates: 個人番号, folded 氏名 + 生年月日, 氏名 + 住所,
            among 住登外者 and against residents), run twice, each timed (target ≤ 60 s). `--only-duplicates` runs
            this step alone.
Prints markdown with the machine and p50/p95/max. Timed with time.perf_counter around each call.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import bench_user, machine, percentiles  # noqa: E402  (bench/register.py)

from jumin.addressees.actions import do_register_non_resident  # noqa: E402
from jumin.addressees.models import NonResident  # noqa: E402
from jumin.addressees.queries import find_candidates, find_duplicates, get_non_resident  # noqa: E402
from jumin.addressees.synthetic import generate_non_residents  # noqa: E402
from jumin.audit.actions import Actor  # noqa: E402
from jumin.core.synthetic import AS_OF_DEFAULT, Draws, random_for  # noqa: E402
from jumin.register.models import Resident  # noqa: E402


def landowner(i: int) -> dict:
    r = random_for(1, "bench-addressees", i)
    draws = Draws(r)
    sex = "1" if r.random() < 0.5 else "2"
    birth = date(1940, 1, 1) + timedelta(days=r.randint(0, 60 * 365))
    (s_kanji, s_kana), (g_kanji, g_kana) = draws.surname(), draws.given(sex, birth.toordinal())
    address, postcode = draws.elsewhere()
    return {"kind": "taxpayer", "name": f"{s_kanji} {g_kanji}", "name_kana": f"{s_kana} {g_kana}",
            "birth_date": birth.isoformat(), "sex": sex, "address": {"postcode": postcode, "address": address},
            "referring_businesses": ["010"]}


def row(label: str, times: list[float], note: str = "") -> str:
    p = percentiles(times)
    return f"| {label} | {p['n']} | {p['p50']:.1f} ms | {p['p95']:.1f} ms | {p['max']:.1f} ms | {note} |"


def counter_inputs(count: int, seed: int) -> list[dict]:
    """The counter's searches of bench/search.py: フリガナ, 氏名 (異体字 typed), フリガナ + 生年月日."""
    import numpy as np
    from search import build_inputs, living_residents, typeable_variants

    rng = np.random.default_rng(seed)
    people = living_residents(rng, count)
    variants = typeable_variants()
    return [item["params"] for kind in ("kana", "name", "kana_birth")
            for item in build_inputs(kind, people, rng, variants)]


def time_counter(inputs: list[dict], actor) -> list[float]:
    from jumin.search.queries import search

    times = []
    for params in inputs:
        started = time.perf_counter()
        search(dict(params), actor=actor, page=1, page_size=20)
        times.append(time.perf_counter() - started)
    return times[5:]


def candidate_inputs(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    outside = list(NonResident.objects.filter(birth_date__isnull=False).order_by("?")
                   .values("name", "name_kana", "birth_date", "sex")[:count])
    inside = list(Resident.objects.filter(birth_date__isnull=False).order_by("?")
                  .values("name", "birth_date", "sex")[:count // 4 + 1])
    out = []
    for i in range(count):
        if i % 4 in (0, 1):
            p = outside[i]
            out.append(({"kana": p["name_kana"], "birth_date": p["birth_date"].isoformat()}, p))
        elif i % 4 == 2:
            p = inside[i // 4]
            out.append(({"name": p["name"], "birth_date": p["birth_date"].isoformat()}, p))
        else:
            p = outside[i]
            out.append(({"kana": p["name_kana"]}, p))
    rng.shuffle(out)
    return out


def candidate_floor(person: dict) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT addressee_number, name FROM addressees_nonresident WHERE birth_date = %s AND sex = %s",
                    [person["birth_date"], person["sex"]])
        cur.fetchall()
        cur.execute("SELECT addressee_number, name FROM register_resident WHERE birth_date = %s AND sex = %s",
                    [person["birth_date"], person["sex"]])
        cur.fetchall()
    return time.perf_counter() - started


def duplicates(actor) -> str:
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        report = find_duplicates(actor=actor)
        runs.append(time.perf_counter() - started)
    bases: dict[str, int] = {}
    for group in report:
        bases[group["basis"]] = bases.get(group["basis"], 0) + 1
    worst = max(runs)
    return (f"| duplicate report over {NonResident.objects.count():,} 住登外者 (find_duplicates) | 2 | {min(runs):.1f} s "
            f"| | {worst:.1f} s | ≤ 60 s — {'met' if worst <= 60 else '**not met**'}; {len(report):,} groups {bases} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--non-residents", type=int, default=500_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only-duplicates", action="store_true", help="time the duplicate report only")
    parser.add_argument("--fresh", action="store_true",
                        help="delete every 住登外者 first and time the counter's search before and after loading them")
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info['nproc']} cores {info['cpu']}, {info['ram']}, {info['db']}, Python {info['python']}, "
          f"load {info['load']}; {Resident.objects.count():,} 住民票/除票", flush=True)

    lines = []
    actor = Actor(user=bench_user(), terminal="BENCH")
    if args.only_duplicates:
        print(duplicates(actor))
        return
    before = inputs = None
    if args.fresh:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("TRUNCATE addressees_nonresident, addressees_nonresidenthistory, addressees_nonresidentkey")
        inputs = counter_inputs(args.samples, args.seed)
        before = time_counter(inputs, actor)
    if not NonResident.objects.exists():
        started = time.perf_counter()
        data = generate_non_residents(args.non_residents, seed=args.seed, as_of=AS_OF_DEFAULT,
                                      report=lambda m: print(f"  {m}", flush=True))
        lines.append(f"| load {data['non_residents']:,} 住登外者 (jumin generate's part) | 1 | "
                     f"{time.perf_counter() - started:.1f} s | | | {data['kinds']} |")
    total = NonResident.objects.count()
    from django.db import connection

    if connection.vendor == "postgresql":     # fresh rows: the planner needs their statistics, as after a load
        with connection.cursor() as cur:
            cur.execute("ANALYZE addressees_nonresident, addressees_nonresidenthistory, addressees_nonresidentkey")
    after = time_counter(inputs, actor) if inputs else None

    do_register_non_resident(landowner(-1), actor=actor, business="012")       # warm-up
    registered = []
    for i in range(args.samples):
        data = landowner(i)
        started = time.perf_counter()
        do_register_non_resident(data, actor=actor, business="012")
        registered.append(time.perf_counter() - started)

    numbers = list(NonResident.objects.order_by("?").values_list("addressee_number", flat=True)[:args.samples])
    rng = random.Random(args.seed)
    rng.shuffle(numbers)
    read = []
    for number in numbers:
        started = time.perf_counter()
        get_non_resident(number, actor=actor)
        read.append(time.perf_counter() - started)

    asked = candidate_inputs(args.samples, args.seed)
    find_candidates(dict(asked[0][0]), actor=actor, business="010")          # warm-up
    candidates, floor, found = [], [], 0
    for i, (params, person) in enumerate(asked):
        if i % 2:
            floor.append(candidate_floor(person))
        started = time.perf_counter()
        result = find_candidates(dict(params), actor=actor, business="010")
        candidates.append(time.perf_counter() - started)
        if not i % 2:
            floor.append(candidate_floor(person))
        found += bool(result["registered"] or result["non_residents"])

    print(f"\n{total:,} 住登外者 in the city\n")
    print("| what | samples | p50 | p95 | max | target / note |\n| --- | ---: | ---: | ---: | ---: | --- |")
    for line in lines:
        print(line)
    p95 = percentiles(registered)["p95"]
    print(row("registration (do_register_non_resident)", registered,
              f"p95 ≤ 100 ms — {'met' if p95 <= 100 else '**not met**'}"))
    print(row("record with history (get_non_resident)", read))
    p95, floor95 = percentiles(candidates)["p95"], percentiles(floor)["p95"]
    print(row("candidate search (find_candidates, 完全一致)", candidates,
              f"p95 ≤ 50 ms — {'met' if p95 <= 50 else '**not met**'}; {found}/{len(asked)} found the person; "
              f"{p95 / floor95:.1f}× the floor"))
    print(row("floor: the two indexed SELECTs by 生年月日 + 性別", floor))
    if before:
        b95, a95 = percentiles(before)["p95"], percentiles(after)["p95"]
        print(row("counter 住民検索 before the 住登外者 were loaded", before))
        print(row("counter 住民検索 after (same inputs, same run)", after, f"after/before p95 {a95 / b95:.2f}"))
    print(duplicates(actor))


if __name__ == "__main__":
    main()
