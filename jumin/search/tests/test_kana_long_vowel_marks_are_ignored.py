import pytest

from jumin.search.rules import fold_kana


@pytest.mark.parametrize("mark", ["ー", "―", "－", "‐", "ｰ", "-", "−", "‒", "–", "—"])
def test_a_long_vowel_mark_or_any_dash_that_looks_like_one_is_ignored(mark):
    assert fold_kana(f"ル{mark}シ{mark}") == fold_kana("ルシ") == fold_kana("ルーシー")


def test_half_width_long_vowel_mark_in_half_width_kana_is_ignored():
    assert fold_kana("ﾙｰｼｰ") == fold_kana("ルーシー")
