"""Every run — a preview too, as a lighter row — is in the EUC log and the operation log: who, when, the terminal,
the query as understood, the rows, the file's SHA-256, and which 宛名番号 were in it (EucRunSubject); the log is
searchable per person by approvers and auditors (住民記録 §10.2), not by the analyst."""

import hashlib

import pytest

from conftest import actor
from jumin.audit.models import OK, REFUSED, OperationLog
from jumin.core.errors import PermissionDenied
from jumin.euc import actions, queries
from jumin.euc import models as m


def test_a_run_and_a_preview_are_logged_with_their_persons(city, analyst, approver, auditor):
    yamada, kazuo = city["yamada"].addressee_number, city["kazuo"].addressee_number
    shown = queries.preview({"dataset": "residents", "items": ["name"], "where": {"all": [
        {"item": "ward", "op": "eq", "value": "青葉区"}]}}, actor=actor(analyst, "企画1"))
    run = actions.do_run_euc({"dataset": "residents", "items": ["name", "town"]}, "csv", actor=actor(analyst, "企画1"))

    preview_row = m.EucRun.objects.get(pk=shown["run_id"])
    assert preview_row.kind == m.PREVIEW and preview_row.rows == 3 and preview_row.terminal == "企画1"
    assert set(preview_row.subjects.values_list("addressee_number", flat=True)) >= {yamada}
    assert run.username == "analyst" and run.terminal == "企画1" and run.rows == 5
    assert run.query["items"] == ["name", "town"]
    assert run.sha256 == hashlib.sha256(open(run.file_path, "rb").read()).hexdigest()
    assert set(run.subjects.values_list("addressee_number", flat=True)) >= {yamada, kazuo}
    assert OperationLog.objects.filter(function="euc.run", outcome=OK, detail__run=run.pk).exists()
    assert OperationLog.objects.filter(function="euc.preview", addressee_number=yamada).exists()

    for reader in (approver, auditor):
        found = queries.list_runs(actor=actor(reader), addressee_number=kazuo)
        assert [r["id"] for r in found] == [run.pk]
        assert {r["id"] for r in queries.list_runs(actor=actor(reader), addressee_number=yamada)} == \
            {run.pk, preview_row.pk}
    assert OperationLog.objects.filter(function="euc.run.list", addressee_number=kazuo, username="auditor").exists()


def test_the_analyst_sees_only_their_own_runs_and_may_not_search_by_person(city, analyst, approver):
    mine = actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv", actor=actor(analyst))
    actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv", actor=actor(approver))
    assert [r["id"] for r in queries.list_runs(actor=actor(analyst))] == [mine.pk]
    with pytest.raises(PermissionDenied, match="承認者・監査担当だけ"):
        queries.list_runs(actor=actor(analyst), addressee_number=city["kazuo"].addressee_number)
    other = m.EucRun.objects.exclude(pk=mine.pk).get(kind=m.RUN)
    with pytest.raises(PermissionDenied):
        queries.get_run(other.pk, actor=actor(analyst))
    assert OperationLog.objects.filter(function="euc.run.view", outcome=REFUSED).exists()
    assert queries.get_run(mine.pk, actor=actor(analyst))["subjects"] == 5
