"""転入 of a family (issue #15 item 10): the 住民種別 of a new row is preselected (日本人, or the person's above),
本籍の記載・本籍・筆頭者 come from the person above with one key (Alt+M, 「前の人と同じ」), and the required
items are marked 必須 and `required`. Debian chromium."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def add_row(page, i):
    page.keyboard.press("Alt+a")
    page.wait_for_selector(f"#member-{i}")
    page.wait_for_function(f"() => document.activeElement.name === 'members[{i}].name'")


def test_the_next_person_gets_the_family_items_by_one_key(municipality, clerk, screens):
    desk = screens("family-copy")
    page = desk.login("clerk")
    desk.go("/counter/changes/move_in/")
    assert page.input_value("#f-members-0-resident_type") == "japanese"          # 日本人 preselected
    page.select_option("#f-members-0-domicile_status", "recorded")
    page.fill("#f-members-0-domicile", "東京都千代田区千代田1番")
    page.fill("#f-members-0-domicile_head", "山田 太郎")
    page.focus("#f-members-0-name")
    add_row(page, 1)
    assert page.input_value("#f-members-1-domicile") == ""
    page.keyboard.type("山田 花子")
    page.keyboard.press("Alt+m")                                                  # 前の人と同じ
    assert page.input_value("#f-members-1-domicile_status") == "recorded"
    assert page.input_value("#f-members-1-domicile") == "東京都千代田区千代田1番"
    assert page.input_value("#f-members-1-domicile_head") == "山田 太郎"
    assert page.evaluate("document.activeElement.name") == "members[1].name"     # the clerk types on
    assert "写しました" in page.inner_text("#member-1 [data-copy-status]")
    page.select_option("#f-members-1-resident_type", "foreign")
    add_row(page, 2)
    assert page.input_value("#f-members-2-resident_type") == "foreign"           # the person's above
    page.click("#member-2 [data-copy-previous]")                                  # the same by the button
    assert page.input_value("#f-members-2-domicile_head") == "山田 太郎"
    desk.shot("copied")


def test_required_items_are_marked_and_optional_ones_are_not(municipality, clerk, screens):
    desk = screens("family-required")
    desk.login("clerk")
    page = desk.go("/counter/changes/move_in/")
    for name in ("address.address", "previous_address.address", "effective_on", "members[0].name",
                 "members[0].birth_date", "members[0].sex", "members[0].relationship", "members[0].domicile_status"):
        field = page.locator(f"[name='{name}']")
        assert field.get_attribute("required") is not None, name
        label = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        assert "必須" in label, name
    for name in ("members[0].name_kana", "members[0].domicile", "address.address_supplement"):
        assert page.locator(f"[name='{name}']").get_attribute("required") is None, name

