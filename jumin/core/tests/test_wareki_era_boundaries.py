import datetime

import pytest

from jumin.core.errors import RuleViolation
from jumin.core.wareki import format_wareki, parse_exact_date

# Hand-written expectations (cross-checked with japanera 2.1.3 in tooling.md §4).
BOUNDARIES = [
    (datetime.date(2019, 4, 30), "平成31年4月30日"),
    (datetime.date(2019, 5, 1), "令和元年5月1日"),
    (datetime.date(1989, 1, 7), "昭和64年1月7日"),
    (datetime.date(1989, 1, 8), "平成元年1月8日"),
    (datetime.date(1926, 12, 24), "大正15年12月24日"),
    (datetime.date(1926, 12, 25), "昭和元年12月25日"),
    (datetime.date(1912, 7, 29), "明治45年7月29日"),
    (datetime.date(1912, 7, 30), "大正元年7月30日"),
]


@pytest.mark.parametrize("day, wareki", BOUNDARIES)
def test_days_around_each_era_change_are_written_in_the_right_era(day, wareki):
    assert format_wareki(day) == wareki


@pytest.mark.parametrize("day, wareki", BOUNDARIES)
def test_days_around_each_era_change_read_back_to_the_same_date(day, wareki):
    assert parse_exact_date(wareki) == day


@pytest.mark.parametrize("typed", ["平成31年5月1日", "昭和64年1月8日", "H31.5.1", "S64.1.8", "大正15年12月25日"])
def test_a_day_after_the_era_ended_is_refused(typed):
    with pytest.raises(RuleViolation) as refused:
        parse_exact_date(typed, label="異動日", field="effective_on")

    assert "存在しない日付" in refused.value.message
    assert "までです" in refused.value.message
    assert refused.value.field == "effective_on"


@pytest.mark.parametrize("typed", ["平成元年1月7日", "令和元年4月30日", "R1.4.30"])
def test_a_day_before_the_era_began_is_refused(typed):
    with pytest.raises(RuleViolation) as refused:
        parse_exact_date(typed)

    assert "存在しない日付" in refused.value.message
    assert "からです" in refused.value.message


def test_the_message_names_the_last_day_of_the_era():
    with pytest.raises(RuleViolation) as refused:
        parse_exact_date("平成31年5月1日", label="生年月日")

    assert refused.value.message == (
        "生年月日に存在しない日付（平成31年5月1日）が入力されています。平成は平成31年4月30日までです。"
    )
