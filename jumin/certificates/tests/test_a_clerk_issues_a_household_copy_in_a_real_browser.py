"""Issue #5's browser test: a clerk sets the terminal, finds 山田 太郎 by half-width kana, opens the 交付請求 from
the 住民票照会 (Alt+I), issues a 世帯連記式 住民票の写し by keyboard (Alt+R) and lands on 交付完了; the PDF behind
the link carries the name, the address with 方書, the 和暦 birth date, the 発行番号 and the 認証文 (pdftotext).
Debian chromium at 1366×768; screenshots of the form and the page in test-artifacts/screens/."""

import re

import pytest

from jumin.certificates.models import Issuance
from jumin.certificates.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


def test_a_clerk_issues_a_household_copy_and_prints_the_pdf(yamada, clerk, screens):
    desk = screens("certificate")
    page = desk.login("clerk")
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    keys = page.keyboard
    page.locator("#terminal").focus()                                  # この端末 (home page)
    keys.type("本庁1")
    keys.press("Enter")
    page.wait_for_selector("text=端末: 本庁1")

    keys.press("Alt+s")                                                # 住民検索
    page.wait_for_url("**/counter/search/")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'kana'")
    keys.type("ﾔﾏﾀﾞ ﾀﾛｳ")
    keys.press("Enter")
    page.wait_for_selector("#result-table .result-link")
    keys.press("ArrowDown")
    keys.press("Enter")
    page.wait_for_selector("text=住民票照会")

    keys.press("Alt+i")                                                # 証明書交付
    page.wait_for_url(f"**/certificates/new/?person={yamada['head'].addressee_number}")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'f-kind'")
    assert page.evaluate("[...document.querySelectorAll('input[name=subjects]')].map(b => b.checked)") == \
        [True, True, True]                                             # 世帯連記式: the whole household
    assert page.input_value("#f-requester-name") == "山田 太郎"         # 本人, prefilled
    assert page.evaluate(UNLABELLED) == []                              # every input has its label
    assert page.inner_text("#fee") == "300円"
    for _ in range(30):                                                # Tab to 本人確認
        if page.evaluate("document.activeElement.id") == "f-identity_check":
            break
        keys.press("Tab")
    keys.press("ArrowDown")                                            # 個人番号カード
    assert page.input_value("#f-identity_check") == "my_number_card"
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-purpose"
    keys.type("児童手当の申請")
    desk.shot("issue-form")
    keys.press("Alt+r")                                                # 交付
    page.wait_for_url(re.compile(r".*/certificates/issuances/\d+/\?issued=1$"))
    page.wait_for_selector("text=交付完了")

    issuance = Issuance.objects.get()
    main = page.inner_text("main")
    assert issuance.verification_code in main and issuance.issue_numbers[0] in main
    assert "山田 太郎（宛名番号" in main and "300円" in main
    desk.shot("issued")

    href = page.get_attribute("#pdf-link", "href")
    response = page.request.get(desk.base_url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    text = pdf_text(response.body())
    assert "住民票の写し（世帯連記式）" in text
    assert text.index("山田 太郎") < text.index("山田 花子") < text.index("山田 一郎")
    assert "宮城県仙台市青葉区一番町四丁目7番17号 一番町ハイツ301" in text
    assert "昭和55年5月5日" in text
    assert re.fullmatch(r"\d{8} 仙台市 本庁1 プリンタ001 001 1/1", issuance.issue_numbers[0])
    assert issuance.issue_numbers[0] in text
    assert "この写しは、世帯全員の住民票の原本と相違ないことを証明する。" in text
    assert issuance.purpose == "児童手当の申請" and issuance.identity_check == "my_number_card"
    assert script_errors == []
