"""CSV extraction (issue #16 item 2): UTF-8 without a BOM (files for programs), CRLF, the dictionary's Japanese
names as the header row, written through core.csvfile; an IVS name (葛 + U+E0102, an MJ variant) is kept, to the
code point, in CSV and in Parquet."""

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import actor, family_params
from jumin.core import dictionary
from jumin.extract.tests.conftest import extract, manifest, read_rows

pytestmark = pytest.mark.django_db

KATSURAGI = "葛\U000E0102城 太郎"


@pytest.fixture
def ivs_family(single_step, clerk):
    from jumin.register.actions import do_move_in

    params = family_params()
    params["members"][0].update({"name": KATSURAGI, "domicile_head": KATSURAGI})
    return do_move_in(params, actor=actor(clerk)).result


def test_the_csv_header_is_the_japanese_names_and_an_ivs_name_survives(ivs_family, approver, tmp_path):
    extract(approver, tmp_path / "csv", fmt="csv")
    data = (tmp_path / "csv" / "residents.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    header = data.split(b"\r\n")[0].decode("utf-8").split(",")
    assert header == [i.ja for i in dictionary.allowed_items("residents", approver).items]
    assert "宛名番号" in header and "氏名" in header
    assert KATSURAGI.encode("utf-8") in data
    entry = next(f for f in manifest(tmp_path / "csv")["files"] if f["entity"] == "residents")
    names = {row["name"] for row in read_rows(tmp_path / "csv", entry)}
    assert KATSURAGI in names


def test_an_ivs_name_survives_parquet_in_pyarrow_and_duckdb(ivs_family, approver, tmp_path):
    extract(approver, tmp_path / "pq")
    path = tmp_path / "pq" / "residents.parquet"
    assert KATSURAGI in pq.read_table(path, columns=["name"]).column("name").to_pylist()
    found = duckdb.sql(f"SELECT name FROM '{path}' WHERE name LIKE '葛%'").fetchall()
    assert found == [(KATSURAGI,)] and len(found[0][0]) == 6      # 葛, U+E0102, 城, space, 太, 郎
