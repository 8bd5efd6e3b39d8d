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
Prints markdown with the machine and p50/p95/max. Timed with time.perf_counter around each call.
Not measured yet (not built): the candidate search, the duplicate report, the counter's search before/after.
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
from jumin.addressees.queries import get_non_resident  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--non-residents", type=int, default=500_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info['nproc']} cores {info['cpu']}, {info['ram']}, {info['db']}, Python {info['python']}, "
          f"load {info['load']}; {Resident.objects.count():,} 住民票/除票", flush=True)

    lines = []
    if not NonResident.objects.exists():
        started = time.perf_counter()
        data = generate_non_residents(args.non_residents, seed=args.seed, as_of=AS_OF_DEFAULT,
                                      report=lambda m: print(f"  {m}", flush=True))
        lines.append(f"| load {data['non_residents']:,} 住登外者 (jumin generate's part) | 1 | "
                     f"{time.perf_counter() - started:.1f} s | | | {data['kinds']} |")
    total = NonResident.objects.count()
    actor = Actor(user=bench_user(), terminal="BENCH")

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

    print(f"\n{total:,} 住登外者 in the city\n")
    print("| what | samples | p50 | p95 | max | target / note |\n| --- | ---: | ---: | ---: | ---: | --- |")
    for line in lines:
        print(line)
    p95 = percentiles(registered)["p95"]
    print(row("registration (do_register_non_resident)", registered,
              f"p95 ≤ 100 ms — {'met' if p95 <= 100 else '**not met**'}"))
    print(row("record with history (get_non_resident)", read))


if __name__ == "__main__":
    main()
