"""Issue #15 item 2 (counter half): a 個人番号 or 住民票コード typed into the counter's search must not land in
a URL — the access log writes URLs, and the browser keeps them in its history. The form posts; the results
are shown at /counter/search/?ref=… (a random reference into the clerk's own session), which reload, paging
and the back button use. A GET that carries a number is refused and the refusal logged."""

import pytest

from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.search.models import SearchHistory

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "123456789018"            # 山田 太郎's 個人番号 in conftest.family_params
CODE = "12345678903"               # his 住民票コード


def test_a_search_by_number_keeps_the_number_out_of_every_url_and_back_still_shows_the_results(family, clerk,
                                                                                               screens):
    desk = screens("number-search")
    page = desk.login("clerk")
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("framenavigated", lambda f: urls.append(f.url))
    desk.go("/counter/search/")
    page.locator("#f-individual_number").fill(NUMBER)
    with page.expect_response(lambda r: "/counter/search/" in r.url and r.request.method == "POST") as answer:
        page.locator("#f-individual_number").press("Enter")
    assert NUMBER not in answer.value.request.url and NUMBER in (answer.value.request.post_data or "")
    page.locator("#result-table .result-link").wait_for()
    assert "山田 太郎" in page.locator("#result-table").inner_text()
    assert "?ref=" in page.url                                   # the results have an address of their own
    desk.shot("found-by-individual-number")

    page.locator("#f-individual_number").fill("")
    page.locator("#f-resident_code").fill(CODE)
    with page.expect_response(lambda r: "/counter/search/" in r.url and r.request.method == "POST"):
        page.locator("#f-resident_code").press("Enter")
    page.locator("#result-table .result-link").wait_for()
    page.locator("#result-table .result-link").first.click()     # open the record …
    page.wait_for_url("**/counter/residents/**")
    page.go_back()                                               # … and come back: the results are still there
    page.locator("#result-table .result-link").wait_for()
    assert "山田 太郎" in page.locator("#result-table").inner_text()
    page.reload()
    page.locator("#result-table .result-link").wait_for()

    history = page.evaluate("() => [location.href, document.referrer, history.length]")
    visited = urls + [page.url, history[0], history[1]]
    assert [u for u in visited if NUMBER in u or CODE in u] == []


def test_a_number_in_the_url_is_refused_and_logged_and_nothing_is_searched(family, clerk, screen_as):
    client = screen_as(clerk)
    before_history = SearchHistory.objects.count()
    before_ok = OperationLog.objects.filter(function="search", outcome="ok").count()
    response = client.get("/counter/search/", {"individual_number": NUMBER})
    assert response.status_code == 422
    assert "URLでは検索できません" in response.content.decode()
    assert "山田 太郎" not in response.content.decode()
    assert SearchHistory.objects.count() == before_history      # nothing searched, nothing kept
    assert OperationLog.objects.filter(function="search", outcome="ok").count() == before_ok
    refusal = OperationLog.objects.filter(function="search", outcome="refused").get()
    assert refusal.detail == {"fields": ["individual_number"]} and NUMBER not in str(refusal.detail)


def test_a_clerk_posts_the_number_and_gets_the_results_at_a_reference(family, clerk, screen_as):
    client = screen_as(clerk)
    response = client.post("/counter/search/", {"resident_code": CODE})
    assert response.status_code == 302 and CODE not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    taro = Resident.objects.get(name="山田 太郎")
    assert taro.addressee_number in page
    fragment = client.post("/counter/search/", {"resident_code": CODE}, HTTP_HX_REQUEST="true")
    assert "?ref=" in fragment["HX-Push-Url"] and CODE not in fragment["HX-Push-Url"]


def test_another_users_reference_shows_nothing(family, clerk, clerk2, screen_as):
    mine = screen_as(clerk).post("/counter/search/", {"resident_code": CODE})["Location"]
    theirs = screen_as(clerk2).get(mine).content.decode()
    assert "有効期限が切れました" in theirs and "山田 太郎" not in theirs
