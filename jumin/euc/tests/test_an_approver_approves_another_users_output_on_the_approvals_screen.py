"""An output over the municipality's size waits for a second person (issue #16 item 5): the analyst's run says
「承認待ち」, why, and who may approve, and its file cannot be downloaded; the approver finds it from the home
screen in 「承認待ちの EUC 出力」 and approves it with one button; the analyst then downloads it. The approver's
own waiting output has no 承認 button (and the engine would refuse it). Debian chromium."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.audit.models import REFUSED, OperationLog
from jumin.euc import actions
from jumin.euc.models import EucRun, EucSettings
from jumin.euc.tests.wizard_helpers import small_city

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])

LIST = {"dataset": "residents", "items": ["addressee_number", "name", "town"]}


@pytest.fixture
def waiting(single_step, approver, tmp_path):
    small_city(tmp_path, residents=60, removed=5)
    EucSettings.objects.create(approval_rows=10)
    analyst = _user("analyst", perms.ANALYST, "統計 六郎")
    theirs = actions.do_run_euc(LIST, "csv", actor=actor(analyst))
    own = actions.do_run_euc(LIST, "xlsx", actor=actor(approver))
    assert theirs.status == own.status == "awaiting_approval"
    return theirs, own


def test_the_approver_approves_the_analysts_output_and_the_analyst_downloads_it(waiting, screens, tmp_path):
    theirs, own = waiting
    desk = screens("euc-requester")
    page = desk.login("analyst")
    desk.go(f"/euc/runs/{theirs.id}/")
    status = page.inner_text("#run-status")
    assert "承認待ち" in status and "承認の基準（10件）を超える" in status and "「審査・決裁」の役割の職員" in status
    assert page.get_by_role("link", name="ダウンロード").count() == 0
    refused = desk.go(f"/euc/runs/{theirs.id}/download")
    assert "承認されるまでダウンロードできません" in refused.inner_text("main")
    assert OperationLog.objects.filter(username="analyst", function="euc.download", outcome=REFUSED).count() == 1

    boss = screens("euc-approver")
    page = boss.login("approver")
    page.get_by_role("link", name="承認待ちの EUC 出力").click()
    page.wait_for_selector("#approvals")
    rows = page.locator("#approvals tbody tr")
    assert rows.count() == 2
    mine = rows.filter(has_text="approver")
    assert "ご自身の出力です（承認できません）" in mine.inner_text()
    assert mine.get_by_role("button", name="承認").count() == 0
    boss.shot("approvals")
    page.get_by_role("button", name=f"出力 {theirs.id}（analyst").click()
    page.wait_for_selector(f"text=出力 {theirs.id} を承認しました")
    assert page.locator("#approvals tbody tr").count() == 1            # only its own is left
    theirs.refresh_from_db()
    assert theirs.status == "approved" and theirs.approver.username == "approver"
    assert EucRun.objects.get(pk=own.pk).status == "awaiting_approval"

    page = desk.page
    desk.go(f"/euc/runs/{theirs.id}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="ダウンロード").click()
    saved = tmp_path / "list.csv"
    download.value.save_as(saved)
    text = saved.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("宛名番号") and len(text.splitlines()) == theirs.rows + 1
