import pytest

from jumin.core.check_digits import is_valid_municipality_code, municipality_code_check_digit


@pytest.mark.parametrize(
    "code6",
    ["131016", "011002", "010006", "041009"],  # 千代田区, 札幌市, 北海道, 仙台市
)
def test_known_codes_get_their_check_digit(code6):
    assert municipality_code_check_digit(code6[:5]) == int(code6[5])
    assert is_valid_municipality_code(code6)


def test_a_code_with_a_wrong_check_digit_is_not_valid():
    assert not is_valid_municipality_code("131017")
    assert not is_valid_municipality_code("13101")
