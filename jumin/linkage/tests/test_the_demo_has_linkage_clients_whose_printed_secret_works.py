"""The demo city has 連携先 (issue #18; the set-up contract: a new capability joins the demo): `jumin demo_setup`
registers a 個人住民税 client (REST and file) and a 国民健康保険 client, prints their secrets — made again on every
run, so the old one stops working — and the printed secret obtains a token that reads the feed."""

import base64
import io

from django.core.management import call_command
from django.test import Client

from jumin.linkage.models import LinkageClient


def _secrets(out: str) -> dict[str, str]:
    found = {}
    for line in out.splitlines():
        if "client_secret: " in line:
            found[line.split()[0]] = line.split("client_secret: ")[1].strip()
    return found


def _token(client_id, secret):
    auth = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return Client(HTTP_HOST="127.0.0.1:8000").post("/oauth/token", {"grant_type": "client_credentials"},
                                                   HTTP_AUTHORIZATION=auth)


def test_the_printed_secret_works_and_the_previous_one_not(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = io.StringIO()
    call_command("demo_setup", stdout=first)
    printed = _secrets(first.getvalue())
    assert set(printed) == {"010-01", "024-01"} and LinkageClient.objects.count() == 2
    assert (tmp_path / "var/linkage/010-01").is_dir()
    token = _token("010-01", printed["010-01"])
    assert token.status_code == 200
    feed = Client().get("/api/linkage/v1/changes", HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    assert feed.status_code == 200

    again = io.StringIO()
    call_command("demo_setup", stdout=again)
    assert LinkageClient.objects.count() == 2
    assert _token("010-01", printed["010-01"]).status_code == 401                  # the old secret is gone
    assert _token("010-01", _secrets(again.getvalue())["010-01"]).status_code == 200
    assert Client().get("/api/linkage/v1/changes",
                        HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}").status_code == 401
