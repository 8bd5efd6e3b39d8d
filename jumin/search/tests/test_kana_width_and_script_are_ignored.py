from jumin.search.rules import fold_kana


def test_half_width_katakana_full_width_katakana_and_hiragana_give_the_same_key():
    assert fold_kana("ﾀｶﾊｼ") == fold_kana("タカハシ") == fold_kana("たかはし") == "タカハシ"


def test_a_half_width_voiced_kana_written_as_two_characters_is_one_kana():
    assert fold_kana("ﾔﾏｻﾞｷ") == fold_kana("ヤマザキ")


def test_the_key_is_full_width_katakana_only():
    assert fold_kana("ジョン・スミス") == "シヨンスミス"
    assert fold_kana("山田タロウ") == "タロオ"
