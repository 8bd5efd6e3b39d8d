import pytest

from jumin.core.errors import RuleViolation
from jumin.core.wareki import parse_date


def refusal(typed, **kw):
    with pytest.raises(RuleViolation) as refused:
        parse_date(typed, label="生年月日", field="birth_date", **kw)
    return refused.value


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", None])
def test_an_empty_date_is_refused_as_required(typed):
    error = refusal(typed)

    assert error.message == "生年月日を入力してください。"
    assert error.code == "required"


@pytest.mark.parametrize("typed", ["abc", "昭和", "45.3.1", "S45", "1970-03", "令和2年2月", "昭和1970年3月1日", "2020-123-1"])
def test_garbage_is_refused_with_the_label_and_the_value(typed):
    error = refusal(typed)

    assert error.code == "invalid_format"
    assert error.message.startswith("生年月日の形式が正しくありません")
    assert typed in error.message
    assert error.field == "birth_date"


def test_an_unknown_era_letter_is_refused_and_the_known_letters_are_listed():
    error = refusal("X45.3.1")

    assert "元号「X」" in error.message
    assert "S（昭和）" in error.message


def test_era_year_zero_is_refused():
    error = refusal("令和0年1月1日")

    assert error.message == "生年月日に存在しない年（令和0年）が入力されています。"
    assert error.code == "invalid_date"


@pytest.mark.parametrize("typed, last_year", [("平成32年1月1日", "平成は31年まで"), ("昭和65年1月1日", "昭和は64年まで")])
def test_a_year_beyond_the_era_is_refused(typed, last_year):
    error = refusal(typed)

    assert "存在しない年" in error.message
    assert last_year in error.message


def test_february_30th_is_refused_with_the_date_in_the_message():
    error = refusal("令和2年2月30日")

    assert error.message == "生年月日に存在しない日付（令和2年2月30日）が入力されています。"
    assert error.code == "invalid_date"


def test_february_29th_of_a_common_year_is_refused_for_an_exact_item():
    error = refusal("2021-02-29")

    assert error.message == "生年月日に存在しない日付（2021年2月29日）が入力されています。"


def test_month_13_is_refused():
    assert "存在しない日付（令和2年13月1日）" in refusal("令和2年13月1日").message


@pytest.mark.parametrize("typed", ["1872-12-31", "明治5年12月2日", "明治元年1月25日"])
def test_dates_of_the_lunar_calendar_before_1873_are_out_of_range(typed):
    error = refusal(typed)

    assert error.code == "out_of_range"
    assert "明治6年1月1日（1873年1月1日）以降" in error.message


def test_the_first_solar_day_is_accepted():
    assert parse_date("明治6年1月1日").date.isoformat() == "1873-01-01"


def test_the_default_label_is_hizuke():
    with pytest.raises(RuleViolation) as refused:
        parse_date("")

    assert refused.value.message == "日付を入力してください。"
    assert refused.value.field is None


def test_an_absurdly_long_input_is_refused_as_garbage_without_echoing_it_all():
    error = refusal("1" * 1_000_000)

    assert error.code == "invalid_format"
    assert len(error.message) < 120
