"""Bad input on the wizard gets a clear Japanese refusal beside the field and nothing is written (issue #16
"Bad input"): a day that does not exist (2026-02-30) or an era year that does not (令和0年) as the 基準日, on the
first step at once; an age range upside down (74〜65), found by the engine when the preview asks and shown on
the 条件 step beside the row. No EucRun, and each refusal is in the operation log. Debian chromium."""

import pytest

from jumin.audit.models import REFUSED, OperationLog
from jumin.euc.models import EucRun
from jumin.euc.tests.wizard_helpers import add_condition, next_step, select_and_wait, small_city

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])


@pytest.fixture
def city(single_step, approver, tmp_path):
    small_city(tmp_path, residents=120, removed=10)


def test_a_day_that_does_not_exist_is_refused_beside_the_base_date(city, screens):
    desk = screens("euc-refused-date")
    page = desk.login("approver")
    page = desk.go("/euc/")
    page.get_by_role("radio", name="基準日時点の住民").check()
    for typed, message in [("2026-02-30", "基準日に存在しない日付（2026年2月30日）が入力されています。"),
                           ("令和0年4月1日", "基準日に存在しない年（令和0年）が入力されています。")]:
        page.get_by_label("基準日（和暦・西暦）").fill(typed)
        page.get_by_role("button", name="次へ").last.click()
        page.wait_for_selector("#f-as_of-error")
        assert page.inner_text("#f-as_of-error") == message
        assert "データの種類" in page.inner_text("h1")                 # still the first step
        assert page.evaluate("document.activeElement.id") == "f-as_of"  # the focus is on the field to fix
        assert page.locator("#f-as_of").get_attribute("aria-invalid") == "true"
        assert page.locator("#f-as_of").input_value() == typed        # what was typed is kept
    desk.shot("refused-date")
    assert EucRun.objects.count() == 0
    refusals = OperationLog.objects.filter(username="approver", function="euc.wizard", outcome=REFUSED)
    assert [r.reason for r in refusals.order_by("id")] == [
        "基準日に存在しない日付（2026年2月30日）が入力されています。", "基準日に存在しない年（令和0年）が入力されています。"]


def test_an_upside_down_age_range_comes_back_to_its_row_from_the_engine(city, screens):
    desk = screens("euc-refused-range")
    page = desk.login("approver")
    page = desk.go("/euc/")
    page.get_by_role("radio", name="住民（現在）").check()
    next_step(page, "項目")
    page.get_by_label("項目名で絞り込む").fill("氏名")
    page.keyboard.press("Enter")                                      # adds the first match
    page.wait_for_selector("ol.chosen li:has-text('氏名')")
    next_step(page, "条件")
    add_condition(page, 0, "年齢")
    select_and_wait(page, 0, "op", "範囲")
    page.get_by_label("下限").fill("74")
    page.get_by_label("上限").fill("65")
    next_step(page, "並び順・集計")
    page.get_by_role("button", name="次へ").last.click()               # the preview asks the engine …
    page.wait_for_selector("#f-w-0-error")                            # … which refuses: back on 条件
    assert "条件" in page.inner_text("h1")
    message = page.inner_text("#f-w-0-error")
    assert "年齢" in message and "下限" in message and "上限" in message
    assert page.locator("#f-w-0-value").input_value() == "74"
    desk.shot("refused-range")
    assert EucRun.objects.count() == 0
    assert OperationLog.objects.filter(username="approver", outcome=REFUSED, reason=message).exists()
