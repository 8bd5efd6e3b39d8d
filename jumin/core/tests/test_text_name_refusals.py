import time

import pytest

from jumin.core.errors import RuleViolation
from jumin.core.text import validate_name


def refusal(value, **kw):
    with pytest.raises(RuleViolation) as refused:
        validate_name(value, field="name", label="氏名", **kw)
    assert refused.value.field == "name"
    return refused.value


def test_a_required_name_may_not_be_empty():
    error = refusal("\u3000")

    assert error.message == "氏名を入力してください。"
    assert error.code == "required"


def test_a_name_longer_than_the_limit_is_refused():
    error = refusal("あ" * 101)

    assert error.message == "氏名は100文字以内で入力してください。"
    assert error.code == "too_long"


def test_a_custom_limit_counts_selectors_with_their_base_character():
    assert validate_name("葛\U000E0102西", field="name", label="氏名", max_length=2) == "葛\U000E0102西"
    with pytest.raises(RuleViolation):
        validate_name("葛\U000E0102西太", field="name", label="氏名", max_length=2)


def test_a_huge_input_is_refused_without_scanning_it():
    started = time.perf_counter()
    error = refusal("あ" * 10_000_000)

    assert error.code == "too_long"
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("gaiji", ["\uE000", "\uF8FF", "\U000F0000", "\U0010DE92"])
def test_private_use_characters_must_be_identified_to_a_standard_character_first(gaiji):
    error = refusal(f"住民{gaiji}太郎")

    assert "外字" in error.message
    assert "文字同定" in error.message
    assert error.code == "private_use"


@pytest.mark.parametrize("control", ["\x00", "\t", "\x1b", "\x7f", "\u200b", "\u200d", "\ufeff", "\u202e"])
def test_control_and_format_characters_are_refused(control):
    error = refusal(f"住民{control}太郎")

    assert "制御文字" in error.message
    assert error.code == "control_character"


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85"])
def test_line_breaks_are_refused(line_break):
    error = refusal(f"住民{line_break}太郎")

    assert error.message == "氏名に改行は入力できません。"


@pytest.mark.parametrize("bad", ["\ud800", "\udfff", "\ufdd0", "\uffff", "\U0001fffe"])
def test_lone_surrogates_and_noncharacters_are_refused(bad):
    error = refusal(f"住民{bad}")

    assert error.code == "invalid_character"


@pytest.mark.parametrize("name", ["\U000E0100葛", "葛\U000E0100\U000E0101", "住民 \U000E0100太郎", "\uFE00欄"])
def test_a_variation_selector_that_does_not_follow_a_character_is_refused(name):
    error = refusal(name)

    assert "異体字セレクタ" in error.message
    assert error.code == "stray_variation_selector"


def test_two_spaces_in_a_row_inside_a_name_are_refused():
    error = refusal("住民　　太郎")

    assert error.message == "氏名の途中の空白は1文字にしてください。"


def test_a_no_break_space_inside_a_name_is_refused():
    error = refusal("住民\u00a0太郎")

    assert "使用できない空白文字（U+00A0）" in error.message
