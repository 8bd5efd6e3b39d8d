"""One fact (issue #15 item 7): the characters accepted at entry are exactly the ones the certificates can print —
both read IPAmj明朝's cmap through jumin.core.charset (standard-spec §6.3, tooling.md §1)."""

from jumin.certificates import render
from jumin.core import charset

KATSURA_MJ = "葛\U000E0102"      # MJ022335: a Moji_Joho IVS IPAmj maps (cmap format 14)
KATSURA_ADOBE = "葛\U000E0100"   # an Adobe-Japan1 sequence: IPAmj would draw the plain 葛


def test_the_certificates_check_with_the_same_table_and_walk_the_register_uses():
    assert render.CERTIFICATE_FONT == charset.CERTIFICATE_FONT
    text = f"山田 {KATSURA_MJ} {KATSURA_ADOBE} 😀 \u9fef\tа"
    assert render.unprintable(text) == charset.unsupported(text) != []


def test_an_mj_variation_sequence_and_rare_mj_kanji_are_in_the_repertoire():
    assert charset.unsupported(f"{KATSURA_MJ}西 𠮷野 髙橋 邉\U000E0110 﨑") == []


def test_an_emoji_an_adobe_only_sequence_and_a_character_ipamj_lacks_are_not():
    assert charset.unsupported(f"山田😀 {KATSURA_ADOBE} \u9fef") == ["😀", KATSURA_ADOBE, "\u9fef"]
    assert render.unprintable(f"山田😀 {KATSURA_ADOBE} \u9fef") == ["😀", KATSURA_ADOBE, "\u9fef"]


def test_a_sequence_is_named_by_its_code_points():
    assert charset.code_points(KATSURA_ADOBE) == "U+845B U+E0100"
