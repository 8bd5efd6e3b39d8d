"""Queries are parameterised range scans, so % _ ' ; are just characters (standard-spec §6.1, bad input)."""

import sqlite3

import pytest

from jumin.search.rules import fold_address, fold_name, prefix_range, search_text


@pytest.mark.parametrize("value", ["%", "_", "山%", "田_", "'; DROP TABLE search_key; --", "\\"])
def test_sql_metacharacters_pass_search_text_unchanged(value):
    assert search_text(value, field="name", label="氏名") == value


def test_sql_metacharacters_are_kept_in_name_and_address_keys():
    assert fold_name("'; DROP TABLE x; --") == "';DROPTABLEX;--"
    assert fold_address("100%_") == "100%_"


def test_a_percent_sign_matches_nothing_but_a_percent_sign_in_a_range_scan():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE k (key TEXT)")
    db.executemany("INSERT INTO k VALUES (?)", [("タカハシ",), ("%",), ("%ア",)])
    low, high = prefix_range("%")
    rows = db.execute("SELECT key FROM k WHERE key >= ? AND key < ? ORDER BY key", (low, high)).fetchall()
    assert rows == [("%",), ("%ア",)]
