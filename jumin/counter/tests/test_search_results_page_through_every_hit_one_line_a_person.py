"""Issue #15 item 10: search results showed 20 of "100件以上" with no way to the rest, and rows wrapped onto
two or three lines. Now 前の20件 / 次の20件 page through every hit (the pages address the search by its
reference, so the back button returns to the page it left), and at 1366 px every row is one line even with a
long address and 方書; a cut cell keeps its whole text in its title. Debian chromium at 1366×768."""

import pytest

from conftest import actor, family_params
from jumin.register.actions import do_move_in
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True)

GIVEN = ["イチ", "ニ", "サン", "シ", "ゴ", "ロク", "シチ", "ハチ", "ク", "ジュウ", "ジュウイチ", "ジュウニ", "ジュウサン",
         "ジュウシ", "ジュウゴ"]
LONG = "宮城県仙台市青葉区一番町四丁目7番17号"
SUPPLEMENT = "グランドメゾン一番町ステーションフロントタワー 2305号室"


def household(n: int) -> dict:
    members = [{"name": f"山田 {g}{n}", "name_kana": f"ヤマダ {g}", "birth_date": f"H{i + 2}.{n + 1}.{i + 1}",
                "sex": "1" if i % 2 else "2", "relationship": "世帯主" if i == 0 else "子", "domicile_status": "unknown"}
               for i, g in enumerate(GIVEN)]
    return family_params(address={"postcode": "9800811", "address": LONG, "address_supplement": f"{SUPPLEMENT}{n}"},
                         members=members)


ROW_LINES = """() => Array.from(document.querySelectorAll('#result-table tbody tr')).map(tr => {
  const td = tr.querySelector('td'); const line = parseFloat(getComputedStyle(td).lineHeight);
  return tr.getBoundingClientRect().height / line; })"""

CUT = """() => Array.from(document.querySelectorAll('#result-table tbody tr')).flatMap(tr =>
  [0, 3, 4].map(i => tr.cells[i]).filter(td => td.scrollWidth > td.clientWidth).map(td => td.textContent))"""

NUMBERS = "() => Array.from(document.querySelectorAll('#result-table .result-link')).map(a => a.textContent.trim())"


def search_page(page, click):
    with page.expect_response(lambda r: "/counter/search/" in r.url):
        click()
    page.locator("#result-table .result-link").first.wait_for()
    return page.evaluate(NUMBERS)


def test_every_hit_is_reached_page_by_page_and_each_row_is_one_line(single_step, clerk, screens):
    for n in range(3):
        do_move_in(household(n), actor=actor(clerk))
    everyone = set(Resident.objects.values_list("addressee_number", flat=True))
    assert len(everyone) == 45
    desk = screens("paging", width=1366, height=768)
    page = desk.login("clerk")
    desk.go("/counter/search/")
    page.locator("#f-kana").fill("ヤマダ")
    seen = [search_page(page, lambda: page.locator("#f-kana").press("Enter"))]
    assert "45件見つかりました（1〜20件目）" in page.locator("#results").inner_text()
    desk.shot("page-1")
    lines = page.evaluate(ROW_LINES)
    assert len(lines) == 20 and max(lines) < 2, lines          # one line of text (plus the cell padding)
    assert page.evaluate(CUT) == []                            # 宛名番号, 生年月日 and 性別 are never cut
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    title = page.locator("#result-table tbody tr").first.locator("td").nth(5).get_attribute("title")
    assert LONG in title and SUPPLEMENT in title
    assert page.get_by_role("link", name="前の20件").count() == 0
    seen.append(search_page(page, lambda: page.get_by_role("link", name="次の20件").click()))
    assert "page=2" in page.url
    seen.append(search_page(page, lambda: page.get_by_role("link", name="次の20件").click()))
    assert "（41〜45件目）" in page.locator("#results").inner_text()
    assert page.get_by_role("link", name="次の20件").count() == 0
    assert max(page.evaluate(ROW_LINES)) < 2
    assert [len(s) for s in seen] == [20, 20, 5]
    assert set(sum(seen, [])) == everyone                       # every hit, each once

    page.locator("#result-table .result-link").first.click()
    page.wait_for_url("**/counter/residents/**")
    page.go_back()                                               # back to page 3, not to an empty form
    page.locator("#result-table .result-link").first.wait_for()
    assert page.evaluate(NUMBERS) == seen[2]
    assert search_page(page, lambda: page.get_by_role("link", name="前の20件").click()) == seen[1]
