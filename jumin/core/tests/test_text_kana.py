import pytest

from jumin.core.errors import RuleViolation
from jumin.core.text import validate_kana


def kana(value, **kw):
    return validate_kana(value, field="name_kana", label="氏名フリガナ", **kw)


def test_full_width_katakana_is_kept():
    assert kana("ジュウミン　タロウ") == "ジュウミン　タロウ"


def test_half_width_katakana_becomes_full_width_including_voiced_marks():
    assert kana("ｼﾞｭｳﾐﾝ ﾀﾛｳ") == "ジュウミン　タロウ"


def test_hiragana_becomes_katakana():
    assert kana("じゅうみん　たろう") == "ジュウミン　タロウ"


def test_runs_of_spaces_become_one_ideographic_space_and_edges_are_trimmed():
    assert kana("  ジュウミン \u3000  タロウ ") == "ジュウミン　タロウ"


@pytest.mark.parametrize("typed", ["ヴァイオレット", "ヵヶ", "ァィゥェォッャュョヮ", "メアリー・アン", "ゔぁ"])
def test_vu_small_kana_long_vowel_mark_and_middle_dot_are_allowed(typed):
    assert kana(typed) == typed.replace("ゔぁ", "ヴァ")


def test_an_empty_optional_kana_is_an_empty_string():
    assert kana("") == ""
    assert kana(None) == ""


def test_an_empty_required_kana_is_refused():
    with pytest.raises(RuleViolation) as refused:
        kana(" ", required=True)

    assert refused.value.message == "氏名フリガナを入力してください。"


@pytest.mark.parametrize("typed", ["住民タロウ", "TARO", "ジュウミン1", "ジュウミン-タロウ", "ジュウミン～", "ﾀﾛｳﾞﾞ゛"])
def test_anything_but_katakana_is_refused(typed):
    with pytest.raises(RuleViolation) as refused:
        kana(typed)

    assert "氏名フリガナはカタカナで入力してください" in refused.value.message
    assert refused.value.field == "name_kana"
    assert refused.value.code == "not_katakana"


def test_a_kana_longer_than_the_limit_is_refused():
    with pytest.raises(RuleViolation) as refused:
        kana("ア" * 11, max_length=10)

    assert refused.value.message == "氏名フリガナは10文字以内で入力してください。"


def test_half_width_voiced_kana_counts_after_conversion():
    assert kana("ｶﾞ" * 10, max_length=10) == "ガ" * 10
