import pytest

from jumin.core.check_digits import (
    addressee_check_digit,
    is_valid_addressee_number,
    make_addressee_number,
    next_addressee_number,
    validate_addressee_number,
)
from jumin.core.errors import RuleViolation


def test_the_worked_example_body_123_gives_0000001236():
    assert addressee_check_digit("000000123") == 6
    assert make_addressee_number(123) == "0000001236"


def test_a_remainder_of_0_gives_check_digit_0():
    # body 62: 2*2 + 6*3 = 22, 22 mod 11 = 0
    assert addressee_check_digit("000000062") == 0
    assert make_addressee_number(62) == "0000000620"


def test_a_body_whose_remainder_is_1_has_no_check_digit_and_is_never_issued():
    # body 6: 6 * 2 = 12, 12 mod 11 = 1
    assert addressee_check_digit("000000006") is None
    assert make_addressee_number(6) is None


def test_next_addressee_number_skips_a_body_that_is_never_issued():
    # body 6 is skipped; body 7: 7*2 = 14, 14 mod 11 = 3, check digit 8
    assert next_addressee_number(5) == (7, "0000000078")


def test_numbering_starts_at_body_1():
    assert next_addressee_number(0) == (1, "0000000019")


def test_numbers_of_another_length_can_be_made_and_checked():
    number = make_addressee_number(123, length=8)

    assert number == "00001236"
    assert is_valid_addressee_number(number, length=8)
    assert not is_valid_addressee_number(number)


@pytest.mark.parametrize("value", ["0000001237", "000000123", "00000012360", "000000123X", "0000000060", "0000000000"])
def test_wrong_check_digits_skipped_bodies_and_bad_shapes_are_not_valid(value):
    assert not is_valid_addressee_number(value)


def test_validation_returns_the_number_and_refuses_a_wrong_check_digit():
    assert validate_addressee_number("００００００１２３６") == "0000001236"
    with pytest.raises(RuleViolation) as refused:
        validate_addressee_number("0000001237")

    assert refused.value.message == "宛名番号の検査用数字が一致しません。"
    assert refused.value.field == "addressee_number"


def test_validation_of_a_household_number_uses_its_own_label():
    with pytest.raises(RuleViolation) as refused:
        validate_addressee_number("123", field="household_number", label="世帯番号")

    assert refused.value.message == "世帯番号は10桁の数字で入力してください。"
    assert refused.value.field == "household_number"


def test_a_body_outside_the_number_range_is_a_programming_error():
    with pytest.raises(ValueError):
        make_addressee_number(0)
    with pytest.raises(ValueError):
        make_addressee_number(10**9)
