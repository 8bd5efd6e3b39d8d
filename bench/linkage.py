"""Benchmark of the linkage outbox and feed (issue #18 figures) on a generated city.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumin_bench .venv/bin/python bench/linkage.py \
        --replay-days 365 --samples 200

Measures, in one run:
  (a) the outbox's cost on a 4-person 転居: jumin.register.actions.do_relocate, single-step, p50/p95 with the outbox
      receiver connected and with it disconnected, the samples interleaved (with, without, with, …) so both see the
      same machine; the ratio of the two is the figure;
  (b) replay of the generated city's last `--replay-days` of changes through the outbox writer
      (jumin.linkage.actions.write_events, one call and one sequence step per change, as apply_plan makes them, in
      transactions of 500 changes; the time of the writes and commits only, not of reading the snapshots back):
      events/s written;
  (c) reading all of them back through the feed (jumin.linkage.queries.changes, limit 1000, a 連携先 with 8
      items): events/s read;
  (d) change-to-feed lag: a consumer thread polls the feed (after its last number, every 20 ms) while the main
      thread commits 転居 one after another; lag = the first poll that returned the event − the commit; p50/p95;
  (e) one differential file export (jumin linkage export) of the replayed events: seconds and rows — the file
      linkage lag is at most the timer's interval (10 minutes) plus this.
Prints a markdown table and writes it into docs/performance.md. The bench changes the data (転居, events, runs);
the replay's events get numbers after the existing ones like any others. Never put timings into tests.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from register import bench_user, four_person_households, machine, percentiles, write_doc  # noqa: E402

from jumin.accounts import rules as roles  # noqa: E402
from jumin.accounts.models import User  # noqa: E402
from jumin.audit.actions import Actor  # noqa: E402
from jumin.core.models import current_municipality  # noqa: E402
from jumin.linkage import actions as linkage  # noqa: E402
from jumin.linkage import queries  # noqa: E402
from jumin.linkage.models import LinkageClient, LinkageEvent  # noqa: E402
from jumin.register import synthetic  # noqa: E402
from jumin.register.actions import do_relocate  # noqa: E402
from jumin.register.actions.base import snapshots_written  # noqa: E402
from jumin.register.models import ITEM_FIELDS, Change, ResidentHistory  # noqa: E402

ITEMS = ["name", "name_kana", "birth_date", "sex", "address", "postcode", "household_number", "relationship"]


def admin_actor() -> Actor:
    user = User.objects.filter(username="bench-admin").first() or User.objects.create_user(
        username="bench-admin", password=None, role=roles.ADMIN, display_name="性能 管理")
    return Actor(user=user, terminal="BENCH")


def bench_client(directory: str) -> LinkageClient:
    client = LinkageClient.objects.filter(name="性能測定", revoked_at__isnull=True).first()
    if client is None:
        client, _ = linkage.do_add_linkage_client(
            {"business": "010", "name": "性能測定", "items": ITEMS, "methods": ["pull", "file"],
             "directory": directory}, actor=admin_actor())
    client.directory = directory
    client.save(update_fields=["directory"])
    return client


def relocations(households, actor, builder):
    today = timezone.localdate().isoformat()

    def relocate(household_number: str) -> float:
        postcode, code, address, supplement = builder.address()[:4]
        start = time.perf_counter()
        do_relocate({"household_number": household_number, "effective_on": today,
                     "address": {"postcode": postcode, "address_code": code, "address": address,
                                 "address_supplement": supplement}}, actor=actor)
        return time.perf_counter() - start

    return relocate


def outbox_cost(relocate, households, warmup: int) -> tuple[list[float], list[float]]:
    with_outbox, without = [], []
    receiver = linkage._on_snapshots_written
    for i, household in enumerate(households):
        connected = i % 2 == 0
        if not connected:
            snapshots_written.disconnect(receiver)
        try:
            seconds = relocate(household)
        finally:
            if not connected:
                snapshots_written.connect(receiver)
        if i >= warmup:
            (with_outbox if connected else without).append(seconds)
    return with_outbox, without


def replay(days: int) -> tuple[int, int, float]:
    """The last `days` of generated changes through write_events: (changes, events, seconds)."""
    since = timezone.localdate() - timedelta(days=days)
    ids = list(Change.objects.filter(status="approved", processed_on__gte=since).order_by("pk")
               .values_list("pk", flat=True))
    events, seconds = 0, 0.0
    for at in range(0, len(ids), 500):
        batch = ids[at:at + 500]
        changes = {c.pk: c for c in Change.objects.filter(pk__in=batch)}
        snapshots = list(ResidentHistory.objects.filter(change_id__in=batch).order_by("change_id", "history_number"))
        previous = {}
        keys = [(s.addressee_number, s.history_number - 1) for s in snapshots if s.history_number > 1]
        for part in range(0, len(keys), 2000):
            chunk = keys[part:part + 2000]
            placeholders = ",".join(["(%s, %s)"] * len(chunk))
            rows = ResidentHistory.objects.raw(
                f"SELECT * FROM {ResidentHistory._meta.db_table} WHERE (addressee_number, history_number) IN "
                f"({placeholders})", [v for key in chunk for v in key])
            for row in rows:
                previous[(row.addressee_number, row.history_number)] = {n: getattr(row, n) for n in ITEM_FIELDS}
        by_change: dict[int, list] = {}
        for s in snapshots:
            by_change.setdefault(s.change_id, []).append(
                (previous.get((s.addressee_number, s.history_number - 1)), s))
        start = time.perf_counter()                     # the writer only: reading the snapshots is the bench's
        with transaction.atomic():
            for change_id in batch:
                persons = by_change.get(change_id, [])
                events += len(linkage.write_events(changes[change_id], persons, operator="replay"))
        seconds += time.perf_counter() - start
    return len(ids), events, seconds


def read_all(client, after: int, actor) -> tuple[int, float]:
    start, count = time.perf_counter(), 0
    while True:
        page = queries.changes(client, after=after, limit=1000, actor=actor)
        count += len(page["events"])
        after = page["next"]
        if not page["more"]:
            return count, time.perf_counter() - start


def feed_lag(relocate, households, client, actor) -> list[float]:
    """Commit 転居 in the main thread; a consumer thread polls the feed every 20 ms; lag per event."""
    committed: dict[int, float] = {}
    seen: dict[int, float] = {}
    stop = threading.Event()
    municipality = current_municipality().code
    after = LinkageEvent.objects.filter(municipality=municipality).order_by("-seq").values_list("seq", flat=True) \
        .first() or 0

    def consume(last: int) -> None:
        try:
            while not stop.is_set() or len(seen) < len(committed):
                page = queries.changes(client, after=last, limit=1000, actor=actor)
                now = time.perf_counter()
                for entry in page["events"]:
                    seen.setdefault(entry["seq"], now)
                last = page["next"]
                time.sleep(0.02)
                if stop.is_set() and last >= max(committed or [0]):
                    break
        finally:
            connection.close()

    thread = threading.Thread(target=consume, args=(after,))
    thread.start()
    for household in households:
        relocate(household)
        now = time.perf_counter()
        for seq in LinkageEvent.objects.filter(municipality=municipality, seq__gt=after).values_list("seq", flat=True):
            committed.setdefault(seq, now)
        after = max(committed)
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=60)
    return [seen[s] - committed[s] for s in committed if s in seen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replay-days", type=int, default=365)
    parser.add_argument("--samples", type=int, default=200, help="転居 for (a), half with and half without")
    parser.add_argument("--lag-samples", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--note", default="")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    info = machine()
    command = f"DATABASE_URL={os.environ.get('DATABASE_URL', '(default)')} .venv/bin/python bench/linkage.py " \
        + shlex.join([a for a in sys.argv[1:] if not a.startswith("--note")])
    counts = synthetic.summarize(connection)
    rng = np.random.default_rng(args.seed)
    actor = Actor(user=bench_user(), terminal="BENCH")
    municipality = current_municipality()
    draft_required = municipality.draft_required
    municipality.draft_required = False
    municipality.save()
    out_dir = tempfile.mkdtemp(prefix="jumin-linkage-bench-")
    client = bench_client(out_dir)
    feed_actor = Actor(user=admin_actor().user, terminal="BENCH")
    builder = synthetic.HouseholdBuilder(synthetic.FastRandom(f"bench:{args.seed}:{time.time()}"),
                                         synthetic.AS_OF_DEFAULT)
    try:
        households = four_person_households(rng, args.samples + args.warmup + args.lag_samples)
        relocate = relocations(households, actor, builder)
        with_outbox, without = outbox_cost(relocate, households[:args.samples + args.warmup], args.warmup)
        lags = feed_lag(relocate, households[args.samples + args.warmup:], client, feed_actor)
        before = LinkageEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        linkage.do_export_files(client.client_id, actor=admin_actor())          # delivered up to here
        changes, events, write_seconds = replay(args.replay_days)
        read, read_seconds = read_all(client, before, feed_actor)
        start = time.perf_counter()
        run = linkage.do_export_files(client.client_id, actor=admin_actor())
        export_seconds = time.perf_counter() - start
    finally:
        municipality.draft_required = draft_required
        municipality.save()
    a, b, lag = percentiles(with_outbox), percentiles(without), percentiles(lags)
    table = "\n".join([
        "| measurement | samples | p50 | p95 | figure |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| (a) 4-person 転居 with the outbox | {a['n']} | {a['p50']:.1f} ms | {a['p95']:.1f} ms | "
        f"p95 ratio with/without {a['p95'] / b['p95']:.2f} |",
        f"| (a) 4-person 転居 without the outbox (receiver disconnected) | {b['n']} | {b['p50']:.1f} ms | "
        f"{b['p95']:.1f} ms | floor of the same run |",
        f"| (b) replay of {changes:,} changes ({args.replay_days} days) through write_events | {events:,} events "
        f"| | | {events / write_seconds:,.0f} events/s written ({write_seconds:.1f} s) |",
        f"| (c) the feed read back, pages of 1,000 | {read:,} events | | | {read / read_seconds:,.0f} events/s "
        f"read ({read_seconds:.1f} s) |",
        f"| (d) change-to-feed lag (consumer polling every 20 ms) | {lag['n']} | {lag['p50']:.0f} ms | "
        f"{lag['p95']:.0f} ms | target p95 ≤ 1 s |",
        f"| (e) one differential file export of the replay | {run.rows:,} rows | | | {export_seconds:.1f} s "
        f"(file lag ≤ 10 min timer + this) |",
    ])
    body = f"""
- date: {timezone.localtime().strftime('%Y-%m-%d %H:%M JST')} · machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM ·
  {info['db']} · Python {info['python']} · load average at start: {info['load']}
- dataset: {counts['residents']:,} residents, {counts['removed']:,} removed records, {counts['households']:,} households,
  {counts['history']:,} history snapshots, {counts['changes']:,} changes
- command: `{command}`
{('- note: ' + args.note) if args.note else ''}

{table}
"""
    print(body)
    if not args.no_doc:
        engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        write_doc(f"Linkage ({engine}): {counts['residents']:,} residents", body)


if __name__ == "__main__":
    main()
