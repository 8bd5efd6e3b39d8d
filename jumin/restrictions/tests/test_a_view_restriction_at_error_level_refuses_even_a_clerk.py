"""照会 抑止 (error) refuses the record to anyone, with the neutral message; alert level shows an alert."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.register import queries
from jumin.restrictions.queries import NEUTRAL_MESSAGE, Restricted

from .conftest import restriction, state


def test_a_clerk_is_refused_the_record_under_a_view_restriction(hanako, supervisor, clerk, api_as):
    restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error")
    before = state()
    response = api_as(clerk).get(f"/residents/{hanako.addressee_number}")
    assert response.status_code == 403 and response.json()["error"]["message"] == NEUTRAL_MESSAGE
    assert hanako.address not in response.content.decode()
    assert state() == before
    log = OperationLog.objects.get(function="record.view", username="clerk")
    assert log.outcome == "refused" and log.reason == "照会抑止（エラー）"


def test_a_household_restriction_covers_every_member(hanako, supervisor, clerk):
    restriction(supervisor, household_number=hanako.household_number, operation="view", level="error")
    with pytest.raises(Restricted):
        queries.get_record(hanako.addressee_number, actor=actor(clerk))
    rows = queries.get_household(hanako.household_number, actor=actor(clerk))["members"]
    assert all(r.get("restricted") for r in rows) and all("address" not in r for r in rows)


def test_an_alert_level_view_restriction_lets_the_clerk_read_with_an_alert(hanako, supervisor, clerk):
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="alert")
    record = queries.get_record(hanako.addressee_number, actor=actor(clerk))
    assert [a["code"] for a in record["alerts"]] == [f"restricted_view_{r.pk}"]
    assert OperationLog.objects.get(function="restriction.check").reason == "照会：照会抑止（アラート）"
