"""axe-core finds no WCAG 2.1 A/AA violation on the screens a clerk, a supervisor and an administrator use
(JIS X 8341-3:2016 = WCAG 2.0 AA; issue #15 counted 0 on 10 screens by hand — this keeps it so). Each screen
is checked as served, under its Content-Security-Policy, in the state a user sees it: search empty and with
results, the 転入 form empty and after a refused submit, a draft, an issuance, a locked name.
axe-core comes from `make axe` (var/reference/axe/, MPL-2.0). Debian chromium at 1366×768."""

import pytest

from conftest import actor, axe_report as report, check_axe as check
from jumin.accounts.tests.login_helpers import attempt
from jumin.certificates.tests.conftest import config, issue, mayor, request_for, yamada  # noqa: F401 (fixtures)
from jumin.register.actions import do_relocate
from jumin.restrictions.tests.conftest import hanako, protection, supervisor  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

# Swagger UI's own markup and stylesheet (django-ninja's vendored page, not our templates): its <html> has no
# lang, its method badges are white on light colours, and each operation's summary button holds another button.
# Only these, and only on /api/docs; anything else there still fails.
SWAGGER_UI_OWN = ("html-has-lang", "color-contrast", "nested-interactive")


def test_the_clerks_screens_have_no_violation(yamada, municipality, clerk, screens):  # noqa: F811
    head = yamada["head"].addressee_number
    issue(clerk, request_for(yamada["head"]))                       # a row in 交付履歴
    from jumin.addressees.actions import do_register_non_resident
    from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner

    owner = do_register_non_resident(landowner(name="山田 次郎", name_kana="ヤマダ ジロウ"), actor=actor(clerk),
                                     business=PROPERTY_TAX).addressee_number      # a 住登外者 (issue #17)
    found = {}
    desk = screens("axe-clerk")
    page = desk.go("/login/")
    check(desk, "login", "ログイン", found)
    desk.login("clerk")
    check(desk, "home", "ようこそ", found)
    for label, path, heading in [
            ("search-empty", "/counter/search/", "住民検索"),
            ("search-results", "/counter/search/?kana=ヤマダ", "住民検索"),
            ("search-non-residents", "/counter/search/?kana=ヤマダ&include_non_residents=on", "住民検索"),
            ("non-resident", f"/counter/addressees/{owner}/", "住登外者照会"),
            ("record", f"/counter/residents/{head}/", "住民票照会"),
            ("history", f"/counter/residents/{head}/history/", "異動履歴"),
            ("as-of-form", f"/counter/residents/{head}/as-of/", "指定日時点"),
            ("as-of", f"/counter/residents/{head}/as-of/?on=R6.4.2", "指定日時点"),
            ("certificate-form", f"/certificates/new/?person={head}", "証明書の交付請求"),
            ("issuances", "/certificates/issuances/", "交付履歴"),
            ("seal-form", f"/seals/register/?person={head}", "印鑑登録の申請")]:
        desk.go(path)
        check(desk, label, heading, found)
    assert page.locator("text=山田 太郎").count() >= 1                 # the seal form is for the person

    # 住登外者の登録 by keyboard (issue #17): the form, Alt+C to the 確認画面 with its candidates, Alt+R to register
    desk.go("/counter/addressees/new/")
    check(desk, "non-resident-form", "住登外者の登録", found)
    page.select_option("#f-kind", "taxpayer")
    page.fill("#f-name", "佐藤 一郎")
    page.fill("#f-birth_date", "S45.1.1")
    page.select_option("#f-sex", "1")
    page.fill("#f-address-address", "東京都港区芝公園4丁目2番8号")
    page.select_option("#f-business", "012")
    page.keyboard.press("Alt+c")
    page.wait_for_selector("text=確認画面")
    check(desk, "non-resident-confirm", "確認画面", found)
    page.keyboard.press("Alt+r")
    page.wait_for_selector("h1:has-text('住登外者照会')")
    assert page.locator("text=佐藤 一郎").count() >= 1

    desk.go("/counter/changes/move_in/")
    check(desk, "move-in-empty", "転入", found)
    page.keyboard.press("Alt+c")                                   # 確認へ with nothing typed: refused
    page.wait_for_selector("[data-error-summary]")
    check(desk, "move-in-refused", "転入", found)

    desk.go(f"/counter/changes/relocation/?household={yamada['household']}")
    page.fill("#f-effective_on", "R6.5.1")
    page.fill("#f-address-address", "宮城県仙台市泉区泉中央一丁目1番1号")
    page.keyboard.press("Alt+c")
    page.wait_for_selector("text=確認画面")
    check(desk, "confirmation", "確認画面", found)
    page.get_by_role("button", name="登録").first.click()
    page.wait_for_selector("text=受付票")
    check(desk, "receipt", "受付票", found)

    municipality.draft_required = True                              # the next change waits as a 仮登録
    municipality.save()
    draft = do_relocate({"household_number": yamada["household"], "effective_on": "R6.6.1", "notified_on": "R6.6.1",
                         "address": {"address": "宮城県仙台市宮城野区榴岡一丁目1番1号"}}, actor=actor(clerk))
    desk.go("/counter/drafts/")
    check(desk, "drafts", "仮登録一覧", found)
    desk.go(f"/counter/drafts/{draft.pk}/")
    check(desk, "draft-detail", "仮登録の内容", found)
    assert found == {}, report(found)


def test_the_supervisors_protection_screens_have_no_violation(protection, supervisor, screens):  # noqa: F811
    found = {}
    desk = screens("axe-supervisor")
    desk.login("supervisor")
    check(desk, "supervisor-home", "ようこそ", found)                # the supervisor's own menu
    desk.go("/restrictions/protections/")
    check(desk, "protections", "支援措置", found)
    assert desk.page.locator("text=山田 花子").count() >= 1
    desk.go(f"/restrictions/protections/{protection.pk}/")
    check(desk, "protection-detail", f"支援措置 ID {protection.pk}", found)
    assert found == {}, report(found)


def test_the_administrators_locked_names_and_the_api_docs_have_no_violation(clerk, admin_user, screens):
    for _ in range(5):
        attempt("clerk", "wrong")                                  # a locked name to list
    found = {}
    desk = screens("axe-admin")
    desk.login("admin")
    check(desk, "admin-home", "ようこそ", found)                     # the administrator's own menu
    desk.go("/accounts/locked/")
    check(desk, "locked-users", "ロック中の利用者名", found)
    assert desk.page.locator("td", has_text="clerk").count() >= 1
    desk.go("/api/docs")
    desk.page.locator(".opblock").first.wait_for()
    check(desk, "api-docs", None, found, disable=SWAGGER_UI_OWN)
    assert found == {}, report(found)
