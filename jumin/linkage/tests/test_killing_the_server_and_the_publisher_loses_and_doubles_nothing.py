"""kill -9 during a run (issue #18 figures, kept as a guard): bench/linkage_crash.py builds its own small city on the
machine's PostgreSQL (127.0.0.1:5432, a database named …crash…), starts the real server (`jumin serve`) and the real
notice publisher on the real NATS JetStream, enters 転居 over HTTP while a 連携先 pulls the feed, SIGKILLs both twice
and restarts them, and exits 1 unless every change was applied once, the outbox is gap-free, the feed and the NATS
stream hold every event, and the reconciliation equals what the consumer got."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_two_kills_during_eighty_relocations_lose_and_double_nothing():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JUMIN_SQLITE"))}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "linkage_crash.py"), "--database-url",
         "postgres://postgres@127.0.0.1:5432/jumin_crash_test", "--changes", "80", "--kills", "2", "--no-doc"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-3000:]
    assert "2 × kill -9" in report and "**NO**" not in report
    for check in ("every change applied once", "the outbox is gap-free", "the feed consumer has every event",
                  "the NATS stream has every event", "reconciliation: checksum equal"):
        line = next(row for row in report.splitlines() if row.startswith(f"| {check}"))
        assert line.endswith("| yes |"), line
