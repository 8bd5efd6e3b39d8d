"""What the server and the database use while the clerks work, sampled every few seconds.

- gunicorn: CPU (utime + stime of the master and every worker from /proc/<pid>/stat, plus the master's
  cutime + cstime so a worker that died and was reaped is still counted), RSS (VmRSS summed: shared pages
  count once per process, so this overstates — it is the conservative figure) and PSS (smaps_rollup: shared
  pages split between the processes that map them — the fair total).
- PostgreSQL: the client backends of this database in pg_stat_activity (by state, and how many wait on a
  lock) — with CONN_MAX_AGE each gunicorn thread keeps one connection, so "connections" is the pool the
  server holds and "active" how much of it is busy — and, when the database runs on this machine, their
  CPU and PSS from /proc.
- the machine: busy share of all cores (/proc/stat), and the load generator's own CPU (getrusage), since
  it runs on the same cores as the server.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int, children_too: bool = False) -> float | None:
    f = _stat_fields(pid)
    if f is None:
        return None
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children_too else 0)
    return ticks / TICKS


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB; (0, 0) for a process that is gone or not readable."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
                break
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
                break
    except (OSError, ValueError):
        pass
    return rss, pss


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


@dataclass
class Point:
    t: float                      # seconds since the start of the measurement
    server_cpu: float = 0.0       # cores used by gunicorn (master + workers) since the previous point
    server_rss_mb: float = 0.0
    server_pss_mb: float = 0.0
    server_processes: int = 0
    machine_busy: float = 0.0     # share of all cores busy (everything on the machine)
    client_cpu: float = 0.0       # cores used by the load generator
    pg_connections: int = 0
    pg_active: int = 0
    pg_idle_in_transaction: int = 0
    pg_lock_waits: int = 0
    pg_cpu: float = 0.0
    pg_pss_mb: float = 0.0


@dataclass
class Monitor:
    server_pid: int | None
    now: callable                  # the controller's clock
    interval: float = 2.0
    postgresql: bool = True
    points: list[Point] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="monitor", daemon=True)
        self._last: dict = {}

    # --- sources ---------------------------------------------------------------------------------------

    def _server_pids(self) -> list[int]:
        if not self.server_pid:
            return []
        pids = [self.server_pid]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                f = _stat_fields(int(entry))
                if f and int(f[1]) == self.server_pid:
                    pids.append(int(entry))
        return pids

    def _server(self, point: Point, wall: float) -> None:
        pids = self._server_pids()
        total = 0.0
        for pid in pids:
            seconds = cpu_seconds(pid, children_too=(pid == self.server_pid))
            total += seconds or 0.0
            rss, pss = memory_kb(pid)
            point.server_rss_mb += rss / 1024
            point.server_pss_mb += pss / 1024
        point.server_processes = len(pids)
        last = self._last.get("server")
        if last is not None and wall > last[1]:
            point.server_cpu = max(0.0, total - last[0]) / (wall - last[1])
        self._last["server"] = (total, wall)

    def _machine_and_client(self, point: Point, wall: float) -> None:
        busy, total = machine_busy()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        client = usage.ru_utime + usage.ru_stime
        last = self._last.get("machine")
        if last is not None:
            point.machine_busy = (busy - last[0]) / max(total - last[1], 1)
            point.client_cpu = (client - last[2]) / max(wall - last[3], 1e-9)
        self._last["machine"] = (busy, total, client, wall)

    def _postgresql(self, point: Point, wall: float) -> None:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT pid, state, wait_event_type FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
            rows = cur.fetchall()
        point.pg_connections = len(rows)
        point.pg_active = sum(1 for _, state, _ in rows if state == "active")
        point.pg_idle_in_transaction = sum(1 for _, state, _ in rows if (state or "").startswith("idle in transaction"))
        point.pg_lock_waits = sum(1 for _, _, wait in rows if wait == "Lock")
        seen = {}
        cpu = 0.0
        previous = self._last.get("pg", {})
        for pid, _, _ in rows:
            seconds = cpu_seconds(pid)
            if seconds is None:
                continue
            seen[pid] = seconds
            if pid in previous:
                cpu += max(0.0, seconds - previous[pid])
            point.pg_pss_mb += memory_kb(pid)[1] / 1024
        last_wall = self._last.get("pg_wall")
        if last_wall is not None and wall > last_wall:
            point.pg_cpu = cpu / (wall - last_wall)
        self._last["pg"], self._last["pg_wall"] = seen, wall

    # --- the thread --------------------------------------------------------------------------------------

    def sample(self) -> Point:
        wall = time.monotonic()
        point = Point(t=self.now())
        self._server(point, wall)
        self._machine_and_client(point, wall)
        if self.postgresql:
            try:
                self._postgresql(point, wall)
            except Exception as problem:  # noqa: BLE001 — a monitor failure must not stop the run
                if len(self.problems) < 5:
                    self.problems.append(f"pg_stat_activity: {problem}")
        return point

    def _run(self) -> None:
        self.sample()          # the baseline of the CPU counters
        while not self._stop.wait(self.interval):
            self.points.append(self.sample())
        if self.postgresql:
            from django.db import connection

            connection.close()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)
