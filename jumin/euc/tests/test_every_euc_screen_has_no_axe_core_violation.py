"""axe-core finds no WCAG 2.1 A/AA violation on any EUC screen (JIS X 8341-3:2016), each in the state a user
sees it: every wizard step empty and filled (a nested OR group, a refused field, the preview as a list and as
a cross table), the run's page waiting for approval and ready, the approver's list, the saved queries and their
re-run form, and the EUC log searched by 宛名番号. Checked as served, under the pages' CSP. Debian chromium."""

import pytest

from conftest import _user, actor, axe_report as report
from jumin.accounts import rules as perms
from jumin.euc import actions
from jumin.euc.models import EucSettings
from jumin.euc.tests.wizard_helpers import add_condition, check, next_step, select_and_wait, small_city
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])

COUNT = {"dataset": "residents", "where": {"all": [{"item": "age", "op": "gte", "value": 18}]},
         "count_by": ["ward", "sex"]}                  # 5 wards × 2: 10 rows, no approval needed
LIST = {"dataset": "residents_as_of", "as_of": {"param": "基準日"}, "params": {"基準日": "R8.4.1"},
        "items": ["addressee_number", "name", "age", "town"], "sort": [{"item": "age", "desc": True}]}


@pytest.fixture
def city(single_step, approver, tmp_path):
    small_city(tmp_path, residents=150, removed=20)
    approver.department = "市民課"
    approver.save()
    EucSettings.objects.create(approval_rows=20)      # a list of more than 20 rows waits for an approver
    analyst = _user("analyst", perms.ANALYST, "統計 六郎")
    analyst.department = "市民課"
    analyst.save()
    waiting = actions.do_run_euc(LIST, "csv", actor=actor(analyst))
    assert waiting.status == "awaiting_approval"
    ready = actions.do_run_euc(COUNT, "xlsx", actor=actor(approver))
    actions.do_save_euc_query("基準日時点の住民（年齢順）", LIST, actor=actor(approver))
    return {"waiting": waiting, "ready": ready, "person": Resident.objects.filter(status="resident")
            .order_by("addressee_number").first().addressee_number}


def test_every_wizard_step_and_euc_screen_has_no_violation(city, screens):
    found = {}
    desk = screens("axe-euc")
    page = desk.login("approver")
    check(desk, "home-with-euc", "ようこそ", found)
    desk.go("/euc/")
    check(desk, "dataset", "データの種類", found)
    page.get_by_role("radio", name="基準日時点の住民").check()
    page.get_by_label("基準日（和暦・西暦）").fill("2026-02-30")
    page.get_by_role("button", name="次へ").last.click()
    page.wait_for_selector("#f-as_of-error")
    check(desk, "dataset-refused", "データの種類", found)
    page.get_by_label("基準日（和暦・西暦）").fill("R8.4.1")
    next_step(page, "項目")
    check(desk, "items-empty", "項目", found)
    page.get_by_label("項目名で絞り込む").fill("住所")
    page.wait_for_selector("[data-filter-status]:has-text('件')")
    check(desk, "items-filtered", "項目", found)
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.chosen li")
    check(desk, "items-chosen", "項目", found)
    next_step(page, "条件")
    check(desk, "where-empty", "条件", found)
    add_condition(page, 0, "性別")
    page.get_by_role("button", name="グループを追加（AND と OR を組み合わせる）").first.click()
    page.wait_for_selector("#f-w-1-0-item")
    select_and_wait(page, "1-0", "item", "年齢")
    select_and_wait(page, "1-0", "op", "範囲")
    check(desk, "where-nested", "条件", found)
    next_step(page, "並び順・集計")
    check(desk, "sort", "並び順・集計", found)
    page.get_by_role("button", name="次へ").last.click()              # 性別 has no value yet: refused
    page.wait_for_selector(".field-error")
    check(desk, "where-refused", "条件", found)
    page.locator("#f-w-0-value").select_option(index=1)
    page.locator("#f-w-1-0-value").fill("20")
    page.locator("#f-w-1-0-value_to").fill("40")
    next_step(page, "並び順・集計")
    next_step(page, "プレビュー")
    check(desk, "preview-list", "プレビュー", found)
    page.get_by_role("button", name="4. 並び順・集計").click()
    page.wait_for_selector("h1:has-text('並び順・集計')")
    page.get_by_role("radio", name="件数を集計する（クロス集計）").check()
    page.get_by_label("集計する項目 1（表の行）").select_option(label="町丁")
    page.get_by_label("集計する項目 2（表の列・任意）").select_option(label="性別")
    next_step(page, "プレビュー")
    page.wait_for_selector("table.cross")
    check(desk, "preview-cross", "プレビュー", found)
    next_step(page, "出力")
    check(desk, "output", "出力", found)

    for label, path, heading in [
            ("run-waiting", f"/euc/runs/{city['waiting'].id}/", "承認待ち"),
            ("run-ready", f"/euc/runs/{city['ready'].id}/", "ダウンロード"),
            ("approvals", "/euc/approvals/", "承認待ちの EUC 出力"),
            ("saved", "/euc/saved/", "保存した条件"),
            ("runs", "/euc/runs/", "EUC実行履歴"),
            ("runs-person", f"/euc/runs/?addressee_number={city['person']}", "EUC実行履歴")]:
        desk.go(path)
        check(desk, label, heading, found)
    desk.go("/euc/saved/")
    page.get_by_role("link", name="「基準日時点の住民（年齢順）」を実行").click()
    page.wait_for_selector("h1:has-text('を実行')")
    check(desk, "saved-open", "を実行", found)
    assert found == {}, report(found)
