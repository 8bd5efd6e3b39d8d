"""`jumin fetch_axe [--force]`: install axe-core for the browser tests' accessibility check.

Run at install time by `make test` (the `axe` target), like `build_reference_data`: `npm pack` the pinned
package (the only network access, and only here), check the tarball's sha256, and take `axe.min.js` and its
licence (MPL-2.0, used unmodified) out of it into var/reference/axe/. The screens never load it; only the
tests inject it into a page (conftest.py, `Screen.axe`). Nothing is fetched again when the same version is
installed, unless --force.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jumin.core.reference import npm_pack, reference_dir, sha256_of

PACKAGE = "axe-core"
VERSION = "4.14.1"
TARBALL_SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
MEMBERS = {"package/axe.min.js": "axe.min.js", "package/LICENSE": "LICENSE"}
LICENCE = ("axe-core © Deque Systems, Inc., Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/); "
           "axe.min.js is used unmodified and its source is https://github.com/dequelabs/axe-core")


def axe_dir() -> Path:
    return reference_dir() / "axe"


def _installed(directory: Path) -> dict:
    try:
        return json.loads((directory / "SOURCE.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class Command(BaseCommand):
    help = "画面のアクセシビリティ検査に使う axe-core を npm から取得する（インストール時に1回、テスト専用）"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="同じ版が取得済みでも取り直す")

    def handle(self, *args, force=False, **options):
        out_dir = axe_dir()
        installed = _installed(out_dir)
        if (not force and installed.get("tarball_sha256") == TARBALL_SHA256
                and (out_dir / "axe.min.js").is_file()):
            self.stdout.write(f"{out_dir} は取得済みです（{PACKAGE}@{VERSION}）。取り直すには --force。")
            return
        with tempfile.TemporaryDirectory(prefix="jumin-axe-") as tmp:
            tarball = npm_pack(PACKAGE, VERSION, TARBALL_SHA256, Path(tmp), stdout=self.stdout)
            out_dir.mkdir(parents=True, exist_ok=True)
            with tarfile.open(tarball, "r:gz") as tar:
                for member, name in MEMBERS.items():
                    partial = out_dir / f"{name}.tmp"
                    with tar.extractfile(tar.getmember(member)) as src, partial.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                    os.replace(partial, out_dir / name)
        source = {"package": PACKAGE, "version": VERSION, "tarball_sha256": TARBALL_SHA256,
                  "axe_min_js_sha256": sha256_of(out_dir / "axe.min.js"), "licence": LICENCE}
        (out_dir / "SOURCE.json").write_text(json.dumps(source, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
        self.stdout.write(f"{out_dir / 'axe.min.js'} に {PACKAGE}@{VERSION} を置きました（MPL-2.0）。")
