import pytest

from jumin.core.check_digits import is_valid_resident_code, resident_code_check_digit, validate_resident_code
from jumin.core.errors import RuleViolation


def test_the_worked_example_gives_check_digit_3():
    assert resident_code_check_digit("1234567890") == 3


@pytest.mark.parametrize("code", ["12345678903", "24727059608", "24846016224", "25208017643"])
def test_public_sample_codes_pass_the_assumed_rule(code):
    assert is_valid_resident_code(code)


@pytest.mark.parametrize("code", ["12345678904", "1234567890", "123456789030", "1234567890a"])
def test_wrong_check_digits_and_lengths_are_not_valid(code):
    assert not is_valid_resident_code(code)


def test_validation_returns_the_code_in_ascii():
    assert validate_resident_code("２４７２７ ０５９６０８") == "24727059608"


def test_validation_refuses_a_wrong_check_digit():
    with pytest.raises(RuleViolation) as refused:
        validate_resident_code("24727059609")

    assert refused.value.message == "住民票コードの検査用数字が一致しません。"
    assert refused.value.field == "resident_code"


def test_validation_refuses_a_code_that_is_not_eleven_digits():
    with pytest.raises(RuleViolation) as refused:
        validate_resident_code("2472705960")

    assert refused.value.message == "住民票コードは11桁の数字で入力してください。"
