"""ヂ=ジ, ヅ=ズ, ヲ=オ, ワ=ハ (standard-spec §6.1)."""

from jumin.search.rules import fold_kana


def test_di_matches_ji():
    assert fold_kana("チヂワ") == fold_kana("チジワ")  # 千々和


def test_du_matches_zu():
    assert fold_kana("ツヅキ") == fold_kana("ツズキ")  # 都築


def test_wo_matches_o():
    assert fold_kana("カヲル") == fold_kana("カオル")


def test_wa_matches_ha():
    assert fold_kana("イワオ") == fold_kana("イハオ")  # 巌, old spelling イハホ
    assert fold_kana("ヮ") == fold_kana("ハ")


def test_di_folds_with_ji_and_therefore_not_with_chi():
    """A key is one string: ヂ=ジ (same sound) wins over ヂ=チ (documented in fold_kana)."""
    assert fold_kana("ヂ") == fold_kana("ジ") == fold_kana("シ")
    assert fold_kana("ヂ") != fold_kana("チ")
