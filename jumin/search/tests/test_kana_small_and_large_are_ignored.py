from jumin.search.rules import fold_kana


def test_small_tsu_matches_tsu():
    assert fold_kana("ハットリ") == fold_kana("ハツトリ")  # 服部


def test_small_ya_yu_yo_match_ya_yu_yo():
    assert fold_kana("キャ") == fold_kana("キヤ")
    assert fold_kana("リュウ") == fold_kana("リユウ")
    assert fold_kana("ジョウ") == fold_kana("ジヨウ")


def test_small_vowels_and_ke_match_their_large_forms():
    assert fold_kana("フィッシャー") == fold_kana("フイツシヤー")
    assert fold_kana("ヶ") == fold_kana("ケ")
