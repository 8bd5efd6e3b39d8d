"""支援措置 persons are left out of every EUC output — list, total and count_by — for a role without VIEW_PROTECTED,
even when the query asks (include_protected), and for a role with the right unless it asks; decided by
jumin.restrictions.queries (the one enforcement module), in SQL (住民基本台帳事務処理要領 第5-10; issue #16 item 5)."""

import csv
import io

from conftest import actor
from jumin.euc import actions, queries
from jumin.euc.tests.conftest import AOBA_ELDERLY, PROTECTED

COUNT = {"dataset": "residents", "count_by": ["ward"], "as_of": "R8.4.1"}


def names(out):
    return [row[1] for row in out["rows"]]


def test_the_analyst_never_sees_her(city, analyst):
    for flag in (False, True):
        shown = queries.preview({**AOBA_ELDERLY, "include_protected": flag}, actor=actor(analyst))
        assert shown["total"] == 0 and PROTECTED not in names(shown)
        counted = queries.preview({**COUNT, "include_protected": flag}, actor=actor(analyst))
        assert dict((r[0], r[1]) for r in counted["rows"]) == {"青葉区": 3, "泉区": 2}
        run = actions.do_run_euc({**AOBA_ELDERLY, "items": ["name", "address"], "include_protected": flag}, "csv",
                                 actor=actor(analyst))
        text = open(run.file_path, encoding="utf-8-sig").read()
        assert PROTECTED not in text and "澪荘" not in text and not run.include_protected
        assert not run.subjects.filter(addressee_number=city["mio"].addressee_number).exists()


def test_a_supervisor_sees_her_only_when_asking(city, supervisor):
    assert queries.preview(AOBA_ELDERLY, actor=actor(supervisor))["total"] == 0
    asked = queries.preview({**AOBA_ELDERLY, "include_protected": True}, actor=actor(supervisor))
    assert names(asked) == [PROTECTED] and asked["total"] == 1
    counted = queries.preview({**COUNT, "include_protected": True}, actor=actor(supervisor))
    assert dict((r[0], r[1]) for r in counted["rows"]) == {"青葉区": 4, "泉区": 2}
    run = actions.do_run_euc({**AOBA_ELDERLY, "include_protected": True}, "csv", actor=actor(supervisor))
    rows = list(csv.reader(io.StringIO(open(run.file_path, encoding="utf-8-sig").read())))
    assert rows[1][1] == PROTECTED and run.include_protected
    assert run.subjects.filter(addressee_number=city["mio"].addressee_number).exists()


def test_the_changes_of_her_household_are_left_out_too(city, analyst, supervisor):
    query = {"dataset": "changes", "items": ["reason_code", "name"], "period": {"from": "2020-01-01", "to": "2030-12-31"}}
    seen = names(queries.preview(query, actor=actor(analyst)))
    assert PROTECTED not in seen and len(seen) == 5 and "山田 太郎" in seen
    assert PROTECTED in names(queries.preview({**query, "include_protected": True}, actor=actor(supervisor)))
