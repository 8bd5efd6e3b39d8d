"""Simulated counter clerks: one thread per clerk, each with its own keep-alive HTTP connection.

A clerk is a closed loop, as at a real counter: think (exponential, mean `think / factor`), do one
operation of the counter mix, wait for the answer, think again. The `Controller` holds the current rate
factor (1 normal, 2 peak, ×5 in a spike); when it changes, every clerk that is thinking draws its think
time again at the new rate — the exponential distribution has no memory, so this is exactly a Poisson
process whose rate steps at the phase boundary, and a spike starts at once instead of over one mean
think time.

Nothing here imports Django: the clerks only speak HTTP to the server under test.
"""

from __future__ import annotations

import json
import random
import re
import select
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException, RemoteDisconnected
from urllib.parse import urlencode

SEARCH = "search"
RECORD = "record"
CERT_HOUSEHOLD = "certificate_household"
CERT_SINGLE = "certificate_single"
CHANGE = "change"                    # entry + approval, the operation the target is about
CHANGE_ENTRY = "change_entry"        # POST /api/changes/relocation (仮登録)
CHANGE_APPROVE = "change_approve"    # POST /api/changes/{id}/approve (本登録)

LABELS = {
    SEARCH: "search (GET /api/search)",
    RECORD: "record view (GET /api/residents/{n})",
    CERT_HOUSEHOLD: "certificate, 4-person household (世帯連記式)",
    CERT_SINGLE: "certificate, one person (個人票)",
    CHANGE: "change with approval (転居 + 本登録)",
    CHANGE_ENTRY: "  of which: entry (POST /api/changes/relocation)",
    CHANGE_APPROVE: "  of which: approval (POST …/approve)",
}
MAIN_OPERATIONS = (SEARCH, RECORD, CERT_HOUSEHOLD, CERT_SINGLE, CHANGE)
ALL_OPERATIONS = MAIN_OPERATIONS + (CHANGE_ENTRY, CHANGE_APPROVE)

OK, CONFLICT, ERROR = "ok", "conflict", "error"


@dataclass(frozen=True)
class Sample:
    start: float        # seconds since the start of the measurement
    latency: float      # seconds, request sent → whole answer read (for CHANGE: entry + approval)
    op: str
    outcome: str        # OK, CONFLICT (409, expected under concurrency) or ERROR
    detail: str = ""    # for errors: "HTTP 422 code: message" or the exception


@dataclass
class Targets:
    """Everything the clerks act on, picked from the database before the run (not measured)."""

    searches: list[dict]                    # query parameters of GET /api/search
    records: list[str]                      # 宛名番号 of living residents
    households: list[dict]                  # POST /api/certificates bodies: 4-person households, 世帯連記式
    singles: list[dict]                     # POST /api/certificates bodies: one living resident, 個人票
    change_households: deque                # 世帯番号 free for a 転居 (taken out while a change is in flight)
    addresses: list[dict]                   # new addresses for the 転居
    today: str                              # ISO date of the 異動日 and 届出日
    current_address: dict = field(default_factory=dict)  # 世帯番号 → its address now (a 転居 must change it)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_household(self) -> str | None:
        with self.lock:
            return self.change_households.popleft() if self.change_households else None

    def give_back(self, household: str) -> None:
        with self.lock:
            self.change_households.append(household)

    def new_address(self, household: str, rng) -> dict:
        """A 転居 destination other than where the household lives now (an earlier run may have moved it to
        one of the same addresses: the register refuses a 転居 to the same address)."""
        with self.lock:
            now = self.current_address.get(household)
        choices = [a for a in self.addresses if a["address"] != now] or self.addresses
        return rng.choice(choices)

    def moved(self, household: str, address: dict) -> None:
        with self.lock:
            self.current_address[household] = address["address"]


@dataclass(frozen=True)
class Credentials:
    token: str
    terminal: str
    approver_token: str
    approver_terminal: str


class Controller:
    """The rate factor of the moment, the stop flag, and an event that wakes every thinking clerk."""

    def __init__(self) -> None:
        self.factor = 1.0
        self.stopped = False
        self.measure_from = time.monotonic()
        self._event = threading.Event()
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.monotonic() - self.measure_from

    def set_factor(self, factor: float) -> None:
        with self._lock:
            self.factor = factor
            old, self._event = self._event, threading.Event()
        old.set()

    def stop(self) -> None:
        self.stopped = True
        self.set_factor(self.factor)

    def think(self, seconds: float) -> bool:
        """Sleep; True if the sleep ran out, False if the rate changed or the run stopped (draw again)."""
        return not self._event.wait(seconds)


class Http:
    """One keep-alive connection (http.client). gunicorn closes idle connections after its keep-alive
    (2 s by default), so before each request a connection the server has closed is reopened (the check
    urllib3 does: a readable idle socket means EOF), and a request that fails before any answer on a
    reused connection is sent once more on a new one. Connecting is part of the measured time."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: HTTPConnection | None = None
        self.reconnects = 0

    def _fresh(self) -> HTTPConnection:
        if self.conn is not None and self.conn.sock is not None:
            readable, _, _ = select.select([self.conn.sock], [], [], 0)
            if not readable:
                return self.conn
            self.close()
        if self.conn is None:
            self.conn = HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.reconnects += 1
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, headers: dict, body: bytes | None = None) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        for attempt in (1, 2):
            conn = self._fresh()
            reused = conn.sock is not None
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (RemoteDisconnected, ConnectionResetError, BrokenPipeError) as problem:
                self.close()
                if attempt == 1 and reused:
                    continue
                raise problem
            except (OSError, HTTPException):
                self.close()
                raise
            if response.will_close:
                self.close()
            return response.status, data, time.perf_counter() - started
        raise AssertionError("unreachable")


def describe(status: int, data: bytes) -> str:
    try:
        error = json.loads(data)["error"]
        return f"HTTP {status} {error.get('code')}: {error.get('message')}"[:300]
    except (ValueError, KeyError, TypeError):
        text = data[:2000].decode("utf-8", "replace")
        title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
        return f"HTTP {status}: {' '.join((title.group(1) if title else text).split())[:200]}"


class Clerk(threading.Thread):
    def __init__(self, index: int, base: tuple[str, int], credentials: Credentials, targets: Targets,
                 controller: Controller, think: float, mix: list[tuple[str, float]], seed: int,
                 timeout: float = 60.0) -> None:
        super().__init__(name=f"clerk-{index}", daemon=True)
        self.http = Http(base[0], base[1], timeout)
        self.credentials = credentials
        self.targets = targets
        self.controller = controller
        self.mean_think = think
        self.ops = [op for op, _ in mix]
        self.cumulative = []
        total = 0.0
        for _, weight in mix:
            total += weight
            self.cumulative.append(total)
        self.random = random.Random(seed)
        self.samples: list[Sample] = []
        self.crashed: BaseException | None = None

    # --- headers and requests ------------------------------------------------------------------------

    def _headers(self, approver: bool = False, json_body: bool = False) -> dict:
        c = self.credentials
        headers = {"Authorization": f"Bearer {c.approver_token if approver else c.token}",
                   "X-Jumin-Terminal": c.approver_terminal if approver else c.terminal,
                   "Accept": "application/json"}
        if json_body:
            headers["Content-Type"] = "application/json"
        return headers

    def _get(self, path: str) -> tuple[int, bytes, float]:
        return self.http.request("GET", path, self._headers())

    def _post(self, path: str, body: dict, approver: bool = False) -> tuple[int, bytes, float]:
        return self.http.request("POST", path, self._headers(approver, json_body=True),
                                 json.dumps(body, ensure_ascii=False).encode("utf-8"))

    # --- the operations of the counter mix -----------------------------------------------------------

    def choose(self) -> str:
        x = self.random.random() * self.cumulative[-1]
        for op, edge in zip(self.ops, self.cumulative):
            if x < edge:
                return op
        return self.ops[-1]

    def _simple(self, op: str, expected: int, call) -> list[Sample]:
        start = self.controller.now()
        try:
            status, data, seconds = call()
        except Exception as problem:  # noqa: BLE001 — a failed request is an error sample, never a crash
            return [Sample(start, self.controller.now() - start, op, ERROR, f"{type(problem).__name__}: {problem}"[:300])]
        return [Sample(start, seconds, op, *self._outcome(status, expected, data))]

    @staticmethod
    def _outcome(status: int, expected: int, data: bytes) -> tuple[str, str]:
        if status == expected:
            return OK, ""
        if status == 409:
            return CONFLICT, describe(status, data)
        return ERROR, describe(status, data)

    def search(self) -> list[Sample]:
        params = dict(self.random.choice(self.targets.searches), page_size=20)
        return self._simple(SEARCH, 200, lambda: self._get("/api/search?" + urlencode(params)))

    def record(self) -> list[Sample]:
        number = self.random.choice(self.targets.records)
        return self._simple(RECORD, 200, lambda: self._get(f"/api/residents/{number}"))

    def certificate_household(self) -> list[Sample]:
        body = self.random.choice(self.targets.households)
        return self._simple(CERT_HOUSEHOLD, 201, lambda: self._post("/api/certificates", body))

    def certificate_single(self) -> list[Sample]:
        body = self.random.choice(self.targets.singles)
        return self._simple(CERT_SINGLE, 201, lambda: self._post("/api/certificates", body))

    def change(self) -> list[Sample]:
        """転居 of a whole household entered by this clerk (仮登録), then 本登録 by an approver.
        The household is taken out of the pool while in flight, so no two clerks move the same one; it
        goes back only when the change went through (a refused one may have left a draft behind)."""
        household = self.targets.take_household()
        if household is None:
            return [Sample(self.controller.now(), 0.0, CHANGE, ERROR, "no household left for a 転居 (pool empty)")]
        address = self.targets.new_address(household, self.random)
        body = {"household_number": household, "effective_on": self.targets.today,
                "notified_on": self.targets.today, "address": address, "idempotency_key": uuid.uuid4().hex}
        start = self.controller.now()
        out: list[Sample] = []
        try:
            status, data, entry_seconds = self._post("/api/changes/relocation", body)
        except Exception as problem:  # noqa: BLE001
            detail = f"{type(problem).__name__}: {problem}"[:300]
            return [Sample(start, self.controller.now() - start, CHANGE_ENTRY, ERROR, detail),
                    Sample(start, self.controller.now() - start, CHANGE, ERROR, detail)]
        outcome, detail = self._outcome(status, 201, data)
        out.append(Sample(start, entry_seconds, CHANGE_ENTRY, outcome, detail))
        if outcome != OK:
            if outcome == CONFLICT:
                self.targets.give_back(household)
            return out + [Sample(start, entry_seconds, CHANGE, outcome, detail)]
        change = json.loads(data)
        total = entry_seconds
        if change.get("status") == "draft":
            approve_start = self.controller.now()
            try:
                status, data, approve_seconds = self._post(f"/api/changes/{change['id']}/approve", {}, approver=True)
            except Exception as problem:  # noqa: BLE001
                detail = f"{type(problem).__name__}: {problem}"[:300]
                return out + [Sample(approve_start, self.controller.now() - approve_start, CHANGE_APPROVE, ERROR, detail),
                              Sample(start, self.controller.now() - start, CHANGE, ERROR, detail)]
            outcome, detail = self._outcome(status, 200, data)
            out.append(Sample(approve_start, approve_seconds, CHANGE_APPROVE, outcome, detail))
            total += approve_seconds
        if outcome == OK:
            self.targets.moved(household, address)
        if outcome in (OK, CONFLICT):
            self.targets.give_back(household)
        return out + [Sample(start, total, CHANGE, outcome, detail)]

    def perform(self, op: str) -> list[Sample]:
        return getattr(self, op)()

    # --- the loop ----------------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            while not self.controller.stopped:
                mean = self.mean_think / self.controller.factor
                if not self.controller.think(self.random.expovariate(1.0 / mean) if mean > 0 else 0):
                    continue            # the rate changed (or the run ended): draw the think time again
                if self.controller.stopped:
                    break
                self.samples.extend(self.perform(self.choose()))
        except BaseException as problem:  # noqa: BLE001 — reported by run.py, never silent
            self.crashed = problem
        finally:
            self.http.close()
