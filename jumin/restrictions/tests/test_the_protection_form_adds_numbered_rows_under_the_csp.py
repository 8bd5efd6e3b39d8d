"""Issue #15 item 6: under the CSP (no 'unsafe-eval') the 支援措置 form's 「加害者を追加」 and
「併せて支援を求める者を追加」 still number each new row after the rows already there (restrictions/rows.js; the old
hx-vals='js:…' was eval'd by htmx, which the CSP forbids, and every added row came back as row 1)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_added_rows_get_the_next_index_each_time(hanako, supervisor, screens):
    desk = screens("protection-rows")
    page = desk.login("supervisor")
    desk.go(f"/restrictions/protections/new/?person={hanako.addressee_number}")

    for expected in (1, 2):
        page.get_by_role("button", name="加害者を追加").click()
        page.locator(f"#f-offenders-{expected}-name").wait_for()
    page.get_by_role("button", name="併せて支援を求める者を追加").click()
    page.locator("#persons fieldset.member").last.wait_for()

    assert page.locator("#offenders fieldset.member").count() == 3
    names = page.eval_on_selector_all("#offenders input[name$='.name']", "els => els.map(e => e.name)")
    assert names == ["offenders[0].name", "offenders[1].name", "offenders[2].name"]
    persons = page.eval_on_selector_all("#persons fieldset.member input[name$='.name']", "els => els.map(e => e.name)")
    assert len(set(persons)) == len(persons)
