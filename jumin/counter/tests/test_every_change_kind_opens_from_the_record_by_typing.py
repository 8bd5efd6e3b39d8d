"""Issue #15 item 10: from the record view, 転居 took 18 Tabs. Alt+K focuses the change-kind filter; typing the
kind's name or reading (てんきょ, tenkyo, 死亡) leaves the matching kinds and Enter opens the first; ↓/↑ move
among them one at a time. Every change kind of a living resident is listed. Debian chromium."""

import pytest

from jumin.counter.screens import SCREENS
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True)

SHOWN = "() => Array.from(document.querySelectorAll('.kinds li:not([hidden]) a')).map(a => a.textContent.trim())"


def open_by_typing(desk, person, typed):
    page = desk.go(f"/counter/residents/{person.addressee_number}/")
    page.keyboard.press("Alt+k")
    assert page.evaluate("document.activeElement.id") == "kind-filter"
    page.keyboard.type(typed)
    shown = page.evaluate(SHOWN)
    page.keyboard.press("Enter")
    return page, shown


def test_a_clerk_opens_any_change_kind_in_three_keys(family, clerk, screens):
    taro = Resident.objects.get(name="山田 太郎")
    desk = screens("kinds")
    page = desk.login("clerk")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    desk.go(f"/counter/residents/{taro.addressee_number}/")
    listed = page.evaluate(SHOWN)
    expected = [s.title for s in SCREENS.values() if s.subject in ("household", "person")]
    assert listed == expected
    desk.shot("record-kinds")

    page, shown = open_by_typing(desk, taro, "tenkyo")
    assert shown == ["転居"]
    page.wait_for_url(f"**/counter/changes/relocation/?household={taro.household_number}")
    page, shown = open_by_typing(desk, taro, "死亡")
    assert shown == ["死亡"]
    page.wait_for_url(f"**/counter/changes/death/?person={taro.addressee_number}*")
    page, shown = open_by_typing(desk, taro, "せたい")
    assert shown == ["世帯分離", "世帯合併", "世帯変更", "世帯主変更"]
    page.wait_for_url("**/counter/changes/household_split/**")

    desk.go(f"/counter/residents/{taro.addressee_number}/")
    page.keyboard.press("Alt+k")
    page.keyboard.type("せたい")
    for expected_title in ("世帯分離", "世帯合併", "世帯変更"):
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.textContent.trim()") == expected_title
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.textContent.trim()") == "世帯合併"
    page.keyboard.press("Enter")
    page.wait_for_url("**/counter/changes/household_merge/**")
    assert violations == []


def test_a_viewer_gets_no_change_kinds(family, viewer, screen_as):
    taro = Resident.objects.get(name="山田 太郎")
    page = screen_as(viewer).get(f"/counter/residents/{taro.addressee_number}/").content.decode()
    assert 'id="kind-filter"' not in page and "/counter/changes/relocation/" not in page
