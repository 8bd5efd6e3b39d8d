"""`jumin fetch_axe` (make axe): the installed axe.min.js is the pinned, sha256-checked axe-core with its
MPL-2.0 licence beside it; a tarball whose sha256 differs (a changed or substituted package) is refused and
nothing is written. No network here: a stand-in `npm` on PATH packs a wrong tarball."""

import hashlib
import io
import json
import stat
import tarfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jumin.core.management.commands import fetch_axe


def test_the_installed_axe_core_is_the_pinned_package_with_its_licence():
    directory = fetch_axe.axe_dir()
    source = json.loads((directory / "SOURCE.json").read_text(encoding="utf-8"))
    assert (source["package"], source["version"], source["tarball_sha256"]) == \
        (fetch_axe.PACKAGE, fetch_axe.VERSION, fetch_axe.TARBALL_SHA256)
    script = (directory / "axe.min.js").read_bytes()
    assert hashlib.sha256(script).hexdigest() == source["axe_min_js_sha256"]
    assert script.startswith(f"/*! axe v{fetch_axe.VERSION}".encode())
    assert "Mozilla Public License" in (directory / "LICENSE").read_text(encoding="utf-8")


def test_a_tarball_with_another_sha256_is_refused_and_nothing_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv("JUMIN_REFERENCE_DIR", str(tmp_path / "reference"))
    fake = io.BytesIO()
    with tarfile.open(fileobj=fake, mode="w:gz") as tar:
        body = b"window.axe = {};"
        member = tarfile.TarInfo("package/axe.min.js")
        member.size = len(body)
        tar.addfile(member, io.BytesIO(body))
    (tmp_path / "fake.tgz").write_bytes(fake.getvalue())
    npm = tmp_path / "bin" / "npm"
    npm.parent.mkdir()
    npm.write_text(f"#!/bin/sh\ncp {tmp_path / 'fake.tgz'} ./axe-core-{fetch_axe.VERSION}.tgz\n")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{npm.parent}:/usr/bin:/bin")

    with pytest.raises(CommandError, match="sha256 が一致しません"):
        call_command("fetch_axe", stdout=StringIO())
    assert not (tmp_path / "reference" / "axe").exists()
