"""Accessibility basics and tablet width on the main screens (issue #4 item 7), in Debian chromium."""

import pytest

from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True)

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def pages_of(family_head):
    return ["/counter/search/?kana=ヤマダ", f"/counter/residents/{family_head}/", "/counter/changes/move_in/",
            f"/counter/changes/relocation/?household={Resident.objects.get(addressee_number=family_head).household_number}",
            f"/counter/residents/{family_head}/history/", "/counter/drafts/"]


@pytest.mark.parametrize("width,height,label", [(1366, 768, "desktop"), (768, 1024, "tablet")])
def test_every_input_has_a_label_and_nothing_overflows(family, clerk, screens, width, height, label):
    head = Resident.objects.get(name="山田 太郎").addressee_number
    desk = screens(f"a11y-{label}", width=width, height=height)
    page = desk.login("clerk")
    for path in pages_of(head):
        desk.go(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(UNLABELLED) == [], path
        assert page.evaluate(OVERFLOW) <= 0, path
        assert page.locator("h1").count() == 1, path
    desk.go("/counter/changes/move_in/")
    desk.shot("move-in-form")


def test_focus_moves_through_the_search_form_in_reading_order(family, clerk, screens):
    page = screens("focus-order").login("clerk")
    page.keyboard.press("Alt+s")
    page.wait_for_url("**/counter/search/")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'kana'")
    order = []
    for _ in range(6):
        order.append(page.evaluate("document.activeElement.name"))
        page.keyboard.press("Tab")
    assert order == ["kana", "name", "given_name", "birth_date", "sex", "address"]
