import pytest

from jumin.core.errors import RuleViolation
from jumin.search.rules import search_text


def check(value, **kwargs):
    return search_text(value, field="name", label="氏名", **kwargs)


def test_a_control_character_is_refused_in_japanese_with_the_field():
    with pytest.raises(RuleViolation) as refused:
        check("山田\x00太郎")
    assert refused.value.field == "name"
    assert refused.value.code == "control_character"
    assert "制御文字（U+0000）" in refused.value.message


def test_a_line_break_or_tab_is_refused():
    for value in ("山田\n太郎", "山田\t太郎", "山田\u2028太郎"):
        with pytest.raises(RuleViolation, match="制御文字"):
            check(value)


def test_a_private_use_character_is_refused_with_the_reason():
    with pytest.raises(RuleViolation) as refused:
        check("\ue000田")
    assert refused.value.code == "private_use"
    assert "外字" in refused.value.message


def test_a_ten_thousand_character_paste_is_refused_as_too_long():
    with pytest.raises(RuleViolation) as refused:
        check("ア" * 10_000)
    assert refused.value.code == "too_long"
    assert refused.value.message == "氏名は100文字以内で入力してください。"


def test_the_length_is_checked_before_the_characters():
    with pytest.raises(RuleViolation) as refused:
        check("\x00" * 10_000)
    assert refused.value.code == "too_long"


def test_a_noncharacter_is_refused():
    with pytest.raises(RuleViolation, match="文字として使えない"):
        check("山田\uffff")


def test_surrounding_spaces_are_removed():
    assert check("　山田 太郎 ") == "山田 太郎"
