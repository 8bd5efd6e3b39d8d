"""Issue #15 item 8f: a 生年月日 making the person 129 was accepted without question. 120 or more on the 異動日
(older than anyone Japan has recorded, 119) is an alert the clerk must acknowledge — not a refusal, since very
old persons exist, but the usual cause is a typing error or a 所在不明高齢者. A 生年月日 after the 転入日 is
refused: that person is born later, by 出生."""

import datetime

import pytest

from conftest import family_params, register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.register.models import Resident
from jumin.register.rules import IMPLAUSIBLE_AGE, age_on, is_implausibly_old


def with_birth(birth_date):
    params = family_params()
    params["members"][0]["birth_date"] = birth_date
    return params


def test_a_129_year_old_needs_confirmation_then_is_recorded(single_step, clerk, api_as):
    params = with_birth("明治28年3月1日")   # 129 on 令和6年4月1日
    before = register_state()
    asked = api_as(clerk).post("/changes/move-in", params)
    assert asked.status_code == 422, asked.content
    error = asked.json()["error"]
    assert error["code"] == "confirmation_required"
    alert = next(a for a in error["alerts"] if a["code"] == "implausible_age:members[0]")
    assert "129歳" in alert["message"] and alert["field"] == "members[0].birth_date"
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.move_in", outcome=REFUSED, username="clerk").exists()
    confirmed = api_as(clerk).post("/changes/move-in", {**params, "acknowledged_alerts": [alert["code"]]})
    assert confirmed.status_code == 201, confirmed.content
    assert Resident.objects.get(name="山田 太郎").birth_date == datetime.date(1895, 3, 1)


def test_a_birth_date_after_the_move_in_is_refused(single_step, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", with_birth("R6.5.1"))   # 転入 on 令和6年4月1日
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "members[0].birth_date" and error["code"] == "born_after_change"
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.move_in", outcome=REFUSED).exists()


def test_a_birth_date_in_the_future_is_still_refused(single_step, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", with_birth("2099-01-01"))
    assert response.status_code == 422 and "未来" in response.json()["error"]["message"]
    assert register_state() == before


def test_a_viewer_may_not_enter_the_person_even_when_confirmed(single_step, viewer, api_as):
    before = register_state()
    response = api_as(viewer).post("/changes/move-in", {**with_birth("明治28年3月1日"),
                                                          "acknowledged_alerts": ["implausible_age:members[0]"]})
    assert response.status_code == 403 and register_state() == before


@pytest.mark.parametrize("birth,on,age", [
    (datetime.date(1904, 4, 2), datetime.date(2024, 4, 1), 119),
    (datetime.date(1904, 4, 1), datetime.date(2024, 4, 1), 120),
    (datetime.date(2000, 2, 29), datetime.date(2001, 2, 28), 0),
    (datetime.date(2000, 2, 29), datetime.date(2001, 3, 1), 1),
])
def test_age_counts_completed_years(birth, on, age):
    assert age_on(birth, on) == age
    assert is_implausibly_old(birth, on) is (age >= IMPLAUSIBLE_AGE)


def test_an_unknown_birth_date_is_not_an_alert():
    assert is_implausibly_old(None, datetime.date(2024, 4, 1)) is False
