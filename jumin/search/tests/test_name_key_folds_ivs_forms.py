"""IVS variants fold to their base or 正字; an IVS form is looked up before its base (standard-spec §6.1)."""

import pytest

from jumin.search.rules import fold_name
from jumin.search.variants import load_variant_map


@pytest.fixture(scope="module")
def variants():
    return load_variant_map()


def test_an_ivs_variant_matches_its_base_character(variants):
    assert fold_name("辻\U000E0102　花子", variants) == fold_name("辻 花子", variants)


def test_an_ivs_variant_of_a_variant_matches_the_standard_character(variants):
    assert fold_name("渡邉\U000E0110", variants) == fold_name("渡辺", variants)
    assert fold_name("山﨑\U000E0103", variants) == fold_name("山崎", variants)


def test_an_ivs_form_may_map_to_another_character_than_its_base(variants):
    """MJ: 兔 + U+E0105 is a form of 兎, while a plain 兔 stays 兔."""
    assert fold_name("兔\U000E0105", variants) == "兎"
    assert fold_name("兔", variants) == "兔"


def test_a_selector_the_map_does_not_know_falls_back_to_the_base_character(variants):
    assert fold_name("葛\U000E0100西", variants) == fold_name("葛西", variants) == "葛西"


def test_the_key_never_contains_a_variation_selector(variants):
    key = fold_name("葛\U000E0102城\u3000欄\uFE00", variants)
    assert not any(0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF for ch in key)
