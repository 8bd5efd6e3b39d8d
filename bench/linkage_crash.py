"""Kill -9 the server and the notice worker three times while changes are made and consumed (issue #18 figures).

    .venv/bin/python bench/linkage_crash.py [--database-url postgres://postgres@127.0.0.1:5432/jumin_crash] \
        [--changes 300] [--kills 3]

Builds a throwaway city (its database name must contain "crash"; 3,000 residents), starts the server exactly as
`jumin serve` does and the change-notice publisher (`jumin linkage notify`, NATS JetStream at 127.0.0.1:4222, a
stream of its own), then at once:
  - a clerk's script enters `--changes` 転居 over HTTP (single-step), each with its idempotency key, retrying the
    same key after any connection error or 5xx until the server answers;
  - a tax system (a 連携先 with a client-credentials token) pulls the feed after its last number, re-obtaining its
    token and retrying after any error;
and `--kills` times — spread over the run by how many changes have gone through — SIGKILLs the server's process
group and the publisher, restarting both a second later.
At the end: every change applied exactly once (one approved change per idempotency key); the outbox gap-free;
the feed consumer and the NATS stream each hold every event number once after deduplication (how many came twice
is counted); the day's reconciliation (GET /api/linkage/v1/reconciliation) equals the consumer's own count and
checksum. Prints the table, writes it into docs/performance.md, exits 1 if anything was lost or doubled.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def build_city(url: str) -> None:
    name, server = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0]
    if "crash" not in name:
        raise SystemExit(f"--database-url must name a throwaway database (its name containing crash), not {name}")
    subprocess.run(["psql", "-q", "-d", f"{server}/postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                    "-c", f"CREATE DATABASE {name}"], check=True)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([str(BIN / "jumin"), "migrate", "--noinput", "-v", "0"], check=True, env=env)
    subprocess.run([str(BIN / "jumin"), "generate", "--residents", "3000", "--removed", "300", "--seed", "1",
                    "--no-progress"], check=True, env=env, stdout=subprocess.DEVNULL)


def request(port: int, method: str, path: str, *, body=None, headers=None, form=None, timeout=10):
    """(status, parsed JSON or None); raises OSError when the server is not there."""
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        head = dict(headers or {})
        data = None
        if body is not None:
            data, head["Content-Type"] = json.dumps(body, ensure_ascii=False).encode(), "application/json"
        if form is not None:
            data, head["Content-Type"] = urlencode(form).encode(), "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=head)
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None
    finally:
        conn.close()


class Processes:
    """The server (bench/load/server.py, as `jumin serve`) and the notice publisher, killed and restarted."""

    def __init__(self, port: int, logs: Path, env: dict) -> None:
        from load.server import Server

        self.port, self.logs, self.env, self.server_class = port, logs, env, Server
        self.server = self.worker = None

    def start(self, token: str) -> None:
        self.server = self.server_class(self.port, 2, self.logs / "server.log")
        self.worker = subprocess.Popen([str(BIN / "jumin"), "linkage", "notify", "--interval", "0.2"],
                                       stdout=open(self.logs / "notify.log", "ab"), stderr=subprocess.STDOUT,
                                       env=self.env, start_new_session=True)
        self.server.wait_ready(token)

    def kill(self) -> None:
        for process in (self.server.process, self.worker):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def stop(self) -> None:
        self.server.stop()
        self.worker.terminate()
        self.worker.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/jumin_crash")
    parser.add_argument("--changes", type=int, default=300)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()

    print(f"building the city in {args.database_url} …", flush=True)
    build_city(args.database_url)
    prefix = f"crash{uuid.uuid4().hex[:8]}"
    os.environ.update(DATABASE_URL=args.database_url, JUMIN_NATS_PREFIX=prefix, JUMIN_DEMO="true",
                      DJANGO_SETTINGS_MODULE="jumin.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()
    import numpy as np
    from django.utils import timezone

    from jumin.accounts import rules as roles
    from jumin.accounts.models import ApiToken, User
    from jumin.audit.actions import Actor
    from jumin.core.models import current_municipality
    from jumin.linkage import notify, rules
    from jumin.linkage.actions import do_add_linkage_client
    from jumin.linkage.models import LinkageEvent
    from jumin.register import synthetic
    from jumin.register.models import Change
    from load.server import free_port
    from register import four_person_households, machine, write_doc

    municipality = current_municipality()
    municipality.draft_required = False
    municipality.save()
    clerk = User.objects.create_user(username="crash-clerk", password=None, role=roles.CLERK, display_name="障害 試験")
    admin = User.objects.create_user(username="crash-admin", password=None, role=roles.ADMIN, display_name="障害 管理")
    _, token = ApiToken.issue(clerk, "crash")
    client, secret = do_add_linkage_client({"business": "010", "name": "障害試験", "items": ["name", "address"],
                                            "methods": ["pull"]}, actor=Actor(user=admin, terminal="BENCH"))
    rng = np.random.default_rng(1)
    households = four_person_households(rng, 60)
    builder = synthetic.HouseholdBuilder(synthetic.FastRandom("crash"), synthetic.AS_OF_DEFAULT)
    today = timezone.localdate().isoformat()
    plan = []
    for i in range(args.changes):
        postcode, code, address, supplement = builder.address()[:4]
        plan.append({"household_number": households[i % len(households)], "effective_on": today, "notified_on": today,
                     "address": {"postcode": postcode, "address_code": code, "address": address,
                                 "address_supplement": supplement}, "idempotency_key": uuid.uuid4().hex})

    port = free_port()
    logs = ROOT / "var" / "bench-crash"
    logs.mkdir(parents=True, exist_ok=True)
    processes = Processes(port, logs, dict(os.environ))
    processes.start(token)
    staff = {"Authorization": f"Bearer {token}", "X-Jumin-Terminal": "CRASH"}
    done = threading.Event()
    outcome = {"applied": {}, "refused": 0, "retries": 0}
    feed = {"seqs": [], "entries": {}, "errors": 0}

    def drive() -> None:
        for body in plan:
            while True:
                try:
                    status, data = request(port, "POST", "/api/changes/relocation", body=body, headers=staff)
                except OSError:
                    status, data = None, None
                if status in (200, 201):
                    outcome["applied"][body["idempotency_key"]] = data["id"]
                    break
                if status is not None and 400 <= status < 500 and status != 429:
                    outcome["refused"] += 1            # e.g. the same address twice: refused, nothing written
                    break
                outcome["retries"] += 1
                time.sleep(0.3)
        done.set()

    def consume() -> None:
        basic = "Basic " + base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
        bearer, after = None, 0
        while not (done.is_set() and feed.get("caught_up")):
            try:
                if bearer is None:
                    status, data = request(port, "POST", "/oauth/token", form={"grant_type": "client_credentials"},
                                           headers={"Authorization": basic})
                    bearer = data["access_token"] if status == 200 else None
                    continue
                finished = done.is_set()     # every change committed before this request: it may be the last one
                status, data = request(port, "GET", f"/api/linkage/v1/changes?after={after}&limit=500",
                                       headers={"Authorization": f"Bearer {bearer}"})
                if status == 401:
                    bearer = None
                    continue
                if status != 200:
                    feed["errors"] += 1
                    time.sleep(0.2)
                    continue
                for entry in data["events"]:
                    feed["seqs"].append(entry["seq"])
                    feed["entries"].setdefault(entry["seq"], entry)
                after = data["next"]
                feed["last_seen"] = data["last"]
                if finished and not data["more"] and after >= data["last"]:
                    feed["caught_up"] = True
                time.sleep(0.05)
            except (OSError, KeyError, TypeError):
                feed["errors"] += 1
                bearer = None if feed["errors"] % 5 == 0 else bearer
                time.sleep(0.2)

    started = time.perf_counter()
    threads = [threading.Thread(target=drive), threading.Thread(target=consume)]
    for t in threads:
        t.start()
    kills = 0
    # Each kill when a share of the changes has gone through (1/(k+1), 2/(k+1) …), so every kill falls inside the run
    # however fast the machine is.
    marks = [args.changes * (i + 1) // (args.kills + 1) for i in range(args.kills)]
    for mark in marks:
        while len(outcome["applied"]) < mark and not done.is_set():
            time.sleep(0.02)
        if done.is_set():
            break
        processes.kill()
        kills += 1
        print(f"  kill -9 #{kills}: server and publisher (applied so far: {len(outcome['applied'])})", flush=True)
        time.sleep(1)
        processes.start(token)
    threads[0].join()
    threads[1].join(timeout=180)
    deadline = time.monotonic() + 60
    municipality_code = current_municipality().code
    last = LinkageEvent.objects.filter(municipality=municipality_code).order_by("-seq").values_list("seq", flat=True)
    last = last.first() or 0
    while notify.published(municipality_code) < last and time.monotonic() < deadline:
        time.sleep(0.5)
    status, recon = request(port, "GET", f"/api/linkage/v1/reconciliation?date={today}", headers={
        "Authorization": "Bearer " + request(port, "POST", "/oauth/token", form={"grant_type": "client_credentials"},
                                             headers={"Authorization": "Basic " + base64.b64encode(
                                                 f"{client.client_id}:{secret}".encode()).decode()})[1]["access_token"]})
    processes.stop()
    elapsed = time.perf_counter() - started

    import asyncio

    import nats

    async def read_stream() -> list[int]:
        connection = await nats.connect(notify.DEFAULT_URL, allow_reconnect=False)
        got = []
        try:
            js = connection.jetstream()
            sub = await js.pull_subscribe(notify.subject(municipality_code), durable="crash-check",
                                          stream=notify.stream_name())
            while True:
                try:
                    batch = await sub.fetch(500, timeout=2)
                except nats.errors.TimeoutError:
                    break
                for msg in batch:
                    got.append(json.loads(msg.data)["seq"])
                    await msg.ack()
            await js.delete_stream(notify.stream_name())
        finally:
            await connection.close()
        return got

    published = asyncio.run(read_stream())
    everything = set(range(1, last + 1))
    stored = set(LinkageEvent.objects.filter(municipality=municipality_code).values_list("seq", flat=True))
    keys = [b["idempotency_key"] for b in plan]
    approved = Change.objects.filter(idempotency_key__in=keys, status="approved").count()
    entries_today = [feed["entries"][s] for s in sorted(feed["entries"])]   # a new city: every event is today's
    checks = {
        "every change applied once (one approved change per key)": approved == len(outcome["applied"]) and
        len(set(outcome["applied"].values())) == len(outcome["applied"]),
        "the outbox is gap-free": stored == everything,
        "the feed consumer has every event (after deduplication)": set(feed["seqs"]) == everything,
        "the NATS stream has every event (after deduplication)": set(published) == everything,
        "reconciliation: events equal": status == 200 and recon["events"] == len(entries_today),
        "reconciliation: checksum equal": status == 200 and recon["checksum"] == rules.entry_digest(entries_today),
    }
    info = machine()
    rows = [f"| {name} | {'yes' if ok else '**NO**'} |" for name, ok in checks.items()]
    body = f"""
- date: {timezone.localtime().strftime('%Y-%m-%d %H:%M JST')} · machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM · {info['db']}
- command: `.venv/bin/python bench/linkage_crash.py --changes {args.changes} --kills {args.kills}` ({elapsed:.0f} s)
- {args.changes} 転居 entered over HTTP ({len(outcome['applied'])} applied, {outcome['refused']} refused by the register,
  {outcome['retries']} retries after the server was killed); {kills} × kill -9 of the server and the publisher;
  {last:,} events; the feed consumer got {len(feed['seqs']):,} entries ({len(feed['seqs']) - len(set(feed['seqs']))} twice,
  {feed['errors']} failed requests retried); NATS held {len(published):,} notices ({len(published) - len(set(published))} twice)

| check | result |
| --- | --- |
{chr(10).join(rows)}
"""
    print(body)
    if not args.no_doc:
        write_doc("Linkage: kill -9 of the server and the publisher during a run", body)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
