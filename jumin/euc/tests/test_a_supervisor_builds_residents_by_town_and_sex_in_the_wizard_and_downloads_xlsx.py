"""Issue #16, Done when: the clerks' supervisor (the demo approver, 係長・審査), trying the EUC wizard as a new
user would — by the labels on the screen, with 和暦 typed as a clerk types it — builds "residents of 青葉区 aged
65–74 as of R8.4.1, by 町丁 and 性別", sees the preview's cross table and downloads it as XLSX. The workbook's
counts are those of the register counted directly (ORM + Python, no EUC), and the run is in the EUC log
(共通機能 §2.5, 住民記録 §10.1). Debian chromium, a small synthetic 仙台市."""

from datetime import date

import openpyxl
import pytest

from jumin.euc.models import EucRun
from jumin.euc.tests.wizard_helpers import SEX_LABELS, add_condition, direct_counts, next_step, select_and_wait, \
    small_city

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])

DAY = date(2026, 4, 1)


@pytest.fixture
def city(single_step, approver, tmp_path):
    small_city(tmp_path, residents=1200, removed=100)
    expected = direct_counts(DAY, "青葉区", 65, 74)
    assert sum(expected.values()) >= 20 and len(expected) >= 10, "the small city must have some 65–74-year-olds in 青葉区"
    return expected


def workbook_counts(path) -> dict:
    """(町丁, 性別 code) → 件数 from the downloaded workbook, its columns found by their Japanese headers."""
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(v or "") for v in rows[0]]
    town, sex, count = header.index("町丁"), header.index("性別"), header.index("件数")
    codes = {label: code for code, label in SEX_LABELS.items()}
    return {(r[town], codes.get(r[sex], r[sex])): r[count] for r in rows[1:] if r[count] is not None}


def test_the_supervisor_builds_the_cross_table_and_its_xlsx_matches_the_register(city, screens, tmp_path):
    desk = screens("euc-done-when")
    page = desk.login("approver")
    page.get_by_role("link", name="EUC データ抽出").click()              # from the home screen's functions
    page.wait_for_selector("h1:has-text('データの種類')")

    page.get_by_role("radio", name="基準日時点の住民").check()                         # 1. データの種類 + 基準日 in 和暦
    page.get_by_label("基準日（和暦・西暦）").fill("R8.4.1")
    next_step(page, "項目")
    next_step(page, "条件")                                            # 2. no items: this is a count

    add_condition(page, 0, "行政区")                                     # 3. 行政区 = 青葉区
    value = page.locator("#f-w-0-value")
    if value.evaluate("e => e.tagName") == "SELECT":
        value.select_option(label="青葉区")
    else:
        value.fill("青葉区")
    add_condition(page, 1, "年齢")                                       # 年齢 範囲 65〜74
    select_and_wait(page, 1, "op", "範囲")
    page.get_by_label("下限").fill("65")
    page.get_by_label("上限").fill("74")
    assert "基準日 R8.4.1" in page.inner_text("main")                    # the age's day is said beside it
    next_step(page, "並び順・集計")

    page.get_by_role("radio", name="件数を集計する（クロス集計）").check()               # 4. 町丁 × 性別
    page.get_by_label("集計する項目 1（表の行）").select_option(label="町丁")
    page.get_by_label("集計する項目 2（表の列・任意）").select_option(label="性別")
    next_step(page, "プレビュー")

    total = sum(city.values())                                         # 5. the preview: the table and its 計
    table = page.locator("#preview-table")
    assert table.locator("tfoot td.total").inner_text().strip() == str(total)
    assert "町丁" in table.locator("caption").inner_text() and "性別" in table.locator("caption").inner_text()
    desk.shot("preview")
    next_step(page, "出力")

    page.get_by_role("radio", name="Excel（XLSX）").check()                           # 6. 出力 → ready → ダウンロード
    page.get_by_role("button", name="この形式で出力する").click()
    page.wait_for_selector("#run-status")
    assert EucRun.objects.filter(kind="run").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="ダウンロード").click()
    saved = tmp_path / "out.xlsx"
    download.value.save_as(saved)
    desk.shot("run")

    assert workbook_counts(saved) == dict(city)
    run = EucRun.objects.get(kind="run")
    assert run.output == "xlsx" and run.user.username == "approver" and len(run.sha256) == 64
