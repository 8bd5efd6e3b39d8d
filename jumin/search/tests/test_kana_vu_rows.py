"""ヴァ=バ, ヴィ=ビ, ヴ=ブ, ヴェ=ベ, ヴォ=ボ (standard-spec §6.1)."""

from jumin.search.rules import fold_kana


def test_va_matches_ba():
    assert fold_kana("ヴァレリー") == fold_kana("バレリー")


def test_vi_matches_bi():
    assert fold_kana("ヴィクトル") == fold_kana("ビクトル")


def test_vu_alone_matches_bu():
    assert fold_kana("ヴルーノ") == fold_kana("ブルーノ")


def test_ve_and_vo_match_be_and_bo():
    assert fold_kana("ヴェラ") == fold_kana("ベラ")
    assert fold_kana("ヴォルフ") == fold_kana("ボルフ")


def test_vu_typed_in_hiragana_half_width_or_with_a_spacing_mark_is_the_same():
    assert fold_kana("ゔぃくとる") == fold_kana("ｳﾞｨｸﾄﾙ") == fold_kana("ウ゛ィクトル") == fold_kana("ビクトル")
