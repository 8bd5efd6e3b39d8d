"""`jumin build_reference_data --moji-db PATH` writes the map and its attribution, and skips a second run."""

import json
from io import StringIO

from django.core.management import call_command

from jumin.search.tests.moji_db import make_moji_db

CHARACTERS = [("MJ028902", "髙", "髙", None, None), ("MJ028901", "高", "高", None, None)]
MAPS = {"戸籍統一文字情報_親字正字": [("MJ028902", "高", 1)], "JIS包摂規準UCS統合規則": [("MJ028901", "高", None)]}


def run(*args):
    out = StringIO()
    call_command("build_reference_data", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_map_with_its_source_and_the_attribution(monkeypatch, tmp_path):
    monkeypatch.setenv("JUMIN_REFERENCE_DIR", str(tmp_path / "reference"))
    db = make_moji_db(tmp_path / "moji.db", CHARACTERS, MAPS)
    assert "1 件" in run("--moji-db", str(db))
    written = json.loads((tmp_path / "reference" / "mj-variants.json").read_text(encoding="utf-8"))
    assert written["variants"] == {"髙": "高"}
    assert written["source"]["count"] == 1
    assert "CC BY-SA 2.1 JP" in (tmp_path / "reference" / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_a_second_run_with_the_same_data_does_nothing_unless_forced(monkeypatch, tmp_path):
    monkeypatch.setenv("JUMIN_REFERENCE_DIR", str(tmp_path / "reference"))
    db = make_moji_db(tmp_path / "moji.db", CHARACTERS, MAPS)
    run("--moji-db", str(db))
    assert "作成済み" in run("--moji-db", str(db))
    assert "1 件" in run("--moji-db", str(db), "--force")
