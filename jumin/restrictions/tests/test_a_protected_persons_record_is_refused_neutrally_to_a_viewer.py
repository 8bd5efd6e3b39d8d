"""The record screen's reads and the API: a viewer gets a neutral 403 that reveals nothing; the log has the
real reason. A clerk sees the record with the protection alert."""

from datetime import date

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.register import queries
from jumin.restrictions.queries import NEUTRAL_MESSAGE, Restricted


def test_the_api_read_by_a_viewer_is_a_neutral_403(protection, hanako, viewer, api_as):
    response = api_as(viewer).get(f"/residents/{hanako.addressee_number}")
    assert response.status_code == 403
    assert response.json()["error"] == {"code": "restricted", "message": NEUTRAL_MESSAGE, "field": None}
    text = response.content.decode()
    assert hanako.address not in text and "支援" not in text and "DV" not in text
    log = OperationLog.objects.get(function="record.view", username="viewer")
    assert log.outcome == "refused" and log.addressee_number == hanako.addressee_number
    assert "支援措置" in log.reason and log.detail["orders"] == [protection.pk]


@pytest.mark.parametrize("read", [
    lambda n, a: queries.get_record(n, actor=a),
    lambda n, a: queries.get_history(n, actor=a),
    lambda n, a: queries.get_record_as_of(n, date.today(), actor=a),
])
def test_every_record_read_refuses_a_viewer(protection, hanako, viewer, read):
    with pytest.raises(Restricted) as refused:
        read(hanako.addressee_number, actor(viewer))
    assert refused.value.message == NEUTRAL_MESSAGE
    assert OperationLog.objects.filter(username="viewer", outcome="refused",
                                       addressee_number=hanako.addressee_number).count() == 1


def test_a_clerk_reads_the_record_with_the_protection_alert(protection, hanako, clerk, api_as):
    record = api_as(clerk).get(f"/residents/{hanako.addressee_number}").json()
    assert record["address"] == hanako.address
    assert [a["code"] for a in record["alerts"]] == ["protected"]
    check = OperationLog.objects.get(function="restriction.check", username="clerk")
    assert check.outcome == "ok" and "支援措置対象者" in check.reason
    assert OperationLog.objects.filter(function="record.view", username="clerk", outcome="ok").exists()
