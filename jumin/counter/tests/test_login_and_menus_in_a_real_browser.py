"""Login, role, terminal and menus in Debian chromium (issue #4 item 1)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clerk_logs_in_and_sees_the_counter_menu(municipality, clerk, screens):
    desk = screens("clerk-login")
    page = desk.login("clerk")
    header = page.inner_text("header")
    assert "窓口 花子" in header and "窓口（異動入力・照会）" in header and "端末" in header
    menu = page.inner_text("nav.menu")
    assert "住民検索" in menu and "転入" in menu and "仮登録一覧" in menu
    desk.shot("home")


def test_a_viewer_sees_only_what_a_viewer_may_do(municipality, viewer, screens):
    page = screens("viewer-login").login("viewer")
    menu = page.inner_text("nav.menu")
    assert "住民検索" in menu and "転入" not in menu and "仮登録一覧" not in menu


def test_a_wrong_password_is_refused_in_japanese(municipality, clerk, screens):
    desk = screens("wrong-password")
    page = desk.go("/login/")
    page.locator("input[name=username]").focus()
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "/login/" in page.url
    assert "正しい" in page.inner_text("main") or "パスワード" in page.inner_text("main")
