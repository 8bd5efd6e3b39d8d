"""Issue #6 "done when", in Debian chromium: the supervisor finds a resident, registers a 支援措置 for her from the
screens (offender with a 和暦 birth date), and then a certificate request by the named offender is refused by
guard_certificate with the neutral message and an operation-log row. Screenshots in test-artifacts/screens/."""

import re

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.restrictions import models as m
from jumin.restrictions.queries import NEUTRAL_CERTIFICATE_MESSAGE, Restricted, guard_certificate

from .conftest import state

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_supervisor_registers_a_protection_and_the_offender_is_refused(hanako, supervisor, clerk, screens):
    desk = screens("supervisor-protection")
    page = desk.login("supervisor")
    page.get_by_role("link", name="住民検索").click()
    page.locator("#f-kana").fill("ヤマダ ハナコ")
    page.keyboard.press("Enter")
    page.locator(f"#result-table a:text-is('{hanako.addressee_number}')").click()
    page.wait_for_url(f"**/counter/residents/{hanako.addressee_number}/")
    page.get_by_role("link", name=re.compile("支援措置を登録")).click()
    page.wait_for_url("**/restrictions/protections/new/?person=*")
    assert "山田 花子" in page.inner_text("main")

    page.locator("#f-kind").select_option("dv")
    page.locator("#f-offenders-0-name").fill("佐藤 健二")
    page.locator("#f-offenders-0-name_kana").fill("サトウ ケンジ")
    page.locator("#f-offenders-0-birth_date").fill("S50.1.1")
    page.locator("#f-offenders-0-birth_date").dispatch_event("change")
    page.wait_for_selector("#f-offenders-0-birth_date-check .ok")           # the instant 和暦 check beside it
    assert page.inner_text("#f-offenders-0-birth_date-check") == "昭和50年1月1日"
    page.locator("#f-offenders-0-sex").select_option("1")
    page.locator("#f-offenders-0-address").fill("東京都千代田区千代田2番2号")
    desk.shot("form")
    page.get_by_role("button", name=re.compile("登録")).click()
    page.wait_for_url(re.compile(r".*/restrictions/protections/\d+/$"))
    main = page.inner_text("main")
    assert "佐藤 健二" in main and "昭和50年1月1日" in main and "支援措置を登録しました" in page.content()
    desk.shot("detail")
    order = m.ProtectionOrder.objects.get()
    assert order.addressee_number == hanako.addressee_number and order.copies
    page.get_by_role("link", name="支援措置", exact=True).click()              # the supervisor's menu
    page.wait_for_url("**/restrictions/protections/")
    assert f"/restrictions/protections/{order.pk}/" in page.content()
    desk.shot("list")

    before = state()
    with pytest.raises(Restricted) as refused:
        guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number],
                          requester={"kind": "household", "name": "佐藤健二", "birth_date": "1975-01-01"})
    assert refused.value.message == NEUTRAL_CERTIFICATE_MESSAGE
    assert "支援" not in refused.value.message and "加害" not in refused.value.message and "山田" not in refused.value.message
    assert state() == before
    log = OperationLog.objects.get(function="certificate.issue")
    assert (log.outcome, log.username, log.addressee_number, log.reason) == (
        "refused", "clerk", hanako.addressee_number, "支援措置の加害者からの請求")
    assert log.detail["orders"] == [order.pk]
