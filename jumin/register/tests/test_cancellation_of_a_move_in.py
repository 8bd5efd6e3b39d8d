"""A cancelled 転入 leaves the persons it created as 除票 with 消除事由 異動の取消し（減） (standard-spec §3.4)."""

from datetime import date

from conftest import actor, family_params
from jumin.register.actions import do_cancel_change, do_move_in
from jumin.register.models import Change, Resident, ResidentHistory
from jumin.register.queries import snapshot_as_of


def test_a_cancelled_move_in_leaves_removed_records(single_step, clerk):
    move_in = do_move_in(family_params(), actor=actor(clerk))
    head = Resident.objects.get(name="山田 太郎").addressee_number
    assert snapshot_as_of(head, date(2024, 4, 2)).status == "resident"

    cancellation = do_cancel_change({"change_id": move_in.pk, "reason": "二重に入力したため"}, actor=actor(clerk))

    people = list(Resident.objects.all())
    assert len(people) == 3
    assert {(p.status, p.removal_reason, str(p.removed_on)) for p in people} == {
        ("removed", "cancel_decrease", "2024-04-01")}
    assert {p.history_number for p in people} == {2}
    assert set(ResidentHistory.objects.filter(change=cancellation).values_list("reason_code", flat=True)) \
        == {"cancel_decrease"}
    assert snapshot_as_of(head, date(2024, 4, 2)).status == "removed"
    assert snapshot_as_of(head, date(2024, 3, 31)) is None
    assert Change.objects.get(pk=cancellation.pk).effective_on == date(2024, 4, 1)
