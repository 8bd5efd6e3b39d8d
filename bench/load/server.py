"""The server under test: `jumin serve` — the production set-up (gunicorn, gthread workers, WhiteNoise,
DEBUG off), the same command `make demo` and `make serve` run — on a free local port.

`jumin serve` replaces itself with gunicorn (os.execvp), so the process started here *is* gunicorn's
master: its pid is what the monitor samples (master + workers) and what SIGTERM stops.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, port: int, workers: int | None, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        jumin = Path(sys.executable).parent / "jumin"
        self.argv = [str(jumin), "serve", "--bind", f"127.0.0.1:{port}"]
        if workers:
            self.argv += ["--workers", str(workers)]
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "ab")
        # The environment is this process's (DATABASE_URL, JUMIN_* …); no DEBUG, exactly as production.
        env = dict(os.environ)
        env.pop("JUMIN_DEBUG", None)
        env.setdefault("JUMIN_DEMO", "true")   # a benchmark city, served with the demo's secret key unless one is set
        self.process = subprocess.Popen(self.argv, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env, start_new_session=True)
        self.pid = self.process.pid

    def wait_ready(self, token: str, timeout: float = 120.0) -> None:
        """Until GET /api/me answers 200 with a bench token (the app is loaded and the database reachable)."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                conn = HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/me", headers={"Authorization": f"Bearer {token}"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
            except OSError as problem:
                last = str(problem)
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"the server did not answer within {timeout:.0f} s ({last}); see {self.log_path}")

    def workers(self) -> list[int]:
        out = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.pid:
                    out.append(int(entry))
        return out

    def stop(self, timeout: float = 40.0) -> None:
        """SIGTERM: gunicorn's graceful stop (workers finish their request); SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(10)
        self._log.close()
