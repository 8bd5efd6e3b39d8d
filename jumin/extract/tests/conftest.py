"""Fixtures for extraction: the users who may and may not extract, a run through the real action, reading the
files back (pyarrow for Parquet, the standard csv module for CSV), and merging an incremental extraction onto a
full one by the entities' keys — the way a consumer of the files does."""

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import _user, actor
from jumin.accounts import rules as roles
from jumin.certificates.tests.conftest import config, mayor, yamada  # noqa: F401  (the 山田 family, a mayor)
from jumin.restrictions.tests.conftest import supervisor  # noqa: F401


@pytest.fixture
def analyst(db):
    return _user("analyst", roles.ANALYST, "統計 六郎")


def extract(user, out, **options):
    from jumin.extract.actions import do_extract_data

    return do_extract_data(out, actor=actor(user, "cli"), **options)


def manifest(out) -> dict:
    return json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))


def read_rows(out, entry) -> list[dict]:
    path = Path(out) / entry["file"]
    if entry["format"] == "parquet":
        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        names = {c["ja"]: c["name"] for c in entry["columns"]}
        return [dict(zip([names[h] for h in header], row)) for row in reader]


def tables(out) -> dict[str, dict]:
    """{entity: {key: row}} of a full extraction."""
    out_tables = {}
    for entry in manifest(out)["files"]:
        assert entry["kind"] == "rows", entry
        out_tables[entry["entity"]] = {_key(entry, row): row for row in read_rows(out, entry)}
    return out_tables


def merged(full_out, incremental_out) -> dict[str, dict]:
    """A full extraction with an incremental one applied: upserts replace by key, deleted keys go (when present),
    a file of all rows (an entity extracted whole) replaces the entity."""
    result = tables(full_out)
    for entry in manifest(incremental_out)["files"]:
        rows = read_rows(incremental_out, entry)
        if entry["kind"] == "rows":
            result[entry["entity"]] = {_key(entry, row): row for row in rows}
        elif entry["kind"] == "upserts":
            result[entry["entity"]].update({_key(entry, row): row for row in rows})
        else:
            for row in rows:          # a row made and removed between the two points was never in the base
                result[entry["entity"]].pop(_key(entry, row), None)
    return result


def _key(entry, row) -> tuple:
    return tuple(str(row[name]) for name in entry["key"])


def operation_log_state():
    from jumin.audit.models import OperationLog

    return list(OperationLog.objects.order_by("id").values_list("function", "outcome", "reason"))
