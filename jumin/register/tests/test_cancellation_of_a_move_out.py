"""A cancelled 転出 puts the persons back in their household, with the same 世帯主 (standard-spec §3.4)."""

from datetime import date

from conftest import actor
from jumin.register.actions import do_cancel_change, do_move_out
from jumin.register.models import Resident, ResidentHistory
from jumin.register.queries import snapshot_as_of


def move_out(household, **overrides):
    params = {"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
              "destination": {"address": "東京都港区芝公園4丁目2番8号"}}
    params.update(overrides)
    return params


def state():
    return sorted(Resident.objects.values_list("addressee_number", "status", "household_number", "relationship",
                                               "head_name", "household_order", "removal_reason", "destination"))


def test_a_cancelled_whole_household_move_out_brings_the_family_back(family, clerk):
    household = family["households"][0]
    before = state()
    change = do_move_out(move_out(household), actor=actor(clerk))
    assert set(Resident.objects.values_list("status", flat=True)) == {"removed"}
    head = Resident.objects.get(name="山田 太郎").addressee_number
    assert snapshot_as_of(head, date(2024, 5, 10)).status == "removed"

    cancellation = do_cancel_change({"change_id": change.pk, "reason": "転出届の取下げ"}, actor=actor(clerk))

    assert state() == before
    assert set(ResidentHistory.objects.filter(change=cancellation).values_list("reason_code", flat=True)) \
        == {"cancel_increase"}
    assert Resident.objects.get(name="山田 花子").history_number == 3
    assert snapshot_as_of(head, date(2024, 5, 10)).status == "resident"
    assert snapshot_as_of(head, date(2024, 5, 10)).reason_code == "cancel_increase"


def test_a_cancelled_move_out_of_the_head_restores_the_head(family, clerk):
    household = family["households"][0]
    head, wife, child = (Resident.objects.get(name=n) for n in ("山田 太郎", "山田 花子", "山田 一郎"))
    before = state()
    change = do_move_out(move_out(household, members=[head.addressee_number], new_head=wife.addressee_number,
                                  remaining_relationships={child.addressee_number: "子"}), actor=actor(clerk))
    assert Resident.objects.get(pk=wife.pk).relationship == "世帯主"

    cancellation = do_cancel_change({"change_id": change.pk, "reason": "転出届の取下げ"}, actor=actor(clerk))

    assert state() == before
    reasons = dict(ResidentHistory.objects.filter(change=cancellation).values_list("addressee_number", "reason_code"))
    assert reasons == {head.addressee_number: "cancel_increase", wife.addressee_number: "cancel_correction",
                       child.addressee_number: "cancel_correction"}
    assert {r.head_name for r in Resident.objects.all()} == {"山田 太郎"}
