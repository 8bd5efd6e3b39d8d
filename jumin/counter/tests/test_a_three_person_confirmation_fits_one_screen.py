"""The 確認画面 of a 3-person 転入 fits one 1366×768 screen without scrolling, the 登録 button included, and
the address inputs are wide enough for a normal address (issue #15 item 10). Debian chromium."""

import pytest

from conftest import family_params

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "宮城県仙台市青葉区一番町四丁目7番17号"


def fill_family(page):
    params = family_params()
    page.fill("#f-effective_on", params["effective_on"])
    page.fill("#f-notified_on", params["notified_on"])
    page.fill("#f-address-postcode", "9800811")
    page.fill("#f-address-address", ADDRESS)
    page.fill("#f-address-address_supplement", "一番町ハイツ301")
    page.fill("#f-address-address_code", "04101001001")
    page.fill("#f-previous_address-address", params["previous_address"]["address"])
    for i, member in enumerate(params["members"]):
        if i:
            page.click("[data-member-add]")
            page.wait_for_selector(f"#member-{i}")
        for item in ("name", "name_kana", "birth_date", "relationship", "domicile", "domicile_head",
                     "individual_number", "resident_code"):
            if member.get(item):
                page.fill(f"#f-members-{i}-{item}", member[item])
        page.select_option(f"#f-members-{i}-sex", member["sex"])
        page.select_option(f"#f-members-{i}-domicile_status", member["domicile_status"])


def test_the_family_and_the_register_button_fit_1366_by_768(municipality, clerk, screens):
    desk = screens("confirm-fit", width=1366, height=768)
    desk.login("clerk")
    page = desk.go("/counter/changes/move_in/")
    assert page.evaluate("document.getElementById('f-address-address').getBoundingClientRect().width") >= 640
    assert page.evaluate("document.getElementById('f-previous_address-address').getBoundingClientRect().width") >= 640
    fill_family(page)
    page.keyboard.press("Alt+c")
    page.wait_for_selector("text=確認画面")
    desk.shot("three-people")
    main = page.inner_text("main")
    for name in ("山田 太郎", "山田 花子", "山田 一郎", ADDRESS, "〒980-0811", "昭和55年5月5日"):
        assert name in main, name
    assert page.evaluate("document.documentElement.scrollHeight") <= 768
    assert page.evaluate("document.querySelector('button[accesskey=r]').getBoundingClientRect().bottom") <= 768
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
