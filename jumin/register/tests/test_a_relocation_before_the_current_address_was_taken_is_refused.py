"""Issue #15 item 8d: a 転居 dated before the person's current 住所を定めた年月日 passed with only the 14-day
warning. Nobody leaves an address before settling there: it is refused, naming 異動日 (the field to fix); the
same for a 転出."""

import datetime

import pytest

from conftest import register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import RuleViolation
from jumin.register.models import Resident
from jumin.register.rules import check_not_before_address_since

NEW_ADDRESS = {"address": "宮城県仙台市若林区荒井東一丁目3番地"}


def test_a_relocation_dated_before_the_move_in_is_refused(yamada, clerk, api_as):
    # The family moved in on 令和6年4月1日 (conftest.family_params).
    before = register_state()
    response = api_as(clerk).post("/changes/relocation", {
        "household_number": yamada["household"], "effective_on": "R6.3.1", "notified_on": "R6.3.5",
        "address": NEW_ADDRESS})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == "effective_on" and error["code"] == "before_address_since"
    assert "山田 太郎さん" in error["message"] and "令和6年4月1日" in error["message"]
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.relocation", outcome=REFUSED, username="clerk").exists()


def test_a_move_out_dated_before_the_move_in_is_refused(yamada, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/move-out", {
        "household_number": yamada["household"], "effective_on": "R6.3.1", "notified_on": "R6.3.1",
        "ex_officio": True, "reason": "実態調査", "destination": {"address": "東京都港区"}})
    assert response.status_code == 422 and response.json()["error"]["code"] == "before_address_since"
    assert register_state() == before


def test_a_relocation_on_the_day_after_is_accepted(yamada, clerk, api_as):
    response = api_as(clerk).post("/changes/relocation", {
        "household_number": yamada["household"], "effective_on": "R6.4.2", "notified_on": "R6.4.2",
        "address": NEW_ADDRESS})
    assert response.status_code == 201, response.content
    assert str(Resident.objects.get(addressee_number=yamada["head"]).address_since) == "2024-04-02"


def test_a_viewer_may_not_relocate(yamada, viewer, api_as):
    before = register_state()
    response = api_as(viewer).post("/changes/relocation", {
        "household_number": yamada["household"], "effective_on": "R6.4.2", "address": NEW_ADDRESS})
    assert response.status_code == 403 and register_state() == before


def test_the_rule_allows_the_same_day_and_an_unknown_date():
    since = datetime.date(2024, 4, 1)
    check_not_before_address_since(since, since, whose="山田さん")
    check_not_before_address_since(datetime.date(1990, 1, 1), None, whose="山田さん")
    with pytest.raises(RuleViolation) as refusal:
        check_not_before_address_since(since - datetime.timedelta(days=1), since, whose="山田さん", label="転居日")
    assert refusal.value.field == "effective_on" and refusal.value.message.startswith("転居日（令和6年3月31日）")
