"""Issue #16 Done-when: `jumin extract` of a generated city loads into DuckDB with `SELECT count(*)` equal to the
API's count (the EUC preview's total of residents, 除票 included), and every file the manifest lists is there with
the rows and the sha256 it says, readable by pyarrow."""

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from jumin.audit.models import OperationLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(single_step, analyst, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("generate", residents=80, removed=20, seed=3, no_progress=True)


def test_the_extracted_residents_load_into_duckdb_with_the_count_the_api_gives(city, analyst, api_as, tmp_path):
    out = tmp_path / "extract"
    call_command("extract", out=str(out), user="analyst")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    total = api_as(analyst).post("/euc/preview", {"query": {"dataset": "residents", "include_removed": True,
                                                            "items": ["addressee_number"]}, "rows": 1}).json()["total"]
    counted = duckdb.sql(f"SELECT count(*) FROM '{out / 'residents.parquet'}'").fetchall()[0][0]
    assert counted == total == 100
    for entry in manifest["files"]:
        path = Path(out) / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert pq.read_metadata(path).num_rows == entry["rows"]
        assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == entry["rows"]
    assert sorted(p.name for p in out.iterdir()) == sorted([f["file"] for f in manifest["files"]] + ["manifest.json"])
    assert manifest["mode"] == "full" and manifest["user"] == "analyst" and manifest["dictionary_version"]
    run = OperationLog.objects.get(function="extract.run")
    assert run.outcome == "ok" and run.username == "analyst" and run.detail["rows"]["residents"] == 100


def test_the_parquet_columns_carry_the_dictionarys_names_and_types(city, analyst, tmp_path):
    from jumin.core import dictionary

    call_command("extract", out=str(tmp_path / "x"), user="analyst", entities="residents")
    schema = pq.read_schema(tmp_path / "x" / "residents.parquet")
    allowed = dictionary.allowed_items("residents", analyst)
    assert schema.names == [i.name for i in allowed.items]
    assert "individual_number" not in schema.names                    # 個人番号: no right, no flag
    birth = schema.field("birth_date")
    assert str(birth.type) == "date32[day]" and birth.metadata[b"ja"].decode() == "生年月日"
    assert schema.metadata[b"jumin.dictionary"].decode() == dictionary.version()
    rows = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'x' / 'residents.parquet'}' WHERE status = 'resident'")
    assert rows.fetchall() == [(80,)]
