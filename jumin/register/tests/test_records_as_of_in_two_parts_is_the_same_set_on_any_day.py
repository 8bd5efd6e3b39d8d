"""`records_as_of_parts(day)` — the current records of the persons unchanged since the day, plus the history of the
others — is exactly `records_as_of(day)`, the window over every snapshot (the rule of snapshot_as_of), on days
before, between and after the changes: including a 転出 entered before its day (a snapshot dated in the future) and a
correction dated earlier than the snapshot before it (the running maximum of 異動日 decides)."""

from datetime import date, timedelta

import pytest

from jumin.register import choices as c
from jumin.register.models import Resident, ResidentHistory
from jumin.register.queries import records_as_of, records_as_of_parts

FIELDS = ("addressee_number", "status", "address_code", "address", "sex", "birth_date", "household_number",
          "resident_type")


@pytest.fixture
def city(single_step, tmp_path):
    from jumin.register import synthetic

    synthetic.generate(synthetic.Options(residents=120, removed=40, seed=5, state_dir=tmp_path))


def _append(number: str, effective_on: date, **changed) -> None:
    """A new latest snapshot of this person (a copy of the last one with `changed`), and the current record made
    the same, as an approved change does."""
    last = ResidentHistory.objects.filter(addressee_number=number).order_by("-history_number").first()
    last.pk = None
    last.history_number += 1
    last.effective_on = effective_on
    for name, value in changed.items():
        setattr(last, name, value)
    last.save()
    Resident.objects.filter(addressee_number=number).update(history_number=last.history_number, **changed)


def _both(day: date) -> tuple[set, set]:
    whole = set(records_as_of(day).values_list(*FIELDS))
    current, history = records_as_of_parts(day)
    parts = list(current.values_list(*FIELDS)) + list(history.values_list(*FIELDS))
    assert len(parts) == len(set(parts)), "no person is in both parts"
    return whole, set(parts)


def test_the_two_parts_hold_the_same_snapshots_as_the_window(city):
    today = date.today()
    living = list(Resident.objects.filter(status=c.RESIDENT).order_by("addressee_number")
                  .values_list("addressee_number", flat=True)[:2])
    leaving, corrected = living
    _append(leaving, today + timedelta(days=30), status=c.REMOVED)              # 転出予定: dated next month
    _append(corrected, date(2010, 1, 1), address_code="04101999999", address="宮城県仙台市青葉区訂正町1")

    for day in (today, today + timedelta(days=31), date(2010, 1, 1), date(2015, 6, 1), date(2003, 1, 6),
                date(1990, 1, 1)):
        whole, parts = _both(day)
        assert whole == parts, day
    on_today = {row[0]: row for row in _both(today)[1]}
    assert on_today[leaving][1] == c.RESIDENT                        # still a resident until the day of the 転出
    assert on_today[corrected][2] == "04101999999"                   # the correction is in force at once
    assert {row[0]: row for row in _both(today + timedelta(days=31))[1]}[leaving][1] == c.REMOVED


def test_today_without_later_snapshots_reads_the_current_records_only(city):
    current, history = records_as_of_parts(date.today())
    assert not history.exists()
    assert current.count() == Resident.objects.count()
