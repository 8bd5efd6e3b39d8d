import datetime

import pytest

from jumin.core.wareki import (
    ParsedDate,
    era_of,
    format_parsed_date,
    format_seireki,
    format_wareki,
    format_wareki_short,
)

D = datetime.date


def test_format_wareki_writes_the_first_year_as_gannen():
    assert format_wareki(D(2019, 5, 1)) == "令和元年5月1日"


def test_format_wareki_can_write_the_first_year_as_a_number():
    assert format_wareki(D(2019, 5, 1), gannen=False) == "令和1年5月1日"


def test_format_wareki_writes_other_years_as_numbers_without_leading_zeros():
    assert format_wareki(D(1970, 3, 1)) == "昭和45年3月1日"


def test_format_wareki_short_uses_the_era_letter():
    assert format_wareki_short(D(2019, 5, 1)) == "R1.5.1"
    assert format_wareki_short(D(1970, 3, 1)) == "S45.3.1"


def test_format_seireki_writes_the_western_year():
    assert format_seireki(D(1970, 3, 1)) == "1970年3月1日"


def test_era_of_returns_the_era_name_and_year():
    assert era_of(D(2019, 5, 1)) == ("令和", 1)
    assert era_of(D(2019, 4, 30)) == ("平成", 31)


def test_dates_before_the_solar_calendar_cannot_be_formatted():
    with pytest.raises(ValueError):
        format_wareki(D(1872, 12, 31))


def test_a_parsed_date_shows_its_kept_text_or_the_formatted_date():
    assert format_parsed_date(ParsedDate(D(1970, 1, 1), "昭和45年頃")) == "昭和45年頃"
    assert format_parsed_date(ParsedDate(D(1970, 3, 1))) == "昭和45年3月1日"
    assert format_parsed_date(ParsedDate(D(1970, 3, 1)), western=True) == "1970年3月1日"
