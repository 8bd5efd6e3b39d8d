"""Names and addresses refuse, at entry, every character the system cannot print or exchange, and show it
(issue #15 item 7; standard-spec §6.3). Pure functions: jumin.core.text."""

import pytest

from jumin.core import text
from jumin.core.errors import RuleViolation


def refusal(fn, value, label="氏名"):
    with pytest.raises(RuleViolation) as caught:
        fn(value, field="members[0].name", label=label)
    assert caught.value.field == "members[0].name"
    return caught.value


def test_an_emoji_is_refused_with_the_character_and_its_code_point():
    error = refusal(text.validate_name, "山田 😀")
    assert error.code == "unsupported_character"
    assert error.message.startswith("氏名に使用できない文字「😀」（U+1F600）が含まれています。")


def test_an_emoji_in_an_address_is_refused_too():
    error = refusal(text.validate_text, "宮城県仙台市青葉区🏠1番", label="住所")
    assert error.message.startswith("住所に使用できない文字「🏠」（U+1F3E0）")


@pytest.mark.parametrize("value,code", [("山田\x00太郎", "U+0000"), ("山田\t太郎", "U+0009"),
                                        ("山田\u200b太郎", "U+200B")])
def test_control_and_format_characters_are_refused(value, code):
    error = refusal(text.validate_name, value)
    assert error.code == "control_character" and code in error.message


def test_a_newline_in_a_name_is_refused():
    assert refusal(text.validate_name, "山田\n太郎").code == "line_break"


def test_a_private_use_character_is_refused_as_unidentified_gaiji():
    error = refusal(text.validate_name, "山田 \ue000郎")
    assert error.code == "private_use" and "文字同定" in error.message


@pytest.mark.parametrize("mark", ["<", ">", "&"])
def test_markup_characters_are_refused_in_names_and_addresses(mark):
    assert f"「{mark}」" in refusal(text.validate_name, f"山田{mark}太郎").message
    assert refusal(text.validate_text, f"一番町ハイツ{mark}301", label="方書").code == "markup"


def test_a_full_width_ampersand_in_a_building_name_is_kept():
    assert text.validate_text("Ａ＆Ｂハイツ301", field="address.address_supplement", label="方書") == "Ａ＆Ｂハイツ301"


def test_half_width_katakana_is_refused_in_a_name_but_folded_in_a_furigana():
    error = refusal(text.validate_name, "ﾔﾏﾀﾞ ﾀﾛｳ")
    assert error.code == "halfwidth_katakana" and "「ﾔ」（U+FF94）" in error.message and "全角" in error.message
    assert text.validate_kana("ﾔﾏﾀﾞ ﾀﾛｳ", field="members[0].name_kana", label="氏名フリガナ") == "ヤマダ\u3000タロウ"


def test_an_mj_variation_sequence_is_accepted_and_kept_exactly():
    assert text.validate_name("葛\U000E0102西 太郎", field="members[0].name", label="氏名") == "葛\U000E0102西 太郎"


def test_an_adobe_japan1_sequence_ipamj_does_not_map_is_refused():
    error = refusal(text.validate_name, "葛\U000E0100西 太郎")
    assert error.code == "unsupported_character" and "U+845B U+E0100" in error.message


def test_rare_mj_kanji_are_accepted():
    for name in ("𠮷野 髙志", "邉\U000E0110見 﨑子", "齋藤 彌太郎"):
        assert text.validate_name(name, field="members[0].name", label="氏名") == name


def test_a_kanji_ipamj_lacks_is_refused():
    error = refusal(text.validate_name, "山田 \u9fef子")
    assert error.code == "unsupported_character" and "U+9FEF" in error.message
