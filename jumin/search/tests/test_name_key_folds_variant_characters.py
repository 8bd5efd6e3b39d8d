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
        ("齊藤", "斎藤"),
        ("斉藤", "斎藤"),
        ("澤田", "沢田"),
        ("嶋田", "島田"),
        ("𠮷田", "吉田"),
    ],
)
def test_a_name_written_with_a_variant_matches_the_standard_character(variants, stored, typed):
    assert fold_name(stored, variants) == fold_name(typed, variants)


def test_every_saito_is_found_by_any_of_the_four_characters(variants):
    """Issue #3: 齋/齊 → 斎. The 戸籍 data give 齊 → 斉 and 齋 → 斎; the search adds 斉 → 斎 (variants.py)."""
    keys = {fold_name(name, variants) for name in ("斉藤", "斎藤", "齊藤", "齋藤", "齊\U000E0102藤", "齋\U000E0102藤")}
    assert keys == {"斎藤"}


def test_the_equivalence_is_added_on_top_of_the_installed_data_and_nowhere_else():
    from jumin.search.variants import SEARCH_EQUIVALENTS, with_search_equivalents

    data = {"齊": "斉", "齋": "斎", "髙": "高"}
    assert with_search_equivalents(data) == {"齊": "斎", "齋": "斎", "髙": "高", "斉": "斎"}
    assert SEARCH_EQUIVALENTS == {"斉": "斎"}


def test_a_clerk_finds_takahashi_written_with_the_ladder_taka_by_typing_the_common_one(variants):
    assert fold_name("髙橋　一郎", variants) == fold_name("高橋 一郎", variants) == "高橋一郎"


def test_the_stored_name_itself_is_left_as_it_is(variants):
    stored = "渡邉\U000E0110　太郎"
    fold_name(stored, variants)
    assert stored == "渡邉\U000E0110　太郎"
