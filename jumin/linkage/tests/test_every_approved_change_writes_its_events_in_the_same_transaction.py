"""The outbox (issue #18 item 1): an approved 転入 writes one event per person, a 職権修正 and its 取消 each write
theirs, with the items before and after by the data dictionary's names, the 異動事由, the operator and a number in
a gap-free sequence per municipality. A draft writes nothing until it is approved; a change rolled back — refused
after it was written, or failing in its transaction — leaves no event and no gap."""

import pytest
from django.db import transaction

from conftest import actor, family_params
from jumin.core.models import NumberSequence
from jumin.linkage.actions import series
from jumin.linkage.models import LinkageEvent
from jumin.register.actions import do_approve_change, do_cancel_change, do_correct_record, do_move_in, do_relocate
from jumin.register.models import Resident


def _events():
    return list(LinkageEvent.objects.order_by("seq"))


def test_a_move_in_a_correction_and_its_cancellation(single_step, clerk):
    move_in = do_move_in(family_params(), actor=actor(clerk))
    events = _events()
    assert [e.seq for e in events] == [1, 2, 3]
    assert {e.addressee_number for e in events} == set(move_in.result["created"])
    taro = next(e for e in events if e.after["name"] == "山田 太郎")
    assert taro.before is None and taro.reason_code == "move_in_domestic" and taro.change_id == move_in.pk
    assert taro.after["birth_date"] == "1980-05-05" and taro.after["individual_number"] == "123456789018"
    assert taro.operator == "clerk" and taro.municipality == single_step.code

    head = Resident.objects.get(name="山田 太郎")
    correction = do_correct_record({"addressee_number": head.addressee_number, "correction_kind": "ex_officio_correction",
                                    "effective_on": "R6.6.3", "reason": "本籍地からの通知",
                                    "items": {"name": "山田 太朗"}}, actor=actor(clerk))
    fixed = [e for e in _events() if e.change_id == correction.pk]
    mine = next(e for e in fixed if e.addressee_number == head.addressee_number)
    assert mine.before["name"] == "山田 太郎" and mine.after["name"] == "山田 太朗"
    assert len(fixed) == 3          # the household's 世帯主氏名 follows for the other two members
    do_cancel_change({"change_id": correction.pk, "reason": "取り違え"}, actor=actor(clerk))
    last = _events()[-3:]
    assert {e.reason_code for e in last if e.addressee_number == head.addressee_number} == {"cancel_correction"}
    assert [e.seq for e in _events()] == list(range(1, 10))
    assert NumberSequence.objects.get(name=series(single_step.code)).last_body == 9


def test_a_draft_writes_nothing_until_it_is_approved(municipality, clerk, approver):
    draft = do_move_in(family_params(), actor=actor(clerk))
    assert draft.status == "draft" and not LinkageEvent.objects.exists()
    do_approve_change(draft.pk, actor=actor(approver))
    assert [e.seq for e in _events()] == [1, 2, 3] and all(e.operator == "approver" for e in _events())


def test_a_rolled_back_change_leaves_no_event_and_no_gap(family, clerk):
    household = Resident.objects.get(name="山田 太郎").household_number
    counter = NumberSequence.objects.filter(name__startswith="linkage:")
    before = counter.get().last_body
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                         "address": {"postcode": "9813204", "address": "宮城県仙台市泉区寺岡一丁目1番1号"}},
                        actor=actor(clerk))
            raise RuntimeError("the database went away after the change was written")
    assert counter.get().last_body == before and LinkageEvent.objects.count() == before
    do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "address": {"postcode": "9813204", "address": "宮城県仙台市泉区寺岡一丁目1番1号"}}, actor=actor(clerk))
    assert [e.seq for e in _events()] == list(range(1, before + 4))
    moved = _events()[-1]
    assert moved.before["address"] == "宮城県仙台市青葉区一番町四丁目7番17号"
    assert moved.after["address"] == "宮城県仙台市泉区寺岡一丁目1番1号" and moved.reason_code == "relocation"


def test_a_refused_change_writes_no_event(family, clerk):
    from jumin.core.errors import RuleViolation

    count = LinkageEvent.objects.count()
    with pytest.raises(RuleViolation):
        do_move_in(family_params(), actor=actor(clerk))          # the same family again: already residents
    assert LinkageEvent.objects.count() == count
