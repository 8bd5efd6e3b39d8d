import unicodedata

import pytest

from jumin.core.text import NAME_MAX_LENGTH, validate_name


def check(value, **kw):
    return validate_name(value, field="name", label="氏名", **kw)


def test_a_name_with_an_ideographic_space_between_surname_and_given_name_is_kept():
    assert check("住民　太郎") == "住民　太郎"


def test_an_ascii_space_between_parts_of_an_alphabet_name_is_kept():
    assert check("SMITH JOHN PAUL") == "SMITH JOHN PAUL"


def test_leading_and_trailing_ascii_and_ideographic_spaces_are_removed():
    assert check(" \u3000住民　太郎\u3000 ") == "住民　太郎"


def test_ideographic_and_standardized_variation_sequences_are_kept():
    name = "葛\U000E0102西　辻\U000E0103　欄\uFE00"

    assert check(name) == name


def test_a_cjk_compatibility_ideograph_is_not_normalised_away():
    name = "\uFA19田"  # 神 U+FA19, which NFC would turn into U+795E

    assert check(name) == name
    assert unicodedata.normalize("NFC", name) != name


def test_full_width_letters_are_not_turned_into_ascii():
    assert check("ＡＢＣ　商店") == "ＡＢＣ　商店"


def test_a_name_of_exactly_the_maximum_length_with_selectors_is_accepted():
    name = "葛\U000E0102" * NAME_MAX_LENGTH

    assert check(name) == name


def test_an_optional_empty_name_is_returned_as_an_empty_string():
    assert check("  ", required=False) == ""
    assert check(None, required=False) == ""


@pytest.mark.parametrize("name", ["渡邉", "髙橋", "𠮷田"])
def test_ordinary_variant_characters_are_accepted(name):
    assert check(name) == name
