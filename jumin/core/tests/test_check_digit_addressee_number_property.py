from hypothesis import given
from hypothesis import strategies as st

from jumin.core.check_digits import is_valid_addressee_number, make_addressee_number, next_addressee_number

bodies = st.integers(min_value=1, max_value=10**9 - 1)


@given(bodies)
def test_every_number_made_from_a_body_validates(body):
    number = make_addressee_number(body)

    if number is not None:
        assert len(number) == 10
        assert is_valid_addressee_number(number)


@given(bodies, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_makes_a_number_invalid(body, position, shift):
    number = make_addressee_number(body)
    if number is None:
        return
    digit = (int(number[position]) + shift) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]

    assert not is_valid_addressee_number(changed)


@given(st.integers(min_value=0, max_value=10**9 - 100))
def test_next_addressee_number_returns_the_next_issuable_body(after):
    body, number = next_addressee_number(after)

    assert body > after
    assert number == make_addressee_number(body)
    assert all(make_addressee_number(skipped) is None for skipped in range(after + 1, body))
