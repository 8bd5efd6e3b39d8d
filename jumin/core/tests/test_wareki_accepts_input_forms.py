import datetime

import pytest

from jumin.core.wareki import ParsedDate, parse_date, parse_exact_date

MARCH_1_1970 = datetime.date(1970, 3, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "S45.3.1",
        "s45.3.1",
        "S45/3/1",
        "S45-3-1",
        "S450301",
        "昭和45年3月1日",
        "昭和45年03月01日",
        "S45年3月1日",
        "1970-03-01",
        "1970/3/1",
        "1970.3.1",
        "19700301",
        "1970年3月1日",
    ],
)
def test_every_accepted_form_reads_as_the_same_calendar_date(typed):
    assert parse_date(typed) == ParsedDate(MARCH_1_1970, None)


@pytest.mark.parametrize("typed", ["Ｓ４５．３．１", "昭和４５年３月１日", "１９７０－０３－０１", "ｓ４５／３／１"])
def test_full_width_digits_letters_and_separators_are_accepted(typed):
    assert parse_exact_date(typed) == MARCH_1_1970


@pytest.mark.parametrize("typed", ["1970ー03ー01", "1970−03−01", " 昭和45年 3月 1日 ", "昭和45年　3月　1日"])
def test_long_dashes_and_spaces_typed_by_an_ime_are_tolerated(typed):
    assert parse_exact_date(typed) == MARCH_1_1970


def test_gannen_is_read_as_year_one():
    assert parse_exact_date("令和元年5月1日") == datetime.date(2019, 5, 1)
    assert parse_exact_date("R1.5.1") == datetime.date(2019, 5, 1)


def test_an_exact_calendar_date_keeps_no_literal_text():
    parsed = parse_date("令和2年2月29日")

    assert parsed.date == datetime.date(2020, 2, 29)
    assert parsed.text is None
    assert parsed.exact


def test_parse_exact_date_returns_a_plain_date():
    assert parse_exact_date("H31.4.30") == datetime.date(2019, 4, 30)
