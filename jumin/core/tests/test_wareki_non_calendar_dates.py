import datetime

import pytest

from jumin.core.errors import RuleViolation
from jumin.core.wareki import ParsedDate, parse_date


@pytest.mark.parametrize(
    "typed, internal",
    [
        ("明治45年7月30日", datetime.date(1912, 7, 30)),
        ("大正15年12月25日", datetime.date(1926, 12, 25)),
    ],
)
def test_the_overlap_day_written_in_the_previous_era_is_kept_as_a_non_calendar_date(typed, internal):
    parsed = parse_date(typed, allow_uncertain=True)

    assert parsed == ParsedDate(internal, typed)
    assert not parsed.exact


def test_only_eras_marked_overlap_day_accept_the_previous_era_writing():
    with pytest.raises(RuleViolation):
        parse_date("昭和64年1月8日", allow_uncertain=True)
    with pytest.raises(RuleViolation):
        parse_date("平成31年5月1日", allow_uncertain=True)


def test_the_day_after_the_overlap_day_is_still_refused_in_the_previous_era():
    with pytest.raises(RuleViolation):
        parse_date("明治45年7月31日", allow_uncertain=True)


def test_february_29th_of_a_common_year_is_kept_as_text_with_february_28th_inside():
    parsed = parse_date("令和3年2月29日", allow_uncertain=True)

    assert parsed == ParsedDate(datetime.date(2021, 2, 28), "令和3年2月29日")


def test_the_kept_text_uses_era_kanji_and_the_digits_as_typed():
    assert parse_date("Ｈ０５．０２．２９", allow_uncertain=True) == ParsedDate(
        datetime.date(1993, 2, 28), "平成05年02月29日"
    )
    assert parse_date("2021-02-29", allow_uncertain=True).text == "2021年02月29日"


def test_february_30th_stays_impossible_even_when_uncertain_dates_are_allowed():
    with pytest.raises(RuleViolation) as refused:
        parse_date("令和3年2月30日", allow_uncertain=True)

    assert "存在しない日付" in refused.value.message


def test_an_ordinary_date_is_still_exact_when_uncertain_dates_are_allowed():
    assert parse_date("S45.3.1", allow_uncertain=True) == ParsedDate(datetime.date(1970, 3, 1), None)
