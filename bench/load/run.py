"""Load test (issue #8): N simulated counter clerks over HTTP against the production server set-up.

    DATABASE_URL=postgres://… .venv/bin/python bench/load/run.py --clerks 410 --minutes 10 [--peak]
        [--spike [--spike-minutes 10]] [--soak 30]

Starts the server itself (`jumin serve`: gunicorn + WhiteNoise, DEBUG off, the workers `jumin serve` picks)
on a free port against DATABASE_URL, warms it up, lets the clerks work, stops it, and reports p50/p95/p99
per operation, throughput, errors (non-2xx other than 409; 409 conflicts counted apart), the server's CPU
and memory, PostgreSQL connection use, and a PNG chart of the p95 per 10-s window. The counter mix:
search 50 %, record view 25 %, certificate 15 % (half 4-person 世帯連記式, half 個人票), change with
approval 10 % (転居 entered by a clerk, 本登録 by an approver). Each clerk thinks between operations
(exponential, mean --think seconds); --peak doubles the rate (3–4月); --spike runs a baseline, then 5× the
rate for --spike-minutes, then the baseline again, and reports how long the p95 takes to recover; --soak M
runs M minutes and reports whether the server's memory stays flat.

The run writes: bench users `load-clerk-NNNN` / `load-approver-NNNN` and new API tokens, 転居 of the
households it picked (each approved), certificates (交付履歴) and operation-log rows. It deletes nothing.
Results replace their section in docs/performance.md (unless --no-doc); the chart goes to docs/performance/.
With --fail-on-errors (the CI smoke) the exit status is 1 when any operation failed; times never fail it.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from register import DOC, machine, size_text, write_doc  # noqa: E402  (bench/register.py: sets Django up)

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates import ensure_settings  # noqa: E402  (bench/certificates.py)
from jumin.core.management.commands.serve import default_workers  # noqa: E402
from jumin.core.models import current_municipality  # noqa: E402
from jumin.register import synthetic  # noqa: E402
from load import chart, report, targets  # noqa: E402
from load.clerks import (CERT_HOUSEHOLD, CERT_SINGLE, CHANGE, ERROR, MAIN_OPERATIONS, OK, RECORD, SEARCH,  # noqa: E402
                         Clerk, Controller)
from load.monitor import Monitor, memory_kb  # noqa: E402
from load.server import Server, free_port  # noqa: E402

CHART_DIR = ROOT / "docs" / "performance"
VAR = ROOT / "var" / "load"
SERVE_THREADS = 2          # `jumin serve` runs gunicorn with --threads 2 (read back from its start-up line)
DEFAULT_THINK = 60.0


def parse_mix(text: str, household_share: float) -> list[tuple[str, float]]:
    weights = {"search": 50.0, "record": 25.0, "certificate": 15.0, "change": 10.0}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if name not in weights:
            raise SystemExit(f"--mix: unknown operation {name!r} (search, record, certificate, change)")
        weights[name] = float(value)
    return [(SEARCH, weights["search"]), (RECORD, weights["record"]),
            (CERT_HOUSEHOLD, weights["certificate"] * household_share),
            (CERT_SINGLE, weights["certificate"] * (1 - household_share)), (CHANGE, weights["change"])]


def phases_for(args) -> list[report.Phase]:
    base = 2.0 if args.peak else 1.0
    if args.soak:
        return [report.Phase("soak", 0.0, args.soak * 60, base)]
    if args.spike:
        b, s, a = args.minutes * 60, args.spike_minutes * 60, args.after_minutes * 60
        return [report.Phase("baseline", 0.0, b, base), report.Phase("spike", b, b + s, base * args.spike_factor),
                report.Phase("after", b + s, b + s + a, base)]
    return [report.Phase("peak" if args.peak else "normal", 0.0, args.minutes * 60, base)]


def shown_command(argv: list[str]) -> str:
    url = os.environ.get("DATABASE_URL", "(default: SQLite var/jumin.sqlite3)")
    url = re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
    kept, skip = [], False
    for i, a in enumerate(argv):          # the note is printed on its own line
        if skip:
            skip = False
            continue
        if a == "--note":
            skip = True
            continue
        if not a.startswith("--note="):
            kept.append(a)
    return f"DATABASE_URL={url} .venv/bin/python bench/load/run.py " + shlex.join(kept)


def warm_up(clerks: list[Clerk], rounds: int, server: Server | None, max_rounds: int = 12) -> tuple[list, int]:
    """Every operation a few times before the clock starts (code paths, fonts, caches); nothing of it is
    measured. Each request goes on a new connection, so the workers' accept loops share them out, and when
    the bench started the server, rounds go on until every worker has grown like the others (a worker that
    has not rendered a certificate yet is less than half the size of one that has, and its first certificate
    costs ~1 s). Returns the samples (so a server that fails at once is told) and the number of rounds."""
    out = []

    def one(clerk: Clerk) -> None:
        for op in MAIN_OPERATIONS:
            out.extend(clerk.perform(op))
            clerk.http.close()

    done = 0
    while done < max_rounds:
        threads = [threading.Thread(target=one, args=(c,)) for c in clerks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done += 1
        if done < rounds:
            continue
        if server is None:
            break
        sizes = [memory_kb(pid)[0] for pid in server.workers()]
        if sizes and min(sizes) >= 0.6 * max(sizes):     # cold ~90 MB, warm ≥ 230 MB
            break
    return out, done
def progress(clerks: list[Clerk], seen: list[int], controller: Controller, monitor: Monitor, window: float) -> str:
    fresh = []
    for i, c in enumerate(clerks):
        n = len(c.samples)
        fresh.extend(c.samples[seen[i]:n])
        seen[i] = n
    parts = [f"t={controller.now():6.0f} s ×{controller.factor:g}",
             f"{sum(1 for s in fresh if s.op in MAIN_OPERATIONS and s.outcome == OK) / window:5.1f} ops/s"]
    for op, short in ((SEARCH, "search"), (RECORD, "record"), (CERT_HOUSEHOLD, "cert4"), (CHANGE, "change")):
        values = [s.latency * 1000 for s in fresh if s.op == op and s.outcome == OK]
        parts.append(f"{short} p95 {np.percentile(values, 95):.0f} ms" if values else f"{short} —")
    errors = sum(1 for s in fresh if s.outcome == ERROR and s.op in MAIN_OPERATIONS)
    parts.append(f"errors {errors}")
    if monitor.points:
        p = monitor.points[-1]
        parts.append(f"server {p.server_cpu:.2f} cores {p.server_rss_mb:,.0f} MB RSS")
        parts.append(f"pg {p.pg_active}/{p.pg_connections} active")
    return " · ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clerks", type=int, default=410, help="simulated clerks at once (default 410)")
    parser.add_argument("--minutes", type=float, default=10.0, help="run length; with --spike, the baseline before it")
    parser.add_argument("--think", type=float, default=DEFAULT_THINK,
                        help=f"mean think time per clerk between operations, seconds (default {DEFAULT_THINK:g})")
    parser.add_argument("--peak", action="store_true", help="3–4月 peak: double rate (think time halved)")
    parser.add_argument("--spike", action="store_true", help="baseline, then --spike-factor × the rate, then baseline")
    parser.add_argument("--spike-minutes", type=float, default=10.0)
    parser.add_argument("--spike-factor", type=float, default=5.0)
    parser.add_argument("--after-minutes", type=float, default=5.0, help="with --spike: the baseline after it")
    parser.add_argument("--soak", type=float, default=0.0, metavar="MINUTES",
                        help="soak run of this length (replaces --minutes); reports whether memory stays flat")
    parser.add_argument("--mix", default="", help="weights, e.g. search=50,record=25,certificate=15,change=10")
    parser.add_argument("--household-share", type=float, default=0.5,
                        help="share of certificates that are 4-person 世帯連記式 (the rest 個人票), default 0.5")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: as `jumin serve`)")
    parser.add_argument("--url", default=None, help="use this running server (http://host:port) instead of starting one")
    parser.add_argument("--server-pid", type=int, default=None, help="with --url: gunicorn master pid to sample")
    parser.add_argument("--people", type=int, default=5000, help="living residents drawn as targets (default 5000)")
    parser.add_argument("--households", type=int, default=2000, help="4-person households drawn (default 2000)")
    parser.add_argument("--change-households", type=int, default=None,
                        help="households the 転居 move (default max(1000, 2 × clerks))")
    parser.add_argument("--warmup-rounds", type=int, default=2,
                        help="at least this many warm-up rounds (more until every worker is warm, at most 12)")
    parser.add_argument("--sample-seconds", type=float, default=2.0, help="resource sampling interval")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chart", type=Path, default=None, help="PNG path (default docs/performance/<run>.png)")
    parser.add_argument("--note", default="", help="free text for the results (e.g. other load on the machine)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md (chart to var/load/)")
    parser.add_argument("--fail-on-errors", action="store_true", help="exit 1 on any error (the CI smoke)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args()
    if args.clerks < 1 or args.think < 0:
        raise SystemExit("--clerks must be ≥ 1 and --think ≥ 0")

    mix = parse_mix(args.mix, args.household_share)
    phases = phases_for(args)
    duration = phases[-1].end
    command = shown_command(sys.argv[1:])
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    info = machine()
    counts = synthetic.summarize(connection)
    if counts["residents"] == 0:
        raise SystemExit("住民がいません（empty register: run `jumin generate` first）")
    municipality = current_municipality()
    two_step = municipality.draft_required
    ensure_settings()
    workers = args.workers or (None if args.url else default_workers())

    print(f"preparing: {args.clerks} clerks, dataset {counts['residents']:,} residents + {counts['removed']:,} removed "
          f"({engine})", flush=True)
    started = time.perf_counter()
    label = f"load test {timezone.localtime():%Y-%m-%d %H:%M}"
    creds = targets.credentials(args.clerks, label)
    rng = np.random.default_rng(args.seed)
    picked, picked_counts = targets.pick(rng, people=args.people, households=args.households,
                                         change_households=args.change_households or max(1000, 2 * args.clerks),
                                         seed=args.seed)
    print(f"  targets in {time.perf_counter() - started:.1f} s: {picked_counts}", flush=True)
    connection.close()

    server = None
    if args.url:
        m = re.match(r"https?://([^:/]+):?(\d+)?", args.url)
        host, port = m.group(1), int(m.group(2) or 80)
        server_pid = args.server_pid
    else:
        host, port = "127.0.0.1", free_port()
        VAR.mkdir(parents=True, exist_ok=True)
        log = VAR / f"server-{time.strftime('%Y%m%d-%H%M%S')}-{port}.log"
        server = Server(port, workers, log)
        server_pid = server.pid
        print(f"  server: {' '.join(server.argv)} (pid {server.pid}, log {log.relative_to(ROOT)})", flush=True)
    threads = SERVE_THREADS
    try:
        if server:
            server.wait_ready(creds[0].token)
            found = re.search(rb"workers=(\d+), threads=(\d+)", server.log_path.read_bytes())
            if found:
                workers, threads = int(found.group(1)), int(found.group(2))
        threading.stack_size(512 * 1024)        # 410 threads: a few MB resident

        def make(i: int, seed: int, controller: Controller) -> Clerk:
            return Clerk(i, (host, port), creds[i], picked, controller, args.think, mix, seed, timeout=args.timeout)

        warm = [make(i, args.seed * 100_003 + 7919 * i, Controller())
                for i in range(min(args.clerks, 2 * (workers or 2) * threads))]
        t0 = time.perf_counter()
        warm_samples, warm_rounds = warm_up(warm, args.warmup_rounds, server)
        warm_errors = [s for s in warm_samples if s.outcome == ERROR and s.op in MAIN_OPERATIONS]
        print(f"  warm-up: {warm_rounds} round{'s' if warm_rounds != 1 else ''}, {len(warm_samples)} requests "
              f"in {time.perf_counter() - t0:.1f} s, {len(warm_errors)} errors", flush=True)
        for s in warm_errors[:3]:
            print(f"    warm-up error: {s.op}: {s.detail}", flush=True)

        controller = Controller()              # the clock of the measurement starts here
        controller.set_factor(phases[0].factor)
        clerks = [make(i, args.seed * 1_000_003 + i, controller) for i in range(args.clerks)]
        monitor = Monitor(server_pid, controller.now, args.sample_seconds, postgresql=(engine == "PostgreSQL"))
        monitor.start()
        for c in clerks:
            c.start()
        offered = args.clerks / args.think * phases[0].factor if args.think else float("inf")
        print(f"running {duration / 60:g} min: {args.clerks} clerks, mean think {args.think:g} s "
              f"(offered ≤ {offered:.1f} ops/s at ×{phases[0].factor:g}), phases: "
              + ", ".join(f"{p.name} ×{p.factor:g} {(p.end - p.start) / 60:g} min" for p in phases), flush=True)
        seen = [0] * len(clerks)
        step = 10.0
        next_print = step
        for phase in phases:
            if controller.factor != phase.factor:
                controller.set_factor(phase.factor)
                print(f"  → {phase.name}: rate ×{phase.factor:g}", flush=True)
            while controller.now() < phase.end:
                time.sleep(min(0.5, max(phase.end - controller.now(), 0.0)))
                if controller.now() >= next_print:
                    if not args.quiet:
                        print("  " + progress(clerks, seen, controller, monitor, step), flush=True)
                    next_print += step
        controller.stop()
        for c in clerks:
            c.join(args.timeout + 10)
        monitor.stop()
    finally:
        if server:
            server.stop()

    samples = sorted((s for c in clerks for s in c.samples), key=lambda s: s.start)
    crashed = [f"{c.name}: {c.crashed!r}" for c in clerks if c.crashed]
    reconnects = sum(c.http.reconnects for c in clerks)
    rows = report.per_operation(samples, duration)
    res = report.resources(monitor.points)
    win = report.windows(samples, duration)
    errors = sum(r["errors"] for r in rows if r["op"] in MAIN_OPERATIONS)
    conflicts = sum(r["conflicts"] for r in rows if r["op"] in MAIN_OPERATIONS)
    done = sum(r["ok"] for r in rows if r["op"] in MAIN_OPERATIONS)
    http_requests = sum(1 for s in samples if s.op != CHANGE)

    variant = {"normal": "", "peak": ", peak ×2"}.get(phases[0].name, "")
    slug = f"load-{engine.lower()}-{counts['residents']}-{args.clerks}clerks"
    if args.peak:
        slug += "-peak"
        variant = variant or ", peak ×2"
    if args.spike and not args.soak:
        variant += f", spike ×{args.spike_factor:g} for {args.spike_minutes:g} min"
        slug += "-spike"
    if args.soak:
        variant += f", soak {args.soak:g} min"
        slug += "-soak"
    heading = f"Load — {engine}, {counts['residents']:,} residents, {args.clerks} clerks{variant}"
    chart_path = args.chart or ((VAR if args.no_doc else CHART_DIR) / f"{slug}.png")
    chart.draw(chart_path, heading, win, report.errors_per_window(samples, duration), monitor.points, phases, duration)

    offered = args.clerks / args.think if args.think else float("inf")
    mode = "two-step (仮登録 → 本登録 by an approver)" if two_step else "single-step municipality (no approval request)"
    lines = [
        f"- date: {timezone.localtime():%Y-%m-%d %H:%M} JST · machine: {info['nproc']} cores ({info['cpu']}), "
        f"{info['ram']} RAM · {info['db']} · Python {info['python']} · load average at start: {info['load']}",
        f"- dataset: {counts['residents']:,} residents, {counts['removed']:,} removed records, "
        f"{counts['households']:,} households, {counts['history']:,} history snapshots, "
        f"{counts['changes']:,} changes; database {size_text(counts.get('database_bytes'))}",
        f"- server: `jumin serve` (gunicorn gthread, {workers} workers × {threads} threads, WhiteNoise, DEBUG off, "
        f"CONN_MAX_AGE 60 s) on the same machine as the database and the load generator",
        f"- clerks: {args.clerks}, each a closed loop with exponential think time, mean {args.think:g} s at ×1 "
        f"(offered ≤ {offered:.1f} operations/s at ×1); mix: "
        + ", ".join(f"{op} {w:g} %" for op, w in mix) + "; changes: " + mode,
        "- phases: " + ", ".join(f"{p.name} ×{p.factor:g} for {(p.end - p.start) / 60:g} min" for p in phases)
        + f"; warm-up before the clock: {warm_rounds} round{'s' if warm_rounds != 1 else ''} of every operation "
        f"by {len(warm)} clerks at once" + (" (until every worker had issued a certificate)" if server else ""),
        f"- targets drawn before the run: {picked_counts['records']:,} residents for record views, "
        f"{picked_counts['searches']:,} search inputs (kana 40 %, name 25 %, birth date 15 %, address 10 %, 宛名番号 10 %), "
        f"{picked_counts['households']:,} 4-person households, {picked_counts['singles']:,} persons for 個人票, "
        f"{picked_counts['change_households']:,} households for 転居",
        f"- command: `{command}`",
    ]
    if args.note:
        lines.append(f"- note: {args.note}")
    body = "\n".join(lines) + "\n\n" + report.operations_table(rows) + "\n\n"
    body += (f"Throughput: **{done / duration:.1f} operations/s** ({http_requests / duration:.1f} HTTP requests/s); "
             f"{done:,} operations, **{errors} errors**, {conflicts} conflicts (409), {reconnects:,} connections "
             f"opened (gunicorn closes a keep-alive connection after 2 s idle)."
             + (f" Clerk threads that crashed: {'; '.join(crashed)}." if crashed else "")
             + (f" **Errors in the warm-up: {len(warm_errors)}** (first: {warm_errors[0].op}: {warm_errors[0].detail})."
                if warm_errors else "") + "\n\n")
    body += report.resources_table(res, workers, threads) + "\n\n"
    body += "Against the targets:\n\n" + report.comparison(rows, samples, res, counts["residents"]) + "\n\n"
    if args.spike and not args.soak:
        body += "Spike:\n\n" + report.phases_table(samples, phases) + "\n\n"
        rec_lines = []
        for op in ("all",) + MAIN_OPERATIONS:
            rec = report.recovery(win[op], phases)
            if rec is None:
                continue
            when = (f"{rec['seconds']:.0f} s" if rec["seconds"] is not None
                    else f"not within the {rec['after_seconds']:.0f} s after the spike")
            ok = rec["seconds"] is not None and rec["seconds"] <= 60
            rec_lines.append(f"| {'all operations' if op == 'all' else op} | {report._ms(rec['level'])} | "
                             f"{report._ms(rec['spike_p95_max'])} | {when} | {'met' if ok else '**missed**'} |")
        body += ("p95 recovery after the spike (recovered: three consecutive 10-s windows at or below the worst "
                 "10-s p95 of the baseline; target ≤ 60 s):\n\n| operation | baseline level | worst during spike | "
                 "recovered after | ≤ 60 s |\n| --- | ---: | ---: | ---: | --- |\n" + "\n".join(rec_lines) + "\n\n")
    if args.soak:
        trend = report.soak(monitor.points, duration)
        if trend:
            r, p = trend["server_rss_mb"], trend["server_pss_mb"]
            body += (f"Soak memory (gunicorn, after the first 10 %; flat = the last 10 % within 5 % or 20 MB of the "
                     f"10–20 % slice): RSS {r['start']:,.0f} → {r['end']:,.0f} MB (max {r['max']:,.0f}, trend "
                     f"{r['slope_per_hour']:+,.0f} MB/h); PSS {p['start']:,.0f} → {p['end']:,.0f} MB (trend "
                     f"{p['slope_per_hour']:+,.0f} MB/h) — **{'flat' if trend['flat'] else 'NOT flat'}**.\n\n")
    failures = report.error_summary(samples)
    if failures:
        body += "Errors and conflicts (most frequent first):\n\n" + failures + "\n\n"
    if monitor.problems:
        body += "Monitor problems: " + "; ".join(monitor.problems) + "\n\n"
    try:
        shown = chart_path.resolve().relative_to(DOC.parent.resolve())
    except ValueError:
        shown = chart_path
    body += f"![{heading}]({shown.as_posix()})\n"
    print()
    print(f"### {heading}\n")
    print(body)
    print(f"chart: {chart_path}")
    if not args.no_doc:
        write_doc(heading, body)
        print(f"written to {DOC.relative_to(ROOT)}")

    failed = errors > 0 or bool(warm_errors) or done == 0 or bool(crashed)
    p95 = {r["op"]: r["latency"]["p95"] for r in rows if r["latency"]}
    verdict = "FAIL" if failed else "PASS"
    print(f"LOAD RESULT: {verdict} — {done:,} operations in {duration:.0f} s ({done / duration:.1f}/s), "
          f"{errors} errors{f' (+{len(warm_errors)} in the warm-up)' if warm_errors else ''}, {conflicts} conflicts; p95 " +
          ", ".join(f"{op} {p95[op]:.0f} ms" for op in MAIN_OPERATIONS if op in p95), flush=True)
    return 1 if (args.fail_on_errors and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
