"""`jumin datadict --format json|csv|md|xlsx [--output FILE] [--check]` (issue #16 item 1): every export holds the
dictionary's version and every item; CSV is the project's CSV (core/csvfile: UTF-8 with a BOM in a file), XLSX the
project's XLSX (core/xlsxfile); an unknown format and a stale file are refused."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jumin.core import dictionary as d

ITEMS = sum(len(e.items) for e in d.entities())


def test_json(tmp_path, capsys):
    call_command("datadict", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == d.version() and data == d.as_json()


def test_csv_file_with_a_bom(tmp_path):
    out = tmp_path / "dictionary.csv"
    call_command("datadict", "--format", "csv", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["辞書の版", "データ（実体）", "データ名", "項目（コード名）", "項目名"]
    assert len(rows) == ITEMS + 1 and {r[0] for r in rows[1:]} == {d.version()}
    since = next(r for r in rows if r[1] == "residents" and r[3] == "address_since")
    assert since[4:8] == ["住所を定めた年月日", "対応なし（jumin独自項目）", "date", ""]
    call_command("datadict", "--format", "csv", "--output", str(out), "--check")


def test_xlsx_has_the_version_and_every_item(tmp_path):
    import openpyxl

    out = tmp_path / "dictionary.xlsx"
    call_command("datadict", "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["概要", "項目"]
    about = list(book["概要"].iter_rows(values_only=True))
    assert about[1] == ("辞書の版", d.version())
    items = list(book["項目"].iter_rows(values_only=True))
    assert len(items) == ITEMS + 1 and items[1][0] == d.version()


def test_markdown_to_a_file_and_checked(tmp_path):
    out = tmp_path / "dictionary.md"
    call_command("datadict", "--format", "md", "--output", str(out))
    assert f"Version: `{d.version()}`" in out.read_text(encoding="utf-8")
    call_command("datadict", "--format", "md", "--output", str(out), "--check")
    out.write_text(out.read_text(encoding="utf-8").replace("| 200 |", "| 201 |", 1), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("datadict", "--format", "md", "--output", str(out), "--check")


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(CommandError, match="出力形式「yaml」には対応していません"):
        call_command("datadict", "--output", str(tmp_path / "d.yaml"))
    with pytest.raises(CommandError, match="--output"):
        call_command("datadict", "--format", "xlsx")
