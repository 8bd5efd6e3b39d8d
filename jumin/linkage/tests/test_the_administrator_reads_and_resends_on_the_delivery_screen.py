"""The 連携の状況 screen (issue #18 item 6), in Debian's chromium under the pages' CSP: the administrator sees each
連携先's delivered and acknowledged numbers and the message log, re-sends a stopped file linkage with one button
(and the page then shows it caught up), reconciles a day, and the page has no axe-core violation in any of these
states; a clerk gets the neutral refusal page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import _user, axe_report as report, check_axe as check
from jumin.accounts import rules as perms
from jumin.linkage.models import LinkageClient, LinkageRun
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import _feed, _register, _token

pytestmark = pytest.mark.django_db(transaction=True)


def _stopped_file_client(tmp_path):
    share = tmp_path / "share"
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name,address",
                             "--methods", "file", "--directory", str(share))
    client = LinkageClient.objects.get(client_id=client_id)
    for _ in range(5):
        LinkageRun.objects.create(client=client, kind="differential", from_seq=0, to_seq=3, ok=False,
                                  message="ファイルを書けませんでした（共有フォルダ）", at=timezone.now() - timedelta(hours=1))
    share.mkdir()
    return client_id, share


def test_the_administrator_resends_a_stopped_file_linkage_and_reconciles_a_day(family, tmp_path, screens):
    _user("admin", perms.ADMIN, "管理 四郎")
    pull_id, secret = _register("--business", "024", "--name", "国民健康保険", "--items", "name")
    _feed(_token(pull_id, secret))
    file_id, share = _stopped_file_client(tmp_path)
    found = {}
    desk = screens("linkage-status")
    page = desk.login("admin")
    desk.go("/linkage/")
    check(desk, "linkage-stopped", "庁内連携の状況", found)
    main = page.inner_text("main")
    assert "停止中の配信" in main and "停止（再送待ち）" in main and "REST API（PULL）" in main
    assert "山田" not in main                                            # no person on this screen
    assert "住民票コードの在庫" in main and "閾値を下回っています" in main    # no codes loaded in this city
    page.get_by_role("button", name=f"{file_id} に再送").click()
    page.wait_for_load_state("networkidle")
    check(desk, "linkage-resent", "庁内連携の状況", found)
    assert "に送りました（3 行、通番 1〜3）" in page.inner_text("body")
    assert "停止中の配信" not in page.inner_text("main") and len(list(share.glob("010-*.csv"))) == 1
    page.get_by_label("突合する日").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="突合（Enter）").click()
    page.wait_for_load_state("networkidle")
    check(desk, "linkage-reconciled", "庁内連携の状況", found)
    reconciled = page.get_by_role("table", name=f"{timezone.localdate().isoformat()} の突合")
    assert reconciled.get_by_role("row").count() == 3                   # the header and both 連携先
    assert "1〜3" in reconciled.inner_text() and len(reconciled.locator("code").first.inner_text()) == 64
    desk.go("/linkage/?date=R6.2.30")
    check(desk, "linkage-bad-date", "庁内連携の状況", found)
    assert "存在しない日付" in page.inner_text("main")
    assert found == {}, report(found)


def test_a_clerk_gets_the_refusal_page(family, screens):
    desk = screens("linkage-status-clerk")
    page = desk.login("clerk")
    with page.expect_response(lambda r: r.url.endswith("/linkage/")) as answer:
        desk.go("/linkage/")
    assert answer.value.status == 403
    assert page.locator("table").count() == 0
