"""The dictionary screen in a real browser (issue #16 item 1; Done when: typing 住所 finds 住所を定めた年月日): the
search box has the focus, typing filters the items as one types (htmx) and Enter submits the form (the same GET form works without JavaScript: test_the_dictionary_screen_finds_items_by_japanese_name); a
code table opens with the keyboard; axe-core finds no WCAG 2.1 A/AA violation in each state. Debian chromium at
1366×768, under the page's own Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def violations(desk):
    desk.page.wait_for_load_state("networkidle")
    found = desk.axe()
    if found:
        desk.shot("axe-dictionary")
    return [(v["id"], v["impact"], v["help"], v["targets"][:5]) for v in found]


def test_typing_juusho_finds_the_item_and_the_screen_has_no_violation(clerk, screens):
    desk = screens("dictionary")
    desk.login("clerk")
    page = desk.go("/dictionary/")
    assert page.inner_text("h1") == "データディクショナリ"
    assert violations(desk) == []
    assert page.evaluate("() => document.activeElement.id") == "q"
    page.keyboard.type("住所")
    page.wait_for_selector("#dictionary-results >> text=「住所」を含む項目")
    row = page.locator("#dictionary-results tr", has_text="住所を定めた年月日").first
    assert "address_since" in row.inner_text() and "date" in row.inner_text()
    assert "q=%E4%BD%8F%E6%89%80" in page.url                     # the search is in the address: shareable
    assert violations(desk) == []

    page.keyboard.press("Enter")                                   # Enter submits the form: the same results
    page.wait_for_load_state("networkidle")
    assert page.locator("#dictionary-results tr", has_text="住所を定めた年月日").count() >= 1


def test_an_entitys_items_and_an_expandable_code_table(clerk, screens):
    desk = screens("dictionary-entity")
    desk.login("clerk")
    page = desk.go("/dictionary/?entity=residents")
    status = page.locator("#dictionary-results tr", has_text="住民種別").first
    summary = status.locator("summary")
    assert not status.locator("text=日本人住民").is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert status.locator("text=日本人住民").is_visible()
    assert violations(desk) == []
