"""異動 抑止: error refuses a 転居 with nothing written; alert asks for confirmation (ConfirmationRequired)
and passes once acknowledged."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_relocate
from jumin.register.actions.base import ConfirmationRequired

from .conftest import restriction, state


def relocation(household_number):
    return {"household_number": household_number, "effective_on": "R6.5.1", "notified_on": "R6.5.2",
            "address": {"postcode": "9800021", "address_code": "04101002001",
                        "address": "宮城県仙台市青葉区中央一丁目1番1号", "address_supplement": ""}}


def test_an_error_restriction_refuses_the_relocation(hanako, supervisor, clerk):
    restriction(supervisor, addressee_number=hanako.addressee_number, operation="change", level="error")
    before = state()
    with pytest.raises(RuleViolation) as refused:
        do_relocate(relocation(hanako.household_number), actor=actor(clerk))
    assert refused.value.code == "restricted" and not isinstance(refused.value, ConfirmationRequired)
    assert state() == before
    log = OperationLog.objects.get(function="change.relocation", outcome="refused")
    assert "抑止" in log.reason


def test_an_alert_restriction_asks_for_confirmation_then_proceeds(hanako, supervisor, clerk, api_as):
    r = restriction(supervisor, household_number=hanako.household_number, operation="change", level="alert")
    before = state()
    response = api_as(clerk).post("/changes/relocation", relocation(hanako.household_number))
    assert response.status_code == 422, response.content
    body = response.json()["error"]
    assert body["code"] == "confirmation_required"
    assert [a["code"] for a in body["alerts"]] == [f"restricted_change_{r.pk}"]
    assert state() == before
    assert OperationLog.objects.get(function="change.relocation", outcome="refused")
    params = relocation(hanako.household_number) | {"acknowledged_alerts": [f"restricted_change_{r.pk}"]}
    assert api_as(clerk).post("/changes/relocation", params).status_code == 201
    checks = OperationLog.objects.filter(function="restriction.check")
    assert checks.count() == 3 and all(c.detail["restrictions"] == [r.pk] for c in checks)   # one row a member
