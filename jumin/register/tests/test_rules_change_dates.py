import datetime

import pytest

from jumin.core.errors import RuleViolation
from jumin.register.rules import (
    LATE_NOTIFICATION_DAYS,
    check_birth_date,
    check_effective_on,
    check_notified_on,
)

TODAY = datetime.date(2025, 4, 1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def test_a_change_dated_today_or_earlier_is_accepted():
    check_effective_on(TODAY, today=TODAY, future_allowed=False)
    check_effective_on(datetime.date(2025, 3, 1), today=TODAY, future_allowed=False)


def test_a_future_change_date_is_refused():
    with pytest.raises(RuleViolation) as refused:
        check_effective_on(TOMORROW, today=TODAY, future_allowed=False)

    assert refused.value.message == "異動日に未来の日付は指定できません。"
    assert refused.value.field == "effective_on"


def test_a_future_move_out_date_is_accepted_where_allowed():
    check_effective_on(datetime.date(2025, 5, 1), today=TODAY, future_allowed=True)


def test_a_future_notification_date_is_refused():
    check_notified_on(TODAY, today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        check_notified_on(TOMORROW, today=TODAY, field="notice_date")

    assert refused.value.message == "届出日に未来の日付は指定できません。"
    assert refused.value.field == "notice_date"


def test_a_future_birth_date_is_refused_and_an_unknown_one_passes():
    check_birth_date(TODAY, today=TODAY)
    check_birth_date(None, today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        check_birth_date(TOMORROW, today=TODAY)

    assert refused.value.message == "生年月日に未来の日付は指定できません。"
    assert refused.value.field == "birth_date"


def test_the_notification_period_is_fourteen_days():
    assert LATE_NOTIFICATION_DAYS == 14
