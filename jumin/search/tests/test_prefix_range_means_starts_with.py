import sqlite3

from jumin.search.rules import fold_kana, prefix_range


def test_every_key_that_starts_with_the_prefix_is_inside_the_range_and_no_other():
    keys = ["タカ", "タカハシ", "タカハシタロオ", "タカ𠮷", "タキ", "タ", "タカ\uffff"]
    low, high = prefix_range("タカ")
    assert sorted(k for k in keys if low <= k < high) == sorted(k for k in keys if k.startswith("タカ"))


def test_a_prefix_search_is_an_index_range_scan_in_sqlite():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE k (key TEXT)")
    db.execute("CREATE INDEX k_key ON k (key)")
    db.executemany("INSERT INTO k VALUES (?)", [(fold_kana(n),) for n in ("タカハシ　タロウ", "タカギ", "タナカ")])
    low, high = prefix_range(fold_kana("ﾀｶﾊｼ"))
    query = "SELECT key FROM k WHERE key >= ? AND key < ?"
    assert db.execute(query, (low, high)).fetchall() == [("タカハシタロオ",)]
    plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + query, (low, high)))
    assert "USING COVERING INDEX k_key" in plan
