"""Certificate throughput (issue #5): PDFs per second on one process and on all cores.

Each sample is a whole `do_issue_certificate` call as the counter makes it — register reads, the 支援措置/抑止
guard, the 通番, the PDF (the form renderer of ADR 0002, or WeasyPrint with JUMIN_CERTIFICATE_RENDERER=weasyprint), the 交付履歴 row, the kept PDF and the operation log —
for a single person (個人票) and for a 4-person household (世帯連記式, one sheet).

    DATABASE_URL=… .venv/bin/python bench/certificates.py --samples 200

The bench writes 交付履歴 rows (terminal "bench-…"); it creates a bench clerk, certificate settings and a
mayor when the database has none. Results replace their section in docs/performance.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from register import bench_user, four_person_households, machine, percentiles, random_addressee_numbers, write_doc  # noqa: E402,I001

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from jumin.audit.actions import Actor  # noqa: E402
from jumin.certificates.actions import do_issue_certificate  # noqa: E402
from jumin.certificates.document import Document  # noqa: E402
from jumin.certificates.models import Signatory, current_config  # noqa: E402
from jumin.certificates.startup import warm_up  # noqa: E402
from jumin.certificates.seal import default_seal_svg  # noqa: E402
from jumin.register.models import Resident  # noqa: E402


def ensure_settings() -> None:
    current_config()
    if not Signatory.objects.exists():
        Signatory.objects.create(title="宮城県仙台市長", name="郡 和子", valid_from=date(2017, 8, 22),
                                 seal_svg=default_seal_svg("仙台市長之印"))


def request(subjects: list[str], layout: str) -> dict:
    return {"kind": "resident_copy", "layout": layout, "subjects": subjects,
            "requester": {"kind": "self", "name": "本人"}, "identity_check": "my_number_card",
            "acknowledged_alerts": [], "copies": 1}


def tasks(scenario: str, count: int, rng) -> list[tuple[list[str], str]]:
    if scenario == "single":
        numbers = random_addressee_numbers(rng, count * 3)
        living = set(Resident.objects.filter(addressee_number__in=numbers, status="resident")
                     .values_list("addressee_number", flat=True))
        return [([n], "individual") for n in numbers if n in living][:count]
    out = []
    for household in four_person_households(rng, count):
        members = list(Resident.objects.filter(household_number=household, status="resident")
                       .order_by("household_order").values_list("addressee_number", flat=True))
        out.append((members, "household"))
    return out


_render_seconds: list[float] = []


def _timed_render(render):
    """Document.render, timed: the PDF drawing alone, as a share of the whole issue."""
    def timed(self, **kwargs):
        start = time.perf_counter()
        try:
            return render(self, **kwargs)
        finally:
            _render_seconds.append(time.perf_counter() - start)
    return timed


def issue_all(work: list[tuple[list[str], str]], terminal: str) -> list[tuple[float, int, int, float]]:
    """(seconds, pages, bytes, rendering seconds) per certificate. Alerts (e.g. a protected subject) are
    acknowledged and counted."""
    connection.close()  # a forked worker opens its own connection
    actor = Actor(user=bench_user(), terminal=terminal)
    out = []
    for subjects, layout in work:
        params = request(subjects, layout)
        start = time.perf_counter()
        try:
            result = do_issue_certificate(params, actor=actor)
        except Exception as refusal:  # noqa: BLE001 — a refused sample is skipped, not timed
            alerts = getattr(refusal, "alerts", None)
            if not alerts:
                continue
            params["acknowledged_alerts"] = [a.code for a in alerts]
            start = time.perf_counter()
            result = do_issue_certificate(params, actor=actor)
        out.append((time.perf_counter() - start, result.issuance.pages, len(result.pdf), _render_seconds[-1]))
    return out


def _worker(args):
    work, terminal = args
    return issue_all(work, terminal)


def run(scenario: str, processes: int, samples: int, rng) -> dict:
    work = tasks(scenario, samples, rng)
    issue_all(work[:3], "bench-warmup")  # font load, caches
    chunks = [(work[i::processes], f"bench-{scenario}-{processes}-{i}") for i in range(processes)]
    connection.close()
    start = time.perf_counter()
    if processes == 1:
        results = [issue_all(*chunks[0])]
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_worker, chunks)
    wall = time.perf_counter() - start
    flat = [r for chunk in results for r in chunk]
    pages = sum(p for _, p, _, _ in flat)
    return {"scenario": scenario, "processes": processes, "certificates": len(flat), "pages": pages, "wall": wall,
            "pages_per_s": pages / wall, "latency": percentiles([s for s, _, _, _ in flat]),
            "render": percentiles([r for _, _, _, r in flat]),
            "kb_per_page": sum(b for _, _, b, _ in flat) / max(pages, 1) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=200, help="certificates per scenario and process count")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, os.cpu_count() or 1])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--note", default="")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()

    ensure_settings()
    Document.render = _timed_render(Document.render)
    warm_up()  # load the fonts and seals once, before forking, so workers share them
    rng = np.random.default_rng(args.seed)
    residents = Resident.objects.filter(status="resident").count()
    removed = Resident.objects.exclude(status="resident").count()
    rows = [run(scenario, p, args.samples, rng) for scenario in ("single", "household") for p in args.processes]
    m = machine()
    lines = [
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram']}, {m['db']}, Python {m['python']}; "
        f"load average at the end {m['load']}. Dataset: {residents:,} residents + {removed:,} 除票. "
        f"Renderer: {settings.CERTIFICATE_RENDERER} (JUMIN_CERTIFICATE_RENDERER).",
        f"Command: `DATABASE_URL=… .venv/bin/python bench/certificates.py --samples {args.samples}`"
        + (f". Note: {args.note}" if args.note else "."),
        "",
        "| certificate | processes | certificates | pages | pages/s | p50 ms | p95 ms | of which PDF p50 ms | KB/page |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        label = "住民票の写し 個人票, 1 person" if r["scenario"] == "single" else "住民票の写し 世帯連記式, 4 persons"
        lines.append(f"| {label} | {r['processes']} | {r['certificates']} | {r['pages']} | {r['pages_per_s']:.1f} | "
                     f"{r['latency']['p50']:.0f} | {r['latency']['p95']:.0f} | {r['render']['p50']:.1f} | {r['kb_per_page']:.1f} |")
    body = "\n".join(lines)
    print(body)
    if not args.no_doc:
        write_doc(f"Certificates — {m['db'].split()[0]}, {residents:,} residents", body)


if __name__ == "__main__":
    main()
