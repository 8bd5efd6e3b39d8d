"""Does a process's memory stay flat while it issues certificates? (issue #15 item 12)

One process issues N certificates through the real action (`do_issue_certificate`: register reads, the guard,
the 通番, the PDF, the 交付履歴 and kept PDF, the operation log), alternating a 1-person 個人票 and a 4-person
世帯連記式 copy of random living residents, each with its own 通番 and 照合番号 — the strings that never repeat.
Every K certificates it samples the process's RSS — anonymous (its own memory) and file-backed (pages of the mapped
font files, shared) — and the form renderer's shaping cache, then prints the series and the slopes (KB per
certificate, least squares, over the samples after the first fifth: the warm-up).

    # a small city in a throw-away SQLite database (migrate, generate 3,000 + 500, demo_setup), then the run:
    .venv/bin/python bench/memory.py --temp-city --certificates 3000 --every 100
    # against an existing database (after `jumin generate` and `jumin demo_setup`):
    DATABASE_URL=… .venv/bin/python bench/memory.py --certificates 3000
    # before / after in the same way:
    .venv/bin/python bench/memory.py --temp-city --shape-cache-mb 100000          # no byte bound at all
    git show e4a9bec:jumin/certificates/form.py > /tmp/form_before.py                # the renderer before the fix
    .venv/bin/python bench/memory.py --temp-city --form-module /tmp/form_before.py
    # where a worker's memory goes, step by step as a gunicorn worker takes it (see --stages):
    DATABASE_URL=… .venv/bin/python bench/memory.py --stages --certificates 300
    DATABASE_URL=… .venv/bin/python bench/memory.py --stages --weasyprint --certificates 300

It writes 交付履歴 and operation-log rows (terminals `MEM-…`); it never writes docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificates", type=int, default=3000, help="certificates to issue (N)")
    parser.add_argument("--every", type=int, default=100, help="sample RSS every K certificates")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--temp-city", action="store_true",
                        help="build a small city (3,000 residents + 500 除票) in a temporary SQLite database first")
    parser.add_argument("--shape-cache-mb", type=int, default=None,
                        help="the shaping cache's budget (JUMIN_CERTIFICATE_SHAPE_CACHE_MB); default 16")
    parser.add_argument("--form-module", default=None,
                        help="a form.py file to use as jumin.certificates.form (e.g. the one before the fix)")
    parser.add_argument("--stages", action="store_true",
                        help="print the memory after each step a worker takes — the app as the master preloads it, the "
                             "coverage table, the start-up load, the certificates — instead of the series")
    parser.add_argument("--weasyprint", action="store_true",
                        help="with --stages: load WeasyPrint after the start-up load, as a worker does for its first "
                             "印鑑登録証明書, 日計表 or 照会書 PDF")
    return parser.parse_args()


def build_temp_city() -> str:
    """A throw-away SQLite database with a small synthetic city and the demo's certificate settings."""
    folder = tempfile.mkdtemp(prefix="jumin-memory-")
    url = f"sqlite:///{folder}/memory.sqlite3"
    env = dict(os.environ, DATABASE_URL=url, JUMIN_DEMO="true")
    jumin = [sys.executable, "-m", "jumin.cli"] if not (ROOT / ".venv/bin/jumin").exists() else [str(ROOT / ".venv/bin/jumin")]
    for args in (["migrate", "-v0"], ["generate", "--residents", "3000", "--removed", "500", "--seed", "1",
                                      "--no-progress"], ["demo_setup"]):
        subprocess.run([*jumin, *args], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return url


def font_mappings_kb() -> tuple[int, int]:
    """(mappings of the certificate font file, their resident KB): each mapping's touched pages count in RSS again,
    although the page cache holds the file once."""
    from jumin.core.charset import CERTIFICATE_FONT

    count = resident = 0
    current = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
            current = line
            count += current.rstrip().endswith(CERTIFICATE_FONT)
        elif line.startswith("Rss:") and current.rstrip().endswith(CERTIFICATE_FONT):
            resident += int(line.split()[1])
    return count, resident


class Stages:
    """The memory after each step, and what the step added."""

    def __init__(self):
        self.last: tuple[int, int] | None = None
        print("| step | RSS MB | anonymous | mapped files | font file mappings (resident MB) | step adds (anon + file) | s |")
        print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")

    def step(self, name: str, seconds: float = 0.0) -> None:
        anon, mapped = rss_kb()
        maps, resident = font_mappings_kb()
        added = "" if self.last is None else f"{(anon - self.last[0]) / 1024:+.1f} + {(mapped - self.last[1]) / 1024:+.1f}"
        print(f"| {name} | {(anon + mapped) / 1024:.1f} | {anon / 1024:.1f} | {mapped / 1024:.1f} | "
              f"{maps} ({resident / 1024:.1f}) | {added} | {seconds:.2f} |", flush=True)
        self.last = (anon, mapped)


def rss_kb() -> tuple[int, int]:
    """(anonymous RSS, file-backed RSS) in KB. Only the first is this process's own memory: the second is pages of
    mapped files — the IPAmj file, mapped by HarfBuzz and by WeasyPrint — which grow as new characters are printed,
    are shared with every worker through the page cache, and can never exceed the files' size."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("RssAnon", "RssFile"):
            values[key] = int(rest.split()[0])
    return values.get("RssAnon", 0), values.get("RssFile", 0)


def cache_state(form) -> tuple[int, int | None]:
    """(entries, bytes or None) of the form renderer's shaping cache, for either version of the module."""
    face = form.face()
    if hasattr(face, "shaped"):
        return len(face.shaped), face.shaped.bytes
    return len(face._shaped), None


def slope(points: list[tuple[int, int]]) -> float:
    """Least-squares KB per certificate."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def main() -> None:
    args = parse()
    if args.temp_city:
        os.environ["DATABASE_URL"] = build_temp_city()
    if args.shape_cache_mb is not None:
        os.environ["JUMIN_CERTIFICATE_SHAPE_CACHE_MB"] = str(args.shape_cache_mb)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")
    stages = Stages() if args.stages else None
    if stages:
        stages.step("the interpreter")
    import django

    django.setup()
    if stages:
        from django.core.wsgi import get_wsgi_application
        from django.urls import get_resolver

        get_wsgi_application()
        get_resolver().url_patterns  # noqa: B018 — the URL map, as the first request builds it
        stages.step("Django and the app (what gunicorn's master preloads)")
    if args.form_module:
        spec = importlib.util.spec_from_file_location("jumin.certificates.form", args.form_module)
        module = importlib.util.module_from_spec(spec)
        sys.modules["jumin.certificates.form"] = module
        spec.loader.exec_module(module)

    import numpy as np
    from django.conf import settings
    from django.db import connection

    from jumin.accounts import rules as roles
    from jumin.accounts.models import User
    from jumin.audit.actions import Actor
    from jumin.certificates import form
    from jumin.certificates.actions import do_issue_certificate
    from jumin.certificates.models import Signatory, current_config
    from jumin.certificates.startup import warm_up
    from jumin.register.models import Resident

    if settings.CERTIFICATE_RENDERER != "form":
        raise SystemExit("bench/memory.py measures the form renderer (JUMIN_CERTIFICATE_RENDERER=form)")
    current_config()
    if not Signatory.objects.exists():
        raise SystemExit("no signatory: run `jumin demo_setup` first (or use --temp-city)")
    user = User.objects.filter(username="bench-memory").first() or User.objects.create_user(
        username="bench-memory", password=None, role=roles.CLERK, display_name="メモリ 測定")
    rng = np.random.default_rng(args.seed)
    living = list(Resident.objects.filter(status="resident").values_list("addressee_number", flat=True))
    with connection.cursor() as cur:
        cur.execute("SELECT household_number FROM register_resident WHERE status = 'resident' "
                    "GROUP BY household_number HAVING COUNT(*) = 4")
        households = [row[0] for row in cur.fetchall()]
    members = {h: list(Resident.objects.filter(household_number=h, status="resident").order_by("household_order")
                       .values_list("addressee_number", flat=True)) for h in households}
    if not living or not households:
        raise SystemExit("the database has no living residents or no 4-person households")

    if stages:
        from jumin.certificates.render import unprintable

        clock = time.perf_counter()
        unprintable("住民")
        stages.step("the coverage table (every name entered, every certificate)", time.perf_counter() - clock)
        clock = time.perf_counter()
        form.face().clusters("住民票の写し")
        stages.step("the form renderer's face, prepared for subsetting", time.perf_counter() - clock)
    clock = time.perf_counter()
    warm_up()
    if stages:
        stages.step("the rest of the start-up load (startup.warm_up: the seals)", time.perf_counter() - clock)
        if args.weasyprint:
            from jumin.certificates import render

            clock = time.perf_counter()
            render.warm_up()
            stages.step("WeasyPrint loaded, one page drawn", time.perf_counter() - clock)
    start_rss = rss_kb()
    series: list[tuple[int, tuple[int, int], int, int | None]] = []  # (certificates, RSS KB, entries, bytes)
    issued = refused = 0
    started = time.perf_counter()
    while issued < args.certificates:
        if issued % 2:
            subjects, layout = members[households[int(rng.integers(len(households)))]], "household"
        else:
            subjects, layout = [living[int(rng.integers(len(living)))]], "individual"
        params = {"kind": "resident_copy", "layout": layout, "subjects": subjects,
                  "requester": {"kind": "self", "name": "本人"}, "identity_check": "my_number_card",
                  "acknowledged_alerts": [], "copies": 1}
        actor = Actor(user=user, terminal=f"MEM-{issued // 900:03d}")
        try:
            do_issue_certificate(params, actor=actor)
        except Exception as refusal:  # noqa: BLE001 — a protected subject alerts: acknowledge it once
            alerts = getattr(refusal, "alerts", None)
            if not alerts:
                refused += 1
                continue
            params["acknowledged_alerts"] = [a.code for a in alerts]
            do_issue_certificate(params, actor=actor)
        issued += 1
        if stages and issued in (10, args.certificates):
            stages.step(f"{issued:,} certificates issued", time.perf_counter() - started)
        if issued % args.every == 0:
            entries, size = cache_state(form)
            series.append((issued, rss_kb(), entries, size))
    wall = time.perf_counter() - started
    if stages:
        print(f"WeasyPrint in this process: {'yes' if 'weasyprint' in sys.modules else 'no'}; "
              f"{len(sys.modules):,} modules; database {connection.vendor}")
        return

    budget = (f"{args.shape_cache_mb} MB" if args.shape_cache_mb is not None else "default (16 MB)")
    print(f"form module: {args.form_module or 'jumin/certificates/form.py (this checkout)'}; shaping budget: {budget}")
    print(f"database: {connection.vendor}, {len(living):,} living residents, {len(households):,} 4-person households")
    print(f"{issued} certificates ({refused} refused) in {wall:.0f} s; RSS after warm-up: "
          f"{start_rss[0] / 1024:.1f} MB anonymous + {start_rss[1] / 1024:.1f} MB mapped files")
    print("| certificates | RSS MB | of which anonymous | of which mapped files | shaped strings | cache MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, (anon, mapped), entries, size in series:
        print(f"| {n} | {(anon + mapped) / 1024:.1f} | {anon / 1024:.1f} | {mapped / 1024:.1f} | {entries} | "
              f"{'' if size is None else f'{size / 1048576:.1f}'} |")
    for label, part in (("anonymous", 0), ("mapped files", 1)):
        tail = [(n, rss[part]) for n, rss, _, _ in series[len(series) // 5:]]
        half = [(n, rss[part]) for n, rss, _, _ in series[len(series) // 2:]]
        print(f"{label}: slope after the first fifth {slope(tail):.2f} KB per certificate, over the last half "
              f"{slope(half):.2f}; {series[0][1][part] / 1024:.1f} → {series[-1][1][part] / 1024:.1f} MB")


if __name__ == "__main__":
    main()
