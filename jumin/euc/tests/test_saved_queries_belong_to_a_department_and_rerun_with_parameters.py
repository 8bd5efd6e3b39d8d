"""Saved queries per department (所属), re-run with parameters (issue #16 item 4): a value {"param": "基準日"} is
filled from the run's params; the same name replaces the query (version + 1); another department neither sees
nor deletes it; a query naming an item the saver may not use is refused and nothing saved."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as roles
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import NotFound, PermissionDenied
from jumin.euc import actions, queries
from jumin.euc import models as m
from jumin.euc.tests.conftest import euc_state

ELDERLY = {"dataset": "residents", "as_of": {"param": "基準日"}, "items": ["name", "age"],
           "where": {"all": [{"item": "age", "op": "gte", "value": {"param": "年齢"}}]},
           "params": {"基準日": "R8.4.1", "年齢": 65}}


def test_save_and_rerun_with_other_parameters(city, analyst, api_as):
    saved = api_as(analyst).post("/euc/queries", {"name": "高齢者一覧", "query": ELDERLY})
    assert saved.status_code == 201 and saved.json()["department"] == "政策企画課"
    again = actions.do_save_euc_query("高齢者一覧", {**ELDERLY, "items": ["name"]}, actor=actor(analyst))
    assert again.pk == saved.json()["id"] and again.version == 2 and m.SavedQuery.objects.count() == 1

    kept = queries.saved_query(again.pk, actor=actor(analyst))
    assert kept["params"] == {"基準日": "R8.4.1", "年齢": 65}
    rerun = {**kept["query"], "params": {"基準日": "R8.4.1", "年齢": 72}}
    run = actions.do_run_euc(rerun, "csv", actor=actor(analyst), saved_query_id=kept["id"])
    assert run.rows == 1 and run.saved_query_id == kept["id"]          # 佐藤 和子 (75)
    assert run.query["where"]["all"][0]["value"] == 72 and run.query["as_of"] == "2026-04-01"
    assert [q["name"] for q in queries.saved_queries(actor=actor(analyst))] == ["高齢者一覧"]


def test_another_department_does_not_see_it(city, analyst):
    saved = actions.do_save_euc_query("高齢者一覧", ELDERLY, actor=actor(analyst))
    other = _user("analyst2", roles.ANALYST, "統計 八郎")
    other.department = "保険年金課"
    other.save()
    assert queries.saved_queries(actor=actor(other)) == []
    before = euc_state()
    with pytest.raises(NotFound):
        queries.saved_query(saved.pk, actor=actor(other))
    with pytest.raises(NotFound):
        actions.do_delete_euc_query(saved.pk, actor=actor(other))
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.query.delete", outcome=REFUSED).exists()
    actions.do_delete_euc_query(saved.pk, actor=actor(analyst))
    assert not m.SavedQuery.objects.exists()


def test_a_query_with_a_forbidden_item_is_not_saved(city, analyst):
    before = euc_state()
    with pytest.raises(PermissionDenied):
        actions.do_save_euc_query("番号", {"dataset": "residents", "items": ["individual_number"],
                                         "include_individual_number": True}, actor=actor(analyst))
    with pytest.raises(Exception, match="パラメータ「基準日」の値が指定されていません"):
        actions.do_save_euc_query("既定値なし", {**ELDERLY, "params": {"年齢": 65}}, actor=actor(analyst))
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.query.save", outcome=REFUSED).count() == 2
