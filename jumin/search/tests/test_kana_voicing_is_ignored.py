from jumin.search.rules import fold_kana


def test_dakuten_is_ignored():
    assert fold_kana("ガトウ") == fold_kana("カトウ")  # 加藤 / 我藤


def test_handakuten_and_dakuten_are_both_ignored():
    assert fold_kana("ハラ") == fold_kana("パラ") == fold_kana("バラ")
    assert fold_kana("ヒロシ") == fold_kana("ピロシ")  # the spec's own example: ヒ=ピ


def test_combining_and_spacing_voicing_marks_are_ignored_too():
    assert fold_kana("カ\u3099トウ") == fold_kana("カ゛トウ") == fold_kana("カトウ")
    assert fold_kana("ハ゜ク") == fold_kana("ハク")
