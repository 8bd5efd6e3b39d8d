"""register.rules.in_force: among one person's snapshots in history order, the one in force on a day counts from
the latest 異動日 seen so far — a back-dated correction never counts from before the change recorded ahead of it."""

from datetime import date
from types import SimpleNamespace as S

from jumin.register.rules import in_force

MOVE_IN, RELOCATION, BACKDATED_CORRECTION = S(effective_on=date(2020, 4, 1)), S(effective_on=date(2024, 5, 1)), \
    S(effective_on=date(2022, 1, 1))
HISTORY = [MOVE_IN, RELOCATION, BACKDATED_CORRECTION]


def test_before_the_first_snapshot_nothing_is_in_force():
    assert in_force(HISTORY, date(2020, 3, 31)) is None
    assert in_force([], date(2026, 1, 1)) is None


def test_a_back_dated_correction_counts_from_the_later_change():
    assert in_force(HISTORY, date(2023, 1, 1)) is MOVE_IN          # not the correction dated 2022
    assert in_force(HISTORY, date(2024, 5, 1)) is BACKDATED_CORRECTION
