"""Issue #15 item 10, the most dangerous counter defect: after repeated searches ↓ skipped rows (each search
bound one more key handler), so Enter could open the wrong resident. The handler is now one delegated
listener in jumin/counter.js; here five searches in a row, then ↓ must move exactly one row at a time and
Enter must open the resident of the highlighted row. Debian chromium at 1366×768."""

import pytest

from conftest import actor, family_params
from jumin.register.actions import do_move_in

pytestmark = pytest.mark.django_db(transaction=True)

SECOND_FAMILY = [
    {"name": "山田 二郎", "name_kana": "ヤマダ ジロウ", "birth_date": "S50.1.1", "sex": "1", "relationship": "世帯主",
     "domicile_status": "unknown"},
    {"name": "山田 春子", "name_kana": "ヤマダ ハルコ", "birth_date": "S52.2.2", "sex": "2", "relationship": "妻",
     "domicile_status": "unknown"},
    {"name": "山田 三郎", "name_kana": "ヤマダ サブロウ", "birth_date": "H20.3.3", "sex": "1", "relationship": "子",
     "domicile_status": "unknown"},
]

FOCUSED_ROW = """() => { const rows = Array.from(document.querySelectorAll('#result-table tbody tr'));
  return rows.findIndex(r => r.contains(document.activeElement)); }"""


def focused(page):
    return page.evaluate(FOCUSED_ROW)


def test_down_moves_one_row_after_five_searches_and_enter_opens_that_resident(family, clerk, screens):
    do_move_in(family_params(address={"postcode": "9800845", "address": "宮城県仙台市青葉区荒巻字青葉6番地"},
                             members=SECOND_FAMILY), actor=actor(clerk))
    desk = screens("arrows")
    page = desk.login("clerk")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.keyboard.press("Alt+s")
    page.wait_for_url("**/counter/search/")
    kana = page.locator("#f-kana")
    for typed in ["ヤマダ タロウ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだ", "ヤマダ"]:      # five searches, each swaps the results
        kana.fill(typed)
        with page.expect_response(lambda r: "/counter/search/" in r.url and r.request.method == "POST"):
            kana.press("Enter")
        page.locator("#result-table").wait_for()
    rows = page.locator("#result-table tbody tr")
    assert rows.count() == 6
    kana.focus()
    page.keyboard.press("ArrowDown")
    assert focused(page) == 0
    for expected in (1, 2, 3, 4):
        page.keyboard.press("ArrowDown")
        assert focused(page) == expected
    page.keyboard.press("ArrowUp")
    assert focused(page) == 3
    chosen = page.evaluate("document.activeElement.textContent.trim()")
    name = rows.nth(3).locator("td").nth(1).inner_text()
    desk.shot("row-4-highlighted")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/counter/residents/{chosen}/")
    assert name in page.locator("#person-h").inner_text()
    assert violations == []
