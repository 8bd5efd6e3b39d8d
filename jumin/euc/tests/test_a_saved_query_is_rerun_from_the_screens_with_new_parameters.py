"""Saved queries per 所属, re-run with parameters (issue #16 item 4): the supervisor builds a list in the wizard
with the 基準日 and the lower age marked as parameters and saves it; a colleague of the same 所属 finds it in
「保存した条件」, is asked the two values again (the saved ones filled in), and the preview counts the register
as of the new day; the output is logged with the saved query it came from. Another 所属 does not see it.
Debian chromium."""

from datetime import date

import pytest

from conftest import _user
from jumin.accounts import rules as perms
from jumin.euc.models import EucRun, SavedQuery
from jumin.euc.tests.wizard_helpers import add_condition, age_on, next_step, select_and_wait, small_city
from jumin.register import choices as c
from jumin.register.queries import records_as_of

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])


@pytest.fixture
def city(single_step, approver, tmp_path):
    small_city(tmp_path, residents=300, removed=30)
    approver.department = "市民課"
    approver.save()
    colleague = _user("approver2", perms.APPROVER, "審査 次郎")
    colleague.department = "市民課"
    colleague.save()
    other = _user("analyst", perms.ANALYST, "統計 六郎")
    other.department = "政策企画課"
    other.save()


def aged_at_least(day: date, low: int) -> int:
    return sum(1 for h in records_as_of(day).filter(status=c.RESIDENT)
               if h.birth_date and age_on(h.birth_date, day) >= low)


def test_a_colleague_reruns_the_saved_list_with_a_new_day_and_age(city, screens):
    desk = screens("euc-saved")
    page = desk.login("approver")
    page = desk.go("/euc/")
    page.get_by_role("radio", name="基準日時点の住民").check()
    page.get_by_label("基準日（和暦・西暦）").fill("令和8年4月1日")
    page.get_by_label("保存した条件を実行するとき、基準日をあらためて入力する（パラメータ）").check()
    next_step(page, "項目")
    page.get_by_label("項目名で絞り込む").fill("氏名")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.chosen li")
    next_step(page, "条件")
    add_condition(page, 0, "年齢")
    select_and_wait(page, 0, "op", "以上")
    page.locator("#f-w-0-value").fill("65")
    page.get_by_label("保存した条件を実行するとき、この値をあらためて入力する（パラメータ）").check()
    page.get_by_label("パラメータ名").fill("下限年齢")
    next_step(page, "並び順・集計")
    next_step(page, "プレビュー")
    assert page.inner_text("#preview-total") == str(aged_at_least(date(2026, 4, 1), 65))
    page.get_by_label("条件の名前").fill("高齢者の一覧")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_selector("text=条件「高齢者の一覧」を保存しました（市民課）")
    saved = SavedQuery.objects.get()
    assert saved.department == "市民課" and saved.query["as_of"] == {"param": "基準日"}
    assert saved.query["params"] == {"基準日": "令和8年4月1日", "下限年齢": 65}
    assert saved.query["where"] == {"all": [{"item": "age", "op": "gte", "value": {"param": "下限年齢"}}]}

    other = screens("euc-saved-other")
    other.login("analyst")
    other.go("/euc/saved/")
    assert "保存した条件はありません" in other.page.inner_text("main")    # another 所属

    colleague = screens("euc-saved-colleague")
    page = colleague.login("approver2")
    colleague.go("/euc/saved/")
    page.get_by_role("link", name="「高齢者の一覧」を実行").click()
    page.wait_for_selector("h1:has-text('を実行')")
    assert page.get_by_label("基準日").input_value() == "令和8年4月1日"    # the saved values, to change
    assert page.get_by_label("下限年齢").input_value() == "65"
    page.get_by_label("基準日").fill("R7.4.1")
    page.get_by_label("下限年齢").fill("70")
    page.get_by_role("button", name="プレビュー").click()
    page.wait_for_selector("#preview-total")
    assert page.inner_text("#preview-total") == str(aged_at_least(date(2025, 4, 1), 70))
    colleague.shot("rerun-preview")
    next_step(page, "出力")
    page.get_by_role("radio", name="CSV（UTF-8 BOM付き）").check()
    page.get_by_role("button", name="この形式で出力する").click()
    page.wait_for_selector("#run-status")
    run = EucRun.objects.get(kind="run")
    assert run.saved_query_id == saved.pk and run.username == "approver2"
    assert run.query["as_of"] == "2025-04-01"
