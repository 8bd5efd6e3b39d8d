import pytest

from jumin.core.check_digits import (
    individual_number_check_digit,
    is_valid_individual_number,
    validate_individual_number,
)
from jumin.core.errors import RuleViolation


def test_the_worked_example_of_the_ministerial_ordinance_gives_check_digit_8():
    assert individual_number_check_digit("12345678901") == 8


@pytest.mark.parametrize("number", ["123456789018", "983205673214", "621498320257"])
def test_published_numbers_are_valid(number):
    assert is_valid_individual_number(number)


def test_a_remainder_of_0_or_1_gives_check_digit_0():
    # 00000000006: 6 * 2 = 12, 12 mod 11 = 1 -> 0;  00000000000: remainder 0 -> 0
    assert individual_number_check_digit("00000000006") == 0
    assert individual_number_check_digit("00000000000") == 0


@pytest.mark.parametrize("number", ["123456789019", "12345678901", "1234567890180", "12345678901a", "１２３４５６７８９０１８"])
def test_wrong_check_digits_lengths_and_non_ascii_digits_are_not_valid(number):
    assert not is_valid_individual_number(number)


def test_validation_accepts_spaces_hyphens_and_full_width_digits():
    assert validate_individual_number("１２３４ ５６７８－９０１８") == "123456789018"
    assert validate_individual_number("1234-5678-9018") == "123456789018"


def test_validation_refuses_a_wrong_check_digit():
    with pytest.raises(RuleViolation) as refused:
        validate_individual_number("123456789019")

    assert refused.value.message == "個人番号の検査用数字が一致しません。"
    assert refused.value.field == "individual_number"


@pytest.mark.parametrize("typed", ["12345678901", "12345678901X", "1234567890189"])
def test_validation_refuses_anything_but_twelve_digits(typed):
    with pytest.raises(RuleViolation) as refused:
        validate_individual_number(typed, field="my_number")

    assert refused.value.message == "個人番号は12桁の数字で入力してください。"
    assert refused.value.field == "my_number"


def test_validation_refuses_an_empty_number():
    with pytest.raises(RuleViolation) as refused:
        validate_individual_number("  ")

    assert refused.value.code == "required"
