import pytest

from jumin.core.errors import RuleViolation
from jumin.core.text import validate_text


def text(value, **kw):
    return validate_text(value, field="address", label="住所", **kw)


def test_an_address_is_kept_as_typed_with_edges_trimmed():
    assert text("　東京都千代田区千代田1番1号  ○○マンション101 ") == "東京都千代田区千代田1番1号  ○○マンション101"


def test_an_optional_empty_text_is_an_empty_string():
    assert text("") == ""


def test_a_required_empty_text_is_refused():
    with pytest.raises(RuleViolation) as refused:
        text(" ", required=True)

    assert refused.value.message == "住所を入力してください。"


def test_a_line_break_is_refused_in_single_line_text():
    with pytest.raises(RuleViolation) as refused:
        text("千代田区\n千代田")

    assert refused.value.message == "住所に改行は入力できません。"


def test_multiline_text_keeps_line_breaks_as_newlines():
    assert validate_text("一行目\r\n二行目\r三行目\n", field="note", label="備考", multiline=True) == "一行目\n二行目\n三行目"


def test_multiline_text_still_refuses_other_control_characters():
    with pytest.raises(RuleViolation) as refused:
        validate_text("一行目\n\t二行目", field="note", label="備考", multiline=True)

    assert "制御文字" in refused.value.message


def test_private_use_characters_are_refused_in_free_text_too():
    with pytest.raises(RuleViolation) as refused:
        text("千代田区\uE123町")

    assert "文字同定" in refused.value.message


def test_variation_sequences_are_kept_and_counted_as_one_character():
    assert text("葛\U000E0102飾区", max_length=3) == "葛\U000E0102飾区"


def test_a_text_longer_than_the_limit_is_refused():
    with pytest.raises(RuleViolation) as refused:
        text("あ" * 201)

    assert refused.value.message == "住所は200文字以内で入力してください。"
