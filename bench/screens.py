"""Server time per counter screen (issue #4 "Figures"): search results, record view, change confirmation.

Run against a generated city (the demo, or Sendai scale on PostgreSQL):

    DATABASE_URL=... .venv/bin/python bench/screens.py [--samples 300]

Each sample is one request through Django's full stack in-process (middleware, session, view, template,
the operation-log writes): the time a gunicorn worker spends, without the network. Targets: p95 ≤ 100 ms.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from jumin.accounts.models import User  # noqa: E402
from jumin.register.models import Resident  # noqa: E402
from jumin.search.rules import fold_kana  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, samples, warmup=20):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        response = fn()
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), response.status_code
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    user, _ = User.objects.get_or_create(username="bench-screens", defaults={"role": "clerk",
                                                                             "display_name": "計測"})
    client = Client()
    client.force_login(user)
    living = list(Resident.objects.filter(status="resident").order_by("?").values(
        "addressee_number", "household_number", "name_kana")[:2000])
    if not living:
        sys.exit("住民がいません。先に jumin generate を実行してください。")

    def search():
        kana = fold_kana((rnd.choice(living)["name_kana"] or "ヤマダ").split("\u3000")[0])[:3] or "ヤマダ"
        return client.get("/counter/search/", {"kana": kana}, HTTP_HX_REQUEST="true")

    def record():
        return client.get(f"/counter/residents/{rnd.choice(living)['addressee_number']}/")

    def confirm():
        person = rnd.choice(living)
        return client.post("/counter/changes/relocation/", {
            "household_number": person["household_number"], "address.address": "宮城県仙台市泉区泉中央一丁目1番1号",
            "effective_on": "R6.5.1", "notified_on": "R6.5.2", "step": "confirm"})

    rows = []
    for label, fn in (("search results (kana prefix, htmx)", search), ("record view (住民票照会)", record),
                      ("change confirmation (転居 確認画面)", confirm)):
        ms = timed(fn, args.samples)
        rows.append((label, len(ms), statistics.median(ms), percentile(ms, 95), percentile(ms, 99)))
    vendor = connection.vendor
    counts = Resident.objects.filter(status="resident").count(), Resident.objects.filter(status="removed").count()
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}; database: {vendor}; "
          f"residents {counts[0]:,}, removed {counts[1]:,}; load average {os.getloadavg()}")
    print("| screen | samples | p50 | p95 | p99 | target p95 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, n, p50, p95, p99 in rows:
        print(f"| {label} | {n} | {p50:.1f} ms | {p95:.1f} ms | {p99:.1f} ms | ≤ 100 ms |")


if __name__ == "__main__":
    main()
