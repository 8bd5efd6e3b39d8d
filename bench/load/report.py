"""Figures of a load run: percentiles per operation, 10-s windows, spike recovery, soak memory trend,
the comparison with the targets, and the markdown that goes into docs/performance.md. Pure: no Django,
no HTTP — it takes the samples of the clerks and the points of the monitor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from load.clerks import (CERT_HOUSEHOLD, CHANGE, CHANGE_APPROVE, CHANGE_ENTRY, CONFLICT, ERROR, LABELS,
                         MAIN_OPERATIONS, OK, RECORD, SEARCH, Sample)
from register import percentiles  # bench/register.py

WINDOW = 10.0       # seconds per point of the latency-over-time chart
RECOVERY_WINDOWS = 3  # recovered = this many consecutive windows back at the baseline level
GB = 1024.0         # MB

# The contract's targets under the 410-clerk mix (issue #8), p95 in ms.
TARGETS_MS = {SEARCH: 150, RECORD: 150, CHANGE: 300, CERT_HOUSEHOLD: 500}
CONTRACT_RESPONSE_MS = 3000     # the contract's own figure: every response within 3 s
RSS_LIMIT_MB = 2 * 1024
OPENCRVS = {"read": 150, "write": 300}   # OpenCRVS 2.0 published p95 at 1M records


@dataclass(frozen=True)
class Phase:
    name: str
    start: float
    end: float
    factor: float


def stats(samples: list[Sample]) -> dict | None:
    ok = [s.latency for s in samples if s.outcome == OK]
    return percentiles(ok) if ok else None


def per_operation(samples: list[Sample], duration: float, operations=None) -> list[dict]:
    rows = []
    for op in operations or (MAIN_OPERATIONS + (CHANGE_ENTRY, CHANGE_APPROVE)):
        mine = [s for s in samples if s.op == op]
        if not mine and op in (CHANGE_ENTRY, CHANGE_APPROVE):
            continue
        rows.append({"op": op, "label": LABELS[op], "count": len(mine),
                     "ok": sum(s.outcome == OK for s in mine), "errors": sum(s.outcome == ERROR for s in mine),
                     "conflicts": sum(s.outcome == CONFLICT for s in mine),
                     "rate": sum(s.outcome == OK for s in mine) / duration if duration else 0.0,
                     "latency": stats(mine), "target": TARGETS_MS.get(op)})
    return rows


def windows(samples: list[Sample], duration: float, width: float = WINDOW) -> dict[str, list[tuple]]:
    """op (and "all" for the main operations pooled) → [(window start, p95 ms or None, successful samples)]."""
    count = max(1, int(np.ceil(duration / width)))
    buckets: dict[str, list[list[float]]] = {op: [[] for _ in range(count)] for op in MAIN_OPERATIONS + ("all",)}
    for s in samples:
        if s.outcome != OK or s.op not in MAIN_OPERATIONS or s.start >= count * width or s.start < 0:
            continue
        i = int(s.start // width)
        buckets[s.op][i].append(s.latency * 1000)
        buckets["all"][i].append(s.latency * 1000)
    return {op: [(i * width, float(np.percentile(v, 95)) if v else None, len(v)) for i, v in enumerate(rows)]
            for op, rows in buckets.items()}


def errors_per_window(samples: list[Sample], duration: float, width: float = WINDOW) -> list[int]:
    count = max(1, int(np.ceil(duration / width)))
    out = [0] * count
    for s in samples:
        if s.outcome == ERROR and s.op in MAIN_OPERATIONS and 0 <= s.start < count * width:
            out[int(s.start // width)] += 1
    return out


def recovery(series: list[tuple], phases: list[Phase]) -> dict | None:
    """For a spike run: the baseline level is the worst 10-s p95 of the phase before the spike (the windows
    a normal run shows anyway); the p95 has recovered at the first window after the spike's end from which
    RECOVERY_WINDOWS consecutive windows are at or below that level. Time = that window's start − spike end."""
    spike = next((p for p in phases if p.name == "spike"), None)
    before = next((p for p in phases if p.name == "baseline"), None)
    if spike is None or before is None:
        return None
    base = [p95 for start, p95, n in series if before.start <= start and start + WINDOW <= before.end and p95]
    if not base:
        return None
    level = max(base)
    during = [p95 for start, p95, n in series if spike.start <= start < spike.end and p95]
    after = [(start, p95) for start, p95, n in series if start >= spike.end]
    recovered_at = None
    for i in range(len(after)):
        run = after[i:i + RECOVERY_WINDOWS]
        if len(run) == RECOVERY_WINDOWS and all(p95 is None or p95 <= level for _, p95 in run):
            recovered_at = run[0][0]
            break
    return {"level": level, "spike_p95_max": max(during) if during else None,
            "seconds": None if recovered_at is None else max(0.0, recovered_at - spike.end),
            "after_seconds": (after[-1][0] + WINDOW - spike.end) if after else 0.0}


def soak(points: list, duration: float) -> dict | None:
    """Memory trend of a soak. The first 10 % is the warm-up (workers load the rest of the code, fonts,
    caches); from there on, the median of the last 10 % is compared with the median of the 10–20 % slice.
    Flat: grown by at most 5 % or 20 MB, whichever is larger. The least-squares slope is given too."""
    body = [p for p in points if p.t >= 0.1 * duration and p.server_rss_mb]
    if len(body) < 5:
        return None
    t = np.array([p.t for p in body])
    out = {}
    for key in ("server_rss_mb", "server_pss_mb"):
        y = np.array([getattr(p, key) for p in body])
        early = y[t < 0.2 * duration] if (t < 0.2 * duration).any() else y[:1]
        late = y[t >= 0.9 * duration] if (t >= 0.9 * duration).any() else y[-1:]
        start, end = float(np.median(early)), float(np.median(late))
        slope = float(np.polyfit(t, y, 1)[0]) * 3600 if len(set(t)) > 1 else 0.0
        out[key] = {"start": start, "end": end, "max": float(y.max()), "growth": end - start,
                    "slope_per_hour": slope, "flat": (end - start) <= max(0.05 * start, 20.0)}
    out["flat"] = out["server_rss_mb"]["flat"] and out["server_pss_mb"]["flat"]
    return out


def resources(points: list) -> dict:
    if not points:
        return {}

    def summary(key):
        values = np.array([getattr(p, key) for p in points], dtype=float)
        return {"mean": float(values.mean()), "max": float(values.max()), "min": float(values.min()),
                "last": float(values[-1])}

    keys = ("server_cpu", "server_rss_mb", "server_pss_mb", "server_processes", "machine_busy", "client_cpu",
            "pg_connections", "pg_active", "pg_idle_in_transaction", "pg_lock_waits", "pg_cpu", "pg_pss_mb")
    return {k: summary(k) for k in keys}


def pooled(samples: list[Sample], ops) -> dict | None:
    return stats([s for s in samples if s.op in ops])


def _ms(value: float | None) -> str:
    return "—" if value is None else (f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms")


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def comparison(rows: list[dict], samples: list[Sample], res: dict, residents: int) -> str:
    by = {r["op"]: r for r in rows}
    errors = sum(r["errors"] for r in rows if r["op"] in MAIN_OPERATIONS)
    lines = ["| target | source | measured | verdict |", "| --- | --- | ---: | --- |"]
    for op, label in ((SEARCH, "search p95 ≤ 150 ms"), (RECORD, "record view p95 ≤ 150 ms"),
                      (CHANGE, "change with approval p95 ≤ 300 ms"),
                      (CERT_HOUSEHOLD, "4-person certificate p95 ≤ 500 ms")):
        lat = by.get(op, {}).get("latency")
        p95 = lat["p95"] if lat else None
        lines.append(f"| {label} | contract (issue #8) | {_ms(p95)} | {_verdict(None if p95 is None else p95 <= TARGETS_MS[op])} |")
    lines.append(f"| zero errors | contract (issue #8) | {errors} | {_verdict(errors == 0)} |")
    rss = res.get("server_rss_mb", {}).get("max")
    pss = res.get("server_pss_mb", {}).get("max")
    shown = "—" if rss is None else f"max {rss:,.0f} MB (PSS {pss:,.0f} MB)"
    lines.append(f"| server RSS ≤ 2 GB in total | contract (issue #8) | {shown} | "
                 f"{_verdict(None if rss is None else rss <= RSS_LIMIT_MB)} |")
    worst = max((s.latency for s in samples if s.op in MAIN_OPERATIONS and s.outcome == OK), default=None)
    lines.append(f"| every response within 3 s | contract (reference customer) | max {_ms(None if worst is None else worst * 1000)} | "
                 f"{_verdict(None if worst is None else worst * 1000 <= CONTRACT_RESPONSE_MS)} |")
    scale = "" if residents >= 1_000_000 else f" — this run: {residents:,} records, not comparable in scale"
    read = pooled(samples, (SEARCH, RECORD))
    write = pooled(samples, (CHANGE_ENTRY,))
    both = pooled(samples, (CHANGE,))
    lines.append(f"| read p95 ≤ 150 ms (search + record view pooled) | OpenCRVS 2.0, 1M records{scale} | "
                 f"{_ms(read['p95'] if read else None)} | {_verdict(None if not read else read['p95'] <= OPENCRVS['read'])} |")
    lines.append(f"| write p95 ≤ 300 ms (one change request; with approval: {_ms(both['p95'] if both else None)}) | "
                 f"OpenCRVS 2.0, 1M records{scale} | {_ms(write['p95'] if write else None)} | "
                 f"{_verdict(None if not write else write['p95'] <= OPENCRVS['write'])} |")
    return "\n".join(lines)


def operations_table(rows: list[dict]) -> str:
    lines = ["| operation | requests | ok/s | errors | 409 | p50 | p95 | p99 | max | target p95 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lat = r["latency"] or {}
        lines.append(f"| {r['label']} | {r['count']:,} | {r['rate']:.2f} | {r['errors']} | {r['conflicts']} | "
                     f"{_ms(lat.get('p50'))} | {_ms(lat.get('p95'))} | {_ms(lat.get('p99'))} | {_ms(lat.get('max'))} | "
                     f"{'≤ ' + str(r['target']) + ' ms' if r['target'] else ''} |")
    return "\n".join(lines)


def resources_table(res: dict, workers: int | None, threads: int) -> str:
    if not res:
        return "(no resource samples)"

    def row(label, key, fmt, note=""):
        v = res[key]
        return f"| {label} | {fmt(v['mean'])} | {fmt(v['max'])} | {note} |"

    cores = lambda v: f"{v:.2f} cores"  # noqa: E731
    mb = lambda v: f"{v:,.0f} MB"  # noqa: E731
    num = lambda v: f"{v:.1f}"  # noqa: E731
    pct = lambda v: f"{v * 100:.0f} %"  # noqa: E731
    pool = (workers or 0) * threads
    return "\n".join([
        "| resource | mean | max | note |", "| --- | ---: | ---: | --- |",
        row("server CPU (gunicorn master + workers)", "server_cpu", cores, "from /proc/<pid>/stat"),
        row("server RSS (sum over processes)", "server_rss_mb", mb, "shared pages counted per process: an upper bound"),
        row("server PSS (sum over processes)", "server_pss_mb", mb, "shared pages split: the fair total"),
        row("PostgreSQL connections of this database", "pg_connections", num,
            f"pool: {workers} workers × {threads} threads = {pool} (CONN_MAX_AGE, one per thread)" if pool else ""),
        row("  of which active", "pg_active", num, "pg_stat_activity, sampled"),
        row("  of which idle in transaction", "pg_idle_in_transaction", num, ""),
        row("  waiting on a lock", "pg_lock_waits", num, ""),
        row("PostgreSQL backends CPU", "pg_cpu", cores, "backends of this database, /proc"),
        row("PostgreSQL backends PSS", "pg_pss_mb", mb, "shared_buffers split between backends"),
        row("load generator CPU", "client_cpu", cores, "same machine: it competes with the server"),
        row("whole machine busy", "machine_busy", pct, "every process, other users' included"),
    ])


def error_summary(samples: list[Sample], limit: int = 8) -> str:
    counts: dict[tuple[str, str], int] = {}
    for s in samples:
        if s.outcome != OK and s.op in MAIN_OPERATIONS:
            key = (s.op, s.detail or s.outcome)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return ""
    lines = ["| operation | answer | count |", "| --- | --- | ---: |"]
    for (op, detail), n in sorted(counts.items(), key=lambda kv: -kv[1])[:limit]:
        lines.append(f"| {op} | {detail.replace('|', '/')} | {n} |")
    return "\n".join(lines)


def phases_table(samples: list[Sample], phases: list[Phase]) -> str:
    lines = ["| phase | rate | duration | " + " | ".join(f"{op} p95" for op in MAIN_OPERATIONS) + " | ops/s | errors |",
             "| --- | ---: | ---: | " + " | ".join("---:" for _ in MAIN_OPERATIONS) + " | ---: | ---: |"]
    for p in phases:
        mine = [s for s in samples if p.start <= s.start < p.end]
        cells = []
        for op in MAIN_OPERATIONS:
            lat = stats([s for s in mine if s.op == op])
            cells.append(_ms(lat["p95"] if lat else None))
        done = sum(1 for s in mine if s.op in MAIN_OPERATIONS and s.outcome == OK)
        errs = sum(1 for s in mine if s.op in MAIN_OPERATIONS and s.outcome == ERROR)
        lines.append(f"| {p.name} | ×{p.factor:g} | {(p.end - p.start) / 60:.1f} min | " + " | ".join(cells)
                     + f" | {done / max(p.end - p.start, 1e-9):.1f} | {errs} |")
    return "\n".join(lines)
