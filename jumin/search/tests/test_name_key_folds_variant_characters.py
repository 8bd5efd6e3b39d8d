"""異体字 → 正字 with the installed MJ縮退マップ (standard-spec §6.1; `make reference-data` builds it)."""

import pytest

from jumin.search.rules import fold_name
from jumin.search.variants import load_variant_map


@pytest.fixture(scope="module")
def variants():
    return load_variant_map()


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("濱田", "浜田"),
        ("齋藤", "斎藤"),
        ("齊藤", "斉藤"),
        ("澤田", "沢田"),
        ("嶋田", "島田"),
        ("𠮷田", "吉田"),
    ],
)
def test_a_name_written_with_a_variant_matches_the_standard_character(variants, stored, typed):
    assert fold_name(stored, variants) == fold_name(typed, variants)


def test_sei_and_sai_stay_different_characters_as_the_data_says(variants):
    """齊 → 斉 and 齋 → 斎 in the 戸籍 data; 斉 and 斎 are not variants of each other (see variants.py)."""
    assert fold_name("齊藤", variants) != fold_name("斎藤", variants)


def test_a_clerk_finds_takahashi_written_with_the_ladder_taka_by_typing_the_common_one(variants):
    assert fold_name("髙橋　一郎", variants) == fold_name("高橋 一郎", variants) == "高橋一郎"


def test_the_stored_name_itself_is_left_as_it_is(variants):
    stored = "渡邉\U000E0110　太郎"
    fold_name(stored, variants)
    assert stored == "渡邉\U000E0110　太郎"
