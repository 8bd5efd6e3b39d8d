"""Issue #4's browser test: a clerk registers a 3-person 転入 with the keyboard only, finds the family by
half-width kana, records a birth and the head's death; an approver approves; history and as-of are viewed.
Debian chromium at 1366×768, screenshots in test-artifacts/screens/."""

import pytest

from jumin.register.models import Change, Resident

pytestmark = pytest.mark.django_db(transaction=True)

FAMILY = [  # name, kana, birth, sex (ArrowDown presses: 1 男, 2 女), relationship
    ("山田 太郎", "ヤマダ タロウ", "S55.5.5", 1, "世帯主"),
    ("山田 花子", "ヤマダ ハナコ", "昭和57年3月3日", 2, "妻"),
    ("山田 一郎", "ヤマダ イチロウ", "2012-06-01", 1, "子"),
]


def type_member(page, name, kana, birth, sex_presses, relationship):
    """From the member's 氏名 input: type every item of one person, Tab by Tab."""
    keys = page.keyboard
    keys.type(name)
    keys.press("Tab")
    keys.type(kana)
    keys.press("Tab")
    keys.type(birth)
    keys.press("Tab")
    for _ in range(sex_presses):
        keys.press("ArrowDown")
    keys.press("Tab")
    keys.type(relationship)
    keys.press("Tab")                 # 住民種別: leave (日本人)
    keys.press("Tab")                 # 本籍の記載
    for _ in range(3):
        keys.press("ArrowDown")       # 不明
    keys.press("Tab")


def test_a_family_moves_in_by_keyboard_and_is_approved_searched_and_viewed(municipality, clerk, approver, screens):
    desk = screens("keyboard")
    page = desk.login("clerk")
    keys = page.keyboard
    keys.press("Alt+n")                                   # 転入
    page.wait_for_url("**/counter/changes/move_in/")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'move_in_kind'")
    keys.press("ArrowDown")                               # 国内転入
    keys.press("Tab")                                     # 既存世帯の世帯番号: none
    keys.press("Tab")
    keys.type("9800811")                                  # 郵便番号 → 住所
    keys.press("Tab")
    page.wait_for_function("() => document.getElementById('f-address-address').value.length > 0")
    keys.press("End")
    keys.type("四丁目7番17号")
    keys.press("Tab")
    keys.type("一番町ハイツ301")                           # 方書
    keys.press("Tab")
    keys.press("Tab")                                     # 住所コード: none
    keys.type("東京都千代田区千代田1番1号")                  # 転入前住所
    keys.press("Tab")
    keys.press("Tab")
    keys.type("R6.4.1")                                   # 異動日
    keys.press("Tab")
    keys.type("R6.4.5")                                   # 届出日
    keys.press("Tab")
    keys.press("Tab")                                     # 職権: no
    keys.press("Tab")                                     # 理由: none → first member's 氏名
    for i, member in enumerate(FAMILY):
        if i:
            keys.press("Alt+a")                           # 異動者を追加: focus lands in the new row
            page.wait_for_selector(f"#member-{i}")
            page.wait_for_function(f"() => document.activeElement.name === 'members[{i}].name'")
        assert page.evaluate("document.activeElement.name") == f"members[{i}].name"
        type_member(page, *member)
    desk.shot("move-in-form")
    keys.press("Alt+c")                                   # 確認へ
    page.wait_for_selector("text=確認画面")
    assert "全部転入 3人" in page.inner_text("main")
    desk.shot("move-in-confirm")
    page.wait_for_function("() => document.activeElement && document.activeElement.textContent.includes('登録')")
    keys.press("Enter")                                   # 登録 (focused)
    page.wait_for_selector("text=受付票")
    assert "仮登録しました" in page.inner_text("main")
    desk.shot("move-in-receipt")
    change = Change.objects.get()
    assert change.status == "draft" and len(change.params["members"]) == 3
    assert Resident.objects.count() == 0                  # a draft is not in the register yet


def approve_all(boss, label):
    page = boss.go("/counter/drafts/")
    for box in page.locator("input[name=change_ids]").all():
        box.check()
    page.get_by_role("button", name="選択した異動を本登録").click()
    page.wait_for_selector("text=本登録しました")
    boss.shot(label)


def register_change(desk, label):
    page = desk.page
    page.keyboard.press("Alt+c")
    page.wait_for_selector("text=確認画面")
    desk.shot(f"{label}-confirm")
    page.wait_for_function("() => document.activeElement && document.activeElement.textContent.includes('登録')")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=受付票")


def test_birth_death_approval_history_and_as_of_in_the_browser(municipality, clerk, approver, screens):
    from conftest import actor, family_params
    from jumin.register.actions import do_approve_change, do_move_in

    change = do_move_in(family_params(), actor=actor(clerk))
    do_approve_change(change.pk, actor=actor(approver))
    desk, boss = screens("story-clerk"), screens("story-approver")
    page = desk.login("clerk")
    boss.login("approver")

    page.keyboard.press("Alt+s")                                   # 住民検索
    page.wait_for_url("**/counter/search/")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'kana'")
    page.keyboard.type("ﾔﾏﾀﾞ ﾀﾛｳ")                                  # half-width kana
    page.keyboard.press("Enter")
    page.wait_for_selector("#result-table .result-link")
    desk.shot("search-half-width-kana")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=住民票照会")
    assert "山田 太郎" in page.inner_text("main") and "************" in page.inner_text("main")
    desk.shot("record")
    taro = Resident.objects.get(name="山田 太郎")

    page.get_by_role("link", name="出生").click()                  # 出生
    page.wait_for_selector("text=出生日")
    page.fill("#f-child-name", "山田 桜")
    page.fill("#f-child-name_kana", "ヤマダ サクラ")
    page.select_option("#f-child-sex", "2")
    page.fill("#f-child-relationship", "子")
    page.select_option("#f-child-domicile_status", "unknown")
    page.fill("#f-effective_on", "R6.8.10")
    page.fill("#f-notified_on", "R6.8.12")
    register_change(desk, "birth")
    approve_all(boss, "birth-approved")
    sakura = Resident.objects.get(name="山田 桜")
    assert sakura.household_number == taro.household_number and sakura.head_name == "山田 太郎"

    desk.go(f"/counter/residents/{taro.addressee_number}/")
    page.get_by_role("link", name="死亡").click()                  # 世帯主の死亡
    page.wait_for_selector("text=死亡日")
    page.fill("#f-effective_on", "R7.1.15")
    page.fill("#f-notified_on", "R7.1.16")
    page.keyboard.press("Alt+c")
    page.wait_for_selector("[role=alert]")                         # 2 remain: a new head must be named
    assert "世帯主" in page.inner_text("main")
    desk.shot("death-head-required")
    hanako = Resident.objects.get(name="山田 花子")
    ichiro = Resident.objects.get(name="山田 一郎")
    page.select_option("#f-new_head", hanako.addressee_number)
    page.fill(f"#f-remaining_relationships-{ichiro.addressee_number}", "子")
    page.fill(f"#f-remaining_relationships-{sakura.addressee_number}", "子")
    register_change(desk, "death")
    approve_all(boss, "death-approved")
    taro.refresh_from_db()
    hanako.refresh_from_db()
    assert taro.status == "removed" and taro.removal_reason == "death" and hanako.relationship == "世帯主"

    desk.go(f"/counter/residents/{ichiro.addressee_number}/history/")
    history = page.inner_text("main")
    assert "世帯主変更" in history and "国内転入" in history
    desk.shot("history")
    desk.go(f"/counter/residents/{taro.addressee_number}/as-of/?on=R7.1.14")
    assert "令和7年1月14日 時点" in page.inner_text("main") and "住民" in page.inner_text("main")
    desk.shot("as-of")
