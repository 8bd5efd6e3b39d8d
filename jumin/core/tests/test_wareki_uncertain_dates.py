import datetime

import pytest

from jumin.core.errors import RuleViolation
from jumin.core.wareki import ParsedDate, parse_date

D = datetime.date


@pytest.mark.parametrize(
    "typed, internal, text",
    [
        ("昭和45年頃", D(1970, 1, 1), "昭和45年頃"),
        ("昭和45年3月頃", D(1970, 3, 1), "昭和45年3月頃"),
        ("昭和45年3月15日頃", D(1970, 3, 15), "昭和45年3月15日頃"),
        ("推定昭和45年3月15日", D(1970, 3, 15), "推定昭和45年3月15日"),
        ("推定昭和45年3月", D(1970, 3, 1), "推定昭和45年3月"),
        ("昭和45年春", D(1970, 3, 1), "昭和45年春"),
        ("昭和45年夏", D(1970, 6, 1), "昭和45年夏"),
        ("昭和45年秋", D(1970, 9, 1), "昭和45年秋"),
        ("昭和45年冬", D(1970, 12, 1), "昭和45年冬"),
        ("昭和45年3月上旬", D(1970, 3, 1), "昭和45年3月上旬"),
        ("昭和45年3月中旬", D(1970, 3, 11), "昭和45年3月中旬"),
        ("昭和45年3月中旬頃", D(1970, 3, 11), "昭和45年3月中旬頃"),
        ("昭和45年3月下旬", D(1970, 3, 21), "昭和45年3月下旬"),
        ("昭和45年 月日不詳", D(1970, 1, 1), "昭和45年 月日不詳"),
        ("昭和45年月日不詳", D(1970, 1, 1), "昭和45年 月日不詳"),
        ("昭和45年3月 日不詳", D(1970, 3, 1), "昭和45年3月 日不詳"),
        ("昭和45年3月1日から4月2日頃までの間", D(1970, 3, 1), "昭和45年3月1日から4月2日頃までの間"),
        ("昭和45年3月推定1日から10日までの間", D(1970, 3, 1), "昭和45年3月推定1日から10日までの間"),
        ("昭和45年3月1日頃から10日頃までの間", D(1970, 3, 1), "昭和45年3月1日頃から10日頃までの間"),
        ("1970年頃", D(1970, 1, 1), "1970年頃"),
        ("1970年3月下旬", D(1970, 3, 21), "1970年3月下旬"),
    ],
)
def test_each_unknown_date_form_keeps_its_text_and_the_first_day_of_the_period(typed, internal, text):
    parsed = parse_date(typed, allow_uncertain=True)

    assert parsed == ParsedDate(internal, text)
    assert not parsed.exact


def test_a_fully_unknown_date_has_no_internal_date():
    assert parse_date("年月日不詳", allow_uncertain=True) == ParsedDate(None, "年月日不詳")


def test_the_text_is_stored_without_full_width_digits_and_with_era_kanji():
    assert parse_date("Ｓ４５年３月頃", allow_uncertain=True) == ParsedDate(D(1970, 3, 1), "昭和45年3月頃")


def test_a_period_starting_before_the_era_begins_on_the_eras_first_day():
    assert parse_date("平成元年頃", allow_uncertain=True).date == D(1989, 1, 8)
    assert parse_date("平成元年1月上旬", allow_uncertain=True).date == D(1989, 1, 8)


def test_a_period_entirely_outside_the_era_is_refused():
    with pytest.raises(RuleViolation) as refused:
        parse_date("昭和64年1月下旬", allow_uncertain=True, label="生年月日")

    assert refused.value.message == (
        "生年月日に存在しない期間（昭和64年1月下旬）が入力されています。昭和は昭和64年1月7日までです。"
    )


def test_an_unknown_date_form_still_checks_the_era_year():
    with pytest.raises(RuleViolation) as refused:
        parse_date("平成32年頃", allow_uncertain=True)

    assert "存在しない年（平成32年）" in refused.value.message


def test_a_period_whose_end_is_before_its_start_is_refused():
    with pytest.raises(RuleViolation) as refused:
        parse_date("昭和45年3月10日から3月1日頃までの間", allow_uncertain=True)

    assert "終わりが始まりより前" in refused.value.message


def test_an_impossible_end_day_of_a_period_is_refused():
    with pytest.raises(RuleViolation):
        parse_date("昭和45年2月推定1日から30日までの間", allow_uncertain=True)


@pytest.mark.parametrize("typed", ["昭和45年頃", "年月日不詳", "推定昭和45年3月1日", "昭和45年3月上旬"])
def test_unknown_date_forms_are_refused_where_a_calendar_date_is_required(typed):
    with pytest.raises(RuleViolation) as refused:
        parse_date(typed, label="届出日", field="notified_on")

    error = refused.value
    assert error.code == "calendar_date_required"
    assert error.message.startswith("届出日は暦上の日付")
    assert typed in error.message
    assert error.field == "notified_on"
