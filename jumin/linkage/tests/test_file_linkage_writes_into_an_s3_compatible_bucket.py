"""File linkage into an S3-compatible bucket (issue #18 item 4): a 連携先 whose place is `s3://bucket/prefix` gets its
full and differential files as whole objects with a manifest.csv beside them (file, rows, SHA-256) — tested against
a real S3 server over HTTP (s3rver, installed by `make s3rver`) with boto3; an unreachable endpoint records a failed
run and advances nothing, and once it is back the next run carries every event since; a malformed bucket name is
refused at registration and nothing is registered."""

import csv
import hashlib
import io
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import CommandError

from conftest import actor
from jumin.linkage.actions import do_export_files
from jumin.linkage.models import LinkageClient, LinkageRun
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import MOVE, _register
from jumin.register.actions import do_relocate
from jumin.register.models import Resident

S3RVER = Path(__file__).resolve().parents[3] / "tools" / "s3rver" / "node_modules" / ".bin" / "s3rver"
BUCKET = "jumin-linkage"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(tmp_path, settings, monkeypatch):
    """A real S3-compatible server on a free port with one bucket; boto3 pointed at it."""
    assert S3RVER.exists(), "s3rver is not installed: run `make s3rver` (make test does)"
    port = _port()
    data = tmp_path / "s3"
    data.mkdir()
    process = subprocess.Popen([str(S3RVER), "-d", str(data), "-p", str(port), "--configure-bucket", BUCKET, "--silent"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    settings.JUMIN_S3_ENDPOINT_URL = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "S3RVER")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "S3RVER")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    import boto3

    client = boto3.client("s3", endpoint_url=settings.JUMIN_S3_ENDPOINT_URL)
    yield client, port, (process, data)
    process.kill()
    process.wait()
    shutil.rmtree(data, ignore_errors=True)


def _object(client, key) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def _rows(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_full_and_differential_files_land_whole_in_the_bucket(family, clerk, admin, s3):
    client, _, _ = s3
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name,address", "--methods", "file",
                             "--directory", f"s3://{BUCKET}/tax")
    full = do_export_files(client_id, actor=actor(admin), full=True)
    data = _object(client, f"tax/{full.file_name}")
    assert hashlib.sha256(data).hexdigest() == full.sha256 and len(_rows(data)) == 1 + 3
    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, **MOVE}, actor=actor(clerk))
    run = do_export_files(client_id, actor=actor(admin))
    moved = _rows(_object(client, f"tax/{run.file_name}"))
    assert [row[0] for row in moved[1:]] == ["4", "5", "6"]                       # every event since the full
    manifest = _rows(_object(client, "tax/manifest.csv"))
    assert manifest[0] == ["ファイル", "行数", "SHA-256"]
    assert [(r[0], r[2]) for r in manifest[1:]] == [(full.file_name, full.sha256), (run.file_name, run.sha256)]


def test_an_unreachable_bucket_advances_nothing_and_the_next_run_carries_it_all(family, clerk, admin, s3, settings):
    client, port, (process, data) = s3
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name", "--methods", "file",
                             "--directory", f"s3://{BUCKET}/tax")
    process.kill()
    process.wait()
    failed = do_export_files(client_id, actor=actor(admin))
    assert not failed.ok and "s3://" in failed.message and not failed.file_name
    assert LinkageClient.objects.get(client_id=client_id).delivered_seq == 0
    restarted = subprocess.Popen([str(S3RVER), "-d", str(data), "-p", str(port), "--configure-bucket", BUCKET,
                                  "--silent"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        run = do_export_files(client_id, actor=actor(admin))
        assert run.ok and (run.from_seq, run.to_seq, run.rows) == (0, 3, 3)
        assert LinkageRun.objects.filter(ok=False).count() == 1
    finally:
        restarted.kill()
        restarted.wait()


def test_a_malformed_bucket_name_is_refused(municipality, admin):
    with pytest.raises(CommandError, match="バケット名"):
        _register("--business", "010", "--name", "個人住民税", "--items", "name", "--methods", "file",
                  "--directory", "s3://Bad_Bucket/tax")
    assert not LinkageClient.objects.exists()
