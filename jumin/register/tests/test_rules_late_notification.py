import datetime

from jumin.register.rules import is_late_notification

MOVED = datetime.date(2025, 4, 1)


def days_after(n):
    return MOVED + datetime.timedelta(days=n)


def test_a_notification_on_the_fourteenth_day_after_the_move_is_in_time():
    assert not is_late_notification(MOVED, days_after(14))


def test_a_notification_on_the_fifteenth_day_after_the_move_is_late():
    assert is_late_notification(MOVED, days_after(15))


def test_a_notification_on_the_day_of_the_move_or_before_it_is_in_time():
    assert not is_late_notification(MOVED, MOVED)
    assert not is_late_notification(MOVED, days_after(-10))
