"""Period arithmetic (standard-spec §8.1 支援措置): 1 year by default, extension from 1 month before the end
for 1 year from the day after the old end, alerts in the last month and after expiry; release reverts."""

from datetime import date, datetime, timedelta, timezone

import pytest

from jumin.core.errors import RuleViolation
from jumin.restrictions import rules


def test_the_default_period_is_one_year_ending_the_day_before_the_anniversary():
    assert rules.default_end(date(2024, 4, 1)) == date(2025, 3, 31)
    assert rules.default_end(date(2024, 2, 29)) == date(2025, 2, 27)


def test_an_extension_is_possible_from_one_month_before_the_end():
    assert rules.extension_opens_on(date(2025, 3, 31)) == date(2025, 2, 28)
    with pytest.raises(RuleViolation) as refused:
        rules.check_extension(date(2025, 3, 31), today=date(2025, 2, 27))
    assert refused.value.code == "too_early_to_extend" and refused.value.field == "ends_on"
    assert rules.check_extension(date(2025, 3, 31), today=date(2025, 2, 28)) == date(2026, 3, 31)


def test_an_extension_runs_one_year_from_the_day_after_the_old_end():
    assert rules.extended_end(date(2025, 3, 31)) == date(2026, 3, 31)
    assert rules.extended_end(date(2027, 2, 28)) == date(2028, 2, 29)


def test_the_alert_state_is_ending_soon_in_the_last_month_and_expired_after_the_end():
    end = date(2025, 3, 31)
    assert rules.alert_state(end, today=date(2025, 2, 27)) is None
    assert rules.alert_state(end, today=date(2025, 2, 28)) == rules.ENDING_SOON
    assert rules.alert_state(end, today=end) == rules.ENDING_SOON
    assert rules.alert_state(end, today=date(2025, 4, 1)) == rules.EXPIRED


def test_an_end_date_passing_does_not_end_a_restriction():
    assert rules.in_force(date(2024, 1, 1), None, today=date(2030, 1, 1))
    assert not rules.in_force(date(2024, 1, 1), date(2024, 6, 1), today=date(2024, 6, 1))


def test_a_temporary_release_holds_only_until_its_time():
    now = datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)
    until = now + timedelta(minutes=10)
    assert rules.released(until, now=now + timedelta(minutes=9))
    assert not rules.released(until, now=now + timedelta(minutes=10))
    assert not rules.released(None, now=now)


def test_error_beats_alert_and_release_minutes_are_bounded():
    assert rules.resolve_level(["alert", "error"]) == "error"
    assert rules.resolve_level(["alert"]) == "alert"
    assert rules.resolve_level([]) is None
    for bad in (0, 61, True, "10"):
        with pytest.raises(RuleViolation):
            rules.check_release_minutes(bad)
