"""axe-core finds no WCAG 2.1 A/AA violation on the statistics screen (JIS X 8341-3:2016): every tab as the
analyst sees it, as of today and as of a past day in 和暦, and a refused date (the Japanese message on the page).
Checked as served, under the pages' CSP, in Debian's chromium; a viewer, who may not see statistics, gets the
refusal page instead of a table."""

import pytest

from conftest import axe_report as report, check_axe as check
from jumin.stats.views import TABS

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_tab_today_and_on_a_past_day_has_no_violation(analyst, synthetic_city, screens):
    found = {}
    desk = screens("axe-statistics")
    page = desk.login("analyst")
    for code, label in TABS:
        desk.go(f"/statistics/?tab={code}")
        check(desk, f"statistics-{code}", "統計", found)
        assert label in page.inner_text("main")
        desk.go(f"/statistics/?tab={code}&as_of=R7.4.1&month=R7.3")
        check(desk, f"statistics-{code}-past", "統計", found)
    desk.go("/statistics/?tab=age&as_of=R7.2.30")
    check(desk, "statistics-refused-date", "統計", found)
    assert "基準日に存在しない日付（令和7年2月30日）" in page.inner_text("main")
    assert found == {}, report(found)


def test_a_viewer_gets_the_refusal_page_and_no_table(viewer, synthetic_city, screens):
    desk = screens("axe-statistics-viewer")
    page = desk.login("viewer")
    with page.expect_response(lambda r: r.url.endswith("/statistics/")) as answer:
        desk.go("/statistics/")
    assert answer.value.status == 403
    assert page.locator("table").count() == 0
