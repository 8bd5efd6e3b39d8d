"""Issue #15 item 2: every request that carries or reveals a 個人番号 or a 住民票コード — the API search by number,
a record read with show_individual_number, the counter's number search (GET and POST) and 個人番号 reveal, the
changes that set either number, a certificate that prints both, refusals with a number in the query — is sent to
a real gunicorn started by `jumin serve` (its access log, error log, the application log and any stray output all
go to the two files read here), and no number, no password, appears in any of them.

The access log is checked to hold the requests (so the grep has something to miss), and the answers are checked
to carry the numbers (so the requests really were number-bearing)."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from conftest import family_params
from jumin.accounts.models import ApiToken
from jumin.certificates.models import CertificateConfig, Signatory
from jumin.certificates.seal import default_seal_svg
from jumin.core.check_digits import individual_number_check_digit, resident_code_check_digit
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
HEAD_NUMBER = family_params()["members"][0]["individual_number"]      # 123456789018
HEAD_CODE = family_params()["members"][0]["resident_code"]            # 12345678903
WIFE_NUMBER = "98765432101" + str(individual_number_check_digit("98765432101"))
WIFE_CODE = "2345678901" + str(resident_code_check_digit("2345678901"))


def grouped(number: str) -> list[str]:
    forms = [number]
    if len(number) == 12:
        forms += [f"{number[:4]} {number[4:8]} {number[8:]}", f"{number[:4]}-{number[4:8]}-{number[8:]}"]
    return forms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The test database, for the server process (committed rows: a transactional test)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + s["NAME"]
    user = s.get("USER") or "postgres"
    return f"postgres://{user}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


class Server:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.out_path, self.err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
        env = {k: v for k, v in os.environ.items() if k != "JUMIN_DEBUG"}
        env.update(DATABASE_URL=database_url(), JUMIN_DEMO="true", JUMIN_LOG_LEVEL="INFO", JUMIN_WORKERS="1")
        jumin = Path(sys.executable).parent / "jumin"
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.process = subprocess.Popen([str(jumin), "serve", "--bind", f"127.0.0.1:{self.port}"], stdout=out,
                                            stderr=err, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self.cookies: dict[str, str] = {}

    def wait_ready(self, timeout=180.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"jumin serve exited with {self.process.returncode}:\n{self.logs()}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"jumin serve did not answer within {timeout:.0f} s:\n{self.logs()}")

    def request(self, method, path, *, body=None, form=None, token=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if self.cookies and not token:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        data = None
        if body is not None:
            data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif form is not None:
            data, sent["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, content.decode("utf-8", "replace"), dict(response.getheaders())

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def logs(self) -> str:
        return self.out_path.read_text(errors="replace") + self.err_path.read_text(errors="replace")


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def certificates_ready(db):
    Signatory.objects.create(title="宮城県仙台市長", name="郡 和子", valid_from="2017-08-22",
                             seal_svg=default_seal_svg("仙台市長之印"))
    CertificateConfig.objects.create(place="本庁", verification_url="http://127.0.0.1:8000/certificates/verify/")


def test_no_number_and_no_password_reaches_the_access_error_or_application_log(server, family, clerk,
                                                                                  certificates_ready):
    head = Resident.objects.get(name="山田 太郎")
    wife = Resident.objects.get(name="山田 花子")
    _, token = ApiToken.issue(clerk, "log test")
    # The server hashes as production does (conftest's fast MD5 is this process's only).
    clerk.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    clerk.save(update_fields=["password"])
    server.wait_ready()
    answers = []

    def send(method, path, **kw):
        status, text, _ = server.request(method, path, **kw)
        answers.append((method, path, status, text))
        return status, text

    # The API.
    assert send("GET", f"/api/search?individual_number={HEAD_NUMBER}", token=token)[0] == 200
    assert send("GET", f"/api/search?resident_code={HEAD_CODE}", token=token)[0] == 200
    assert send("GET", f"/api/search?individual_number={HEAD_NUMBER[:4]}%20{HEAD_NUMBER[4:8]}%20{HEAD_NUMBER[8:]}",
                token=token)[0] in (200, 422)
    status, text = send("GET", f"/api/residents/{head.addressee_number}?show_individual_number=true"
                               f"&reason=%E6%9C%AC%E4%BA%BA%E8%AB%8B%E6%B1%82&individual_number={HEAD_NUMBER}",
                        token=token)
    assert status == 200 and HEAD_NUMBER in text
    change = {"addressee_number": wife.addressee_number, "action": "entry", "effective_on": "R6.6.10",
              "notified_on": "R6.6.10"}
    assert send("POST", "/api/changes/individual-number", token=token,
                body=change | {"individual_number": WIFE_NUMBER})[0] == 201
    assert send("POST", "/api/changes/resident-code", token=token, body=change | {"resident_code": WIFE_CODE})[0] == 201
    status, text = send("POST", "/api/certificates", token=token, body={
        "kind": "resident_copy", "layout": "individual", "subjects": [head.addressee_number],
        "requester": {"kind": "self", "name": "山田 太郎"}, "identity_check": "my_number_card",
        "purpose": "勤務先への提出", "options": {"individual_number": True, "resident_code": True}})
    assert status == 201, text
    send("GET", f"/api/no-such-thing?individual_number={HEAD_NUMBER}&resident_code={HEAD_CODE}", token=token)
    send("GET", f"/api/search?individual_number={HEAD_NUMBER}", token="jmn_not-a-token")

    # The screens, after a real login.
    status, _ = send("GET", "/login/")
    status, _ = send("POST", "/login/", form={"username": "clerk", "password": PASSWORD})
    assert status == 302 and "sessionid" in server.cookies
    send("GET", f"/counter/search/?individual_number={HEAD_NUMBER}&resident_code={HEAD_CODE}",
         headers={"Referer": f"http://127.0.0.1/counter/search/?individual_number={HEAD_NUMBER}"})
    send("GET", "/counter/search/")
    assert send("POST", "/counter/search/", form={"individual_number": HEAD_NUMBER})[0] in (200, 302, 303)
    assert send("POST", "/counter/search/", form={"resident_code": HEAD_CODE})[0] in (200, 302, 303)
    status, text = send("POST", f"/counter/residents/{head.addressee_number}/",
                        form={"show_individual_number": "1", "reason": "本人からの請求"})
    assert status == 200 and (HEAD_NUMBER in text or f"{HEAD_NUMBER[:4]} {HEAD_NUMBER[4:8]}" in text)

    server.stop()
    logs = server.logs()

    assert "/api/search" in logs and "/counter/search/" in logs and "/api/certificates" in logs   # the access log
    assert "Not Found" in logs   # the application log (django.request) is in these streams too
    for number in (HEAD_NUMBER, HEAD_CODE, WIFE_NUMBER, WIFE_CODE):
        for form in grouped(number):
            assert form not in logs, f"{form} in the server's logs:\n" + "\n".join(
                line for line in logs.splitlines() if form in line)
    assert PASSWORD not in logs
    assert "individual_number=" not in logs and "resident_code=" not in logs   # no query string at all
