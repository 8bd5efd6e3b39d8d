"""A disk that fills mid-extraction (issue #16 bad input): the extraction stops with a Japanese message, every
file it had started or finished is removed, no manifest is written, an earlier extraction in the folder (--force)
is left as it was, and the failure is in the operation log.

The disk is real: a tmpfs of 96 KB mounted for the test (the test runs as root in CI and here), too small for
the city's CSV files. Where mounting is not permitted the same failure is raised by the writer itself
(OSError ENOSPC after the first file), which is the second test's way in any case."""

import errno
import subprocess

import pytest
from django.core.management import call_command

from jumin.audit.models import OperationLog
from jumin.core.errors import RuleViolation
from jumin.extract import writers
from jumin.extract.tests.conftest import extract, manifest

pytestmark = pytest.mark.django_db(transaction=True)   # a real snapshot (parallel workers on PostgreSQL)


@pytest.fixture
def city(single_step, analyst, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("generate", residents=300, removed=60, seed=4, no_progress=True)


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A 96 KB filesystem (tmpfs); where mounting is refused, a writer that fails like one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)],
                             capture_output=True).returncode == 0
    if not mounted:
        fill_after_first_file(monkeypatch)
    yield disk
    if mounted:
        subprocess.run(["umount", str(disk)], check=True)


def fill_after_first_file(monkeypatch):
    written = []
    real = writers.CsvSink.write

    def write(self, batch):
        if written and written[0] != self.path:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(self.path)
        real(self, batch)

    monkeypatch.setattr(writers.CsvSink, "write", write)


def failed(user, out, **options):
    with pytest.raises(RuleViolation) as failure:
        extract(user, out, fmt="csv", **options)
    assert "空き容量が足りない" in failure.value.message and "manifest.json は作っていません" in failure.value.message
    row = OperationLog.objects.filter(function="extract.run").latest("id")
    assert row.outcome == "refused" and row.reason == failure.value.message
    return failure.value


def test_a_full_disk_leaves_no_file_and_no_manifest(city, analyst, small_disk):
    out = small_disk / "extract"
    failed(analyst, out)
    assert not out.exists()                      # the folder it created is gone too
    assert list(small_disk.iterdir()) == []


def test_an_earlier_extraction_stays_whole_when_the_next_one_fails(city, analyst, tmp_path, monkeypatch):
    out = tmp_path / "extract"
    extract(analyst, out, fmt="csv")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fill_after_first_file(monkeypatch)
    failed(analyst, out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert manifest(out)["mode"] == "full"
