"""基本4情報等の変更 and 使用停止 (共通機能 §2.3.2): each writes one more full snapshot and never overwrites one; the
record reads as it was on any day; a stale 版 is a conflict; a retired number is never changed again."""

from datetime import date, timedelta

import pytest

from conftest import actor
from jumin.addressees import rules
from jumin.addressees.actions import CHANGE, RETIRE, do_change_non_resident, do_register_non_resident, \
    do_retire_non_resident
from jumin.addressees.models import NonResidentHistory
from jumin.addressees.queries import get_non_resident, snapshot_as_of
from jumin.addressees.tests.conftest import PROPERTY_TAX, landowner, refusals, state
from jumin.core.errors import ConflictError, PermissionDenied, RuleViolation


@pytest.fixture
def owner(db, clerk):
    return do_register_non_resident(landowner(), actor=actor(clerk), business=PROPERTY_TAX)


def test_a_move_within_tokyo_is_a_second_snapshot(owner, clerk):
    number = owner.addressee_number
    changed = do_change_non_resident(number, {"address": {"kind": "domestic", "postcode": "1500001",
                                                          "address": "東京都渋谷区神宮前一丁目1番1号"}},
                                     actor=actor(clerk), version=1, reason="転居の申出")
    assert (changed.history_number, changed.version, changed.address) == (2, 2, "東京都渋谷区神宮前一丁目1番1号")
    assert changed.address_supplement == ""                       # the whole address block was replaced
    first, second = NonResidentHistory.objects.filter(addressee_number=number).order_by("history_number")
    assert first.address == "東京都新宿区西新宿二丁目8番1号" and second.address == changed.address
    assert second.reason_code == rules.CHANGED and second.reason == "転居の申出"
    assert snapshot_as_of(number, date.today()).history_number == 2
    assert snapshot_as_of(number, date.today() - timedelta(days=1)) is None    # registered today


def test_a_retired_number_keeps_its_history_and_is_not_changed_again(owner, clerk):
    number = owner.addressee_number
    do_retire_non_resident(number, actor=actor(clerk), reason="納税義務の消滅")
    before = state()
    with pytest.raises(RuleViolation, match="使用停止"):
        do_change_non_resident(number, {"name_kana": "ヤマダ タロ"}, actor=actor(clerk))
    assert state() == before and refusals(CHANGE)
    record = get_non_resident(number, actor=actor(clerk))
    assert record["state"] == rules.RETIRED and [h["history_number"] for h in record["history"]] == [2, 1]


def test_a_stale_version_is_a_conflict_and_writes_nothing(owner, clerk):
    do_change_non_resident(owner.addressee_number, {"contact": "03-0000-0000"}, actor=actor(clerk), version=1)
    before = state()
    with pytest.raises(ConflictError):
        do_change_non_resident(owner.addressee_number, {"contact": "03-1111-1111"}, actor=actor(clerk), version=1)
    assert state() == before and refusals(CHANGE)


def test_a_viewer_may_read_but_not_change_or_retire(owner, viewer):
    assert get_non_resident(owner.addressee_number, actor=actor(viewer))["individual_number"] == "************"
    before = state()
    with pytest.raises(PermissionDenied):
        do_change_non_resident(owner.addressee_number, {"contact": "x"}, actor=actor(viewer))
    with pytest.raises(PermissionDenied):
        do_retire_non_resident(owner.addressee_number, actor=actor(viewer), reason="x")
    assert state() == before and refusals(CHANGE) and refusals(RETIRE)


def test_the_individual_number_is_shown_only_when_asked_by_a_role_that_may(owner, clerk, viewer):
    assert get_non_resident(owner.addressee_number, actor=actor(clerk),
                            show_individual_number=True)["individual_number"] == "234567890121"
    with pytest.raises(PermissionDenied):
        get_non_resident(owner.addressee_number, actor=actor(viewer), show_individual_number=True)
