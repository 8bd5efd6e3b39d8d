"""Issue #15 item 8b: a 転居 notified five years before it happened was accepted. 転入・転居 are notified after
the move (住民基本台帳法 第22・23条: 「…をした日から14日以内」), 世帯変更 too (第25条), 出生・死亡 once they
happened; only 転出 is notified in advance (第24条) — and one notified more than 14 days ahead is an alert."""

import datetime

import pytest
from django.utils import timezone

from conftest import family_params, register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import RuleViolation
from jumin.register.rules import check_notified_not_before, is_early_move_out_notice


def assert_refused(response, before, function):
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == "notified_on" and error["code"] == "notified_before_event"
    assert "届出日（令和元年5月1日）" in error["message"]
    assert register_state() == before
    assert OperationLog.objects.filter(function=function, outcome=REFUSED, username="clerk").exists()


def test_a_relocation_notified_five_years_before_it_happened_is_refused(yamada, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/relocation", {
        "household_number": yamada["household"], "effective_on": "R6.5.1", "notified_on": "R1.5.1",
        "address": {"address": "宮城県仙台市若林区荒井東一丁目3番地"}})
    assert_refused(response, before, "change.relocation")


def test_a_move_in_notified_before_it_happened_is_refused(single_step, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", family_params(notified_on="R1.5.1"))
    assert_refused(response, before, "change.move_in")


def test_a_household_split_notified_before_it_happened_is_refused(yamada, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/household-split", {
        "household_number": yamada["household"], "effective_on": "R6.10.1", "notified_on": "R1.5.1",
        "members": [yamada["child"]], "relationships": {yamada["child"]: "世帯主"}})
    assert_refused(response, before, "change.household_split")


def test_a_viewer_may_not_relocate_even_with_sound_dates(yamada, viewer, api_as):
    before = register_state()
    response = api_as(viewer).post("/changes/relocation", {
        "household_number": yamada["household"], "effective_on": "R6.5.1", "notified_on": "R6.5.2",
        "address": {"address": "宮城県仙台市若林区荒井東一丁目3番地"}})
    assert response.status_code == 403 and register_state() == before


def test_a_move_out_may_be_notified_before_it_happens(yamada, clerk, api_as):
    today = timezone.localdate()
    body = {"household_number": yamada["household"], "notified_on": today.isoformat(),
            "effective_on": (today + datetime.timedelta(days=10)).isoformat(),
            "destination": {"address": "東京都港区芝公園四丁目2番8号"}}
    assert api_as(clerk).post("/changes/move-out", body).status_code == 201


def test_a_move_out_notified_more_than_14_days_ahead_is_an_alert(yamada, clerk, api_as):
    today = timezone.localdate()
    body = {"household_number": yamada["household"], "notified_on": today.isoformat(),
            "effective_on": (today + datetime.timedelta(days=60)).isoformat(),
            "destination": {"address": "東京都港区芝公園四丁目2番8号"}}
    before = register_state()
    asked = api_as(clerk).post("/changes/move-out", body)
    assert asked.status_code == 422 and asked.json()["error"]["code"] == "confirmation_required", asked.content
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.move_out", outcome=REFUSED).exists()
    confirmed = api_as(clerk).post("/changes/move-out", {**body, "acknowledged_alerts": ["early_move_out_notice"]})
    assert confirmed.status_code == 201, confirmed.content


def test_the_rule_refuses_only_a_notice_before_the_event():
    day = datetime.date(2024, 5, 1)
    check_notified_not_before(day, day)
    check_notified_not_before(day, day + datetime.timedelta(days=30))
    with pytest.raises(RuleViolation) as refusal:
        check_notified_not_before(day, day - datetime.timedelta(days=1), label="転居日")
    assert refusal.value.field == "notified_on" and "転居日（令和6年5月1日）" in refusal.value.message


def test_fourteen_days_ahead_is_usual_fifteen_is_not():
    notified = datetime.date(2024, 5, 1)
    assert not is_early_move_out_notice(notified + datetime.timedelta(days=14), notified)
    assert is_early_move_out_notice(notified + datetime.timedelta(days=15), notified)
