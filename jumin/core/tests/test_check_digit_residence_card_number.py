import pytest

from jumin.core.check_digits import validate_residence_card_number
from jumin.core.errors import RuleViolation


def test_a_well_formed_number_is_returned_as_is():
    assert validate_residence_card_number("AB12345678CD") == "AB12345678CD"


@pytest.mark.parametrize("typed", ["ab12345678cd", "ＡＢ１２３４５６７８ＣＤ", " AB 1234 5678 CD "])
def test_full_width_lowercase_and_spaced_input_is_normalised(typed):
    assert validate_residence_card_number(typed) == "AB12345678CD"


@pytest.mark.parametrize("typed", ["A12345678CD", "AB1234567CD", "AB123456789D", "1212345678CD", "AB12345678C1"])
def test_a_number_of_the_wrong_shape_is_refused(typed):
    with pytest.raises(RuleViolation) as refused:
        validate_residence_card_number(typed)

    assert "英字2文字・数字8桁・英字2文字" in refused.value.message
    assert refused.value.field == "residence_card_number"


def test_an_empty_number_is_refused_as_required():
    with pytest.raises(RuleViolation) as refused:
        validate_residence_card_number("")

    assert refused.value.message == "在留カード番号を入力してください。"
