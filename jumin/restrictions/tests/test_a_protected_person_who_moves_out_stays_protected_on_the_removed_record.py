"""前住所 mode (standard-spec §3.4): when the protected person's 転出 is approved, the order is not ended — it
keeps covering her 除票, whose 転出先 is the address to protect. A third party's or the offender's certificate
request and a viewer's read of the 除票 are still refused neutrally and logged; the order's history records the
switch; cancelling the 転出 switches back. A draft 転出 changes nothing."""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.register import queries
from jumin.register.actions import do_approve_change, do_cancel_change, do_move_out
from jumin.register.models import Resident
from jumin.restrictions.queries import (NEUTRAL_CERTIFICATE_MESSAGE, NEUTRAL_MESSAGE, Restricted, get_protection,
                                        guard_certificate)

from .conftest import state

DESTINATION = "北海道札幌市中央区北1条西2丁目1番地"


@pytest.fixture
def moved_out(protection, hanako, municipality, clerk, approver):
    municipality.draft_required = True          # two-step: the 転出 is a draft until approved
    municipality.save()
    draft = do_move_out({"household_number": hanako.household_number, "members": [hanako.addressee_number],
                         "move_out_kind": "domestic", "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                         "destination": {"address": DESTINATION}}, actor=actor(clerk))
    assert [h.action for h in protection.history.order_by("pk")] == ["register"]    # a draft switches nothing
    do_approve_change(draft.pk, actor=actor(approver))
    hanako.refresh_from_db()
    assert hanako.status == "removed" and hanako.destination == DESTINATION
    return draft


def test_the_order_switches_to_former_address_mode_and_says_where_she_went(moved_out, protection, supervisor):
    order = get_protection(protection.pk, actor=actor(supervisor))
    assert order["status"] == "active" and order["address_mode"] == "former"
    assert order["moved_out"][0]["destination"] == DESTINATION and order["moved_out"][0]["removed_on"] == "2024-05-01"
    assert [h["action"] for h in order["history"]] == ["register", "moved_out"]
    assert order["history"][-1]["user"] == "" and order["history"][-1]["changes"][0]["label"].startswith("転出した対象者")
    log = OperationLog.objects.get(function="protection.address_mode")
    assert log.username == "system" and log.detail["moved_out"] == [protection.addressee_number]


@pytest.mark.parametrize("requester", [
    {"kind": "third_party", "name": "探偵 一郎"},
    {"kind": "agent", "name": "佐藤 健二", "birth_date": "1975-01-01"},          # the named offender
])
def test_a_certificate_of_the_removed_record_is_still_refused(moved_out, hanako, clerk, requester):
    before = state()
    with pytest.raises(Restricted) as refused:
        guard_certificate(actor(clerk), subject_numbers=[hanako.addressee_number], requester=requester,
                          function="certificate.issue")
    assert refused.value.message == NEUTRAL_CERTIFICATE_MESSAGE
    assert state() == before
    log = OperationLog.objects.get(function="certificate.issue")
    assert log.outcome == "refused" and log.addressee_number == hanako.addressee_number


def test_a_viewer_still_cannot_read_or_find_the_removed_record(moved_out, hanako, viewer, api_as):
    before = state()
    with pytest.raises(Restricted) as refused:
        queries.get_record(hanako.addressee_number, actor=actor(viewer))
    assert refused.value.message == NEUTRAL_MESSAGE
    response = api_as(viewer).get(f"/residents/{hanako.addressee_number}")
    assert response.status_code == 403 and DESTINATION not in response.content.decode()
    found = api_as(viewer).get("/search", kana="ヤマダ ハナコ", include_removed=True).json()
    assert hanako.addressee_number not in [r["addressee_number"] for r in found["results"]]
    assert state() == before
    assert OperationLog.objects.filter(function="record.view", username="viewer", outcome="refused").count() == 2


def test_the_clerk_sees_the_protection_on_the_removed_record(moved_out, hanako, clerk):
    record = queries.get_record(hanako.addressee_number, actor=actor(clerk))
    assert record["status"] == "removed" and "protected" in [a["code"] for a in record["alerts"]]


def test_cancelling_the_move_out_switches_back(moved_out, protection, hanako, clerk, approver, supervisor):
    cancellation = do_cancel_change({"change_id": moved_out.pk, "reason": "転出届の取下げ"}, actor=actor(clerk))
    if cancellation.status == "draft":
        do_approve_change(cancellation.pk, actor=actor(approver))
    assert Resident.objects.get(pk=hanako.pk).status == "resident"
    order = get_protection(protection.pk, actor=actor(supervisor))
    assert order["address_mode"] == "current" and order["moved_out"] == []
    assert [h["action"] for h in order["history"]] == ["register", "moved_out", "moved_back"]
