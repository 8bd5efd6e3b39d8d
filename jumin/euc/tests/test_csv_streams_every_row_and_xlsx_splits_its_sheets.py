"""No row cap and no silent truncation (issue #16 item 5; the peers' 1,000 / 2,000 / 1,048,575-row caps,
common-functions.md §4.3): the CSV holds every row — more than the preview's largest page and the database
cursor's chunk — and the XLSX goes on to a further sheet with the same header when a sheet is full."""

import csv
import io

import openpyxl
import pytest

from conftest import actor
from jumin.euc import actions, queries
from jumin.euc.compiler import Compiled
from jumin.register.models import Household, Resident

MANY = 2_500


@pytest.fixture
def crowd(city):
    """2,500 more residents of 泉区 (written directly: the engine reads rows, it does not care how they came)."""
    house = Household.objects.create(household_number="9000000001")
    Resident.objects.bulk_create([
        Resident(addressee_number=f"8{i:09d}", household_number=house.household_number, household=house,
                 resident_type="japanese", status="resident", name=f"多田 {i:04d}", sex="1" if i % 2 else "2",
                 relationship="世帯主" if i == 0 else "同居人", address_code="04105012003",
                 address="宮城県仙台市泉区寺岡三丁目5番1号") for i in range(MANY)], batch_size=500)
    return MANY + 5


def test_the_csv_has_every_row(crowd, analyst):
    assert MANY > queries.PREVIEW_MAX_ROWS
    assert MANY > Compiled.rows.__defaults__[0]      # more rows than one fetch from the database
    run = actions.do_run_euc({"dataset": "residents", "items": ["addressee_number", "name"]}, "csv",
                             actor=actor(analyst))
    records = list(csv.reader(io.StringIO(open(run.file_path, encoding="utf-8-sig", newline="").read())))
    assert run.rows == crowd and len(records) == crowd + 1
    assert records[0] == ["宛名番号", "氏名"]
    assert len({r[0] for r in records[1:]}) == crowd
    assert run.subjects.count() == crowd


def test_the_xlsx_goes_on_to_another_sheet(crowd, analyst, monkeypatch):
    import jumin.core.xlsxfile

    monkeypatch.setattr(jumin.core.xlsxfile, "SHEET_ROWS", 1_000)
    run = actions.do_run_euc({"dataset": "residents", "items": ["name", "sex"]}, "xlsx", actor=actor(analyst))
    book = openpyxl.load_workbook(run.file_path, read_only=True)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    assert list(sheets) == ["住民（現在）", "住民（現在） (2)", "住民（現在） (3)"]
    assert all(rows[0] == ("氏名", "性別") for rows in sheets.values())
    assert sum(len(rows) - 1 for rows in sheets.values()) == crowd == run.rows
    assert run.sheets == {name: len(rows) - 1 for name, rows in sheets.items()}
