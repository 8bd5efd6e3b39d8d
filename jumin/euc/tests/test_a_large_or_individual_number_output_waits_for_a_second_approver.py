"""Outputs over the municipality's row threshold, or containing 個人番号, need an approver's approval before
download (APPROVE_EXTRACT, and not the requester: four eyes); until then the download is refused in Japanese and
logged. The threshold is the municipality's (EucSettings), not code."""

import pytest

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.euc import actions, queries
from jumin.euc import models as m
from jumin.euc.tests.conftest import euc_state

NUMBERS = {"dataset": "residents", "items": ["name", "individual_number"], "include_individual_number": True}


def test_a_file_with_individual_numbers_waits_for_another_approver(city, approver, approver2, api_as):
    run = actions.do_run_euc(NUMBERS, "csv", actor=actor(approver))
    assert run.status == m.AWAITING_APPROVAL and "個人番号を含むため" in run.needs_approval_reason

    before = euc_state()
    response = api_as(approver).get(f"/euc/runs/{run.pk}/download")
    assert response.status_code == 403 and "承認されるまでダウンロードできません" in response.json()["error"]["message"]
    with pytest.raises(PermissionDenied, match="自分が抽出した出力は承認できません"):
        actions.do_approve_euc_run(run.pk, actor=actor(approver))
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.download", outcome=REFUSED).exists()
    assert OperationLog.objects.filter(function="euc.approve", outcome=REFUSED, username="approver").exists()

    approved = api_as(approver2).post(f"/euc/runs/{run.pk}/approve")
    assert approved.status_code == 200 and approved.json()["approver"] == "approver2"
    with pytest.raises(RuleViolation, match="承認待ちではありません"):
        actions.do_approve_euc_run(run.pk, actor=actor(approver2))
    # Only the requester takes the file.
    assert api_as(approver2).get(f"/euc/runs/{run.pk}/download").status_code == 403
    response = api_as(approver).get(f"/euc/runs/{run.pk}/download")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert "123456789018" in content.decode("utf-8-sig") and response["X-Jumin-Sha256"] == run.sha256
    run.refresh_from_db()
    assert run.status == m.DOWNLOADED and run.downloads == 1


def test_more_rows_than_the_threshold_wait_and_fewer_do_not(city, analyst, approver):
    config = m.current_settings()
    config.approval_rows = 4
    config.save()
    big = actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv", actor=actor(analyst))
    assert big.rows == 5 and big.status == m.AWAITING_APPROVAL and "5件" in big.needs_approval_reason
    small = actions.do_run_euc({"dataset": "residents", "items": ["name"], "where": {"all": [
        {"item": "sex", "op": "eq", "value": "男"}]}}, "csv", actor=actor(analyst))
    assert small.rows == 3 and small.status == m.READY
    with pytest.raises(PermissionDenied, match="EUC出力の承認"):
        actions.do_approve_euc_run(big.pk, actor=actor(analyst))
    actions.do_approve_euc_run(big.pk, actor=actor(approver))
    assert actions.do_download_euc_run(big.pk, actor=actor(analyst)).status_code == 200


def test_an_altered_file_is_not_handed_out(city, analyst):
    run = actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv", actor=actor(analyst))
    with open(run.file_path, "ab") as handle:
        handle.write(b"=HYPERLINK(\"http://evil\")\r\n")
    with pytest.raises(RuleViolation, match="記録と一致しません"):
        actions.do_download_euc_run(run.pk, actor=actor(analyst))
    assert OperationLog.objects.filter(function="euc.download", outcome=REFUSED).exists()
