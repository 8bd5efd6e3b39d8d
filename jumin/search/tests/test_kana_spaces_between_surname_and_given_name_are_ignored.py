from jumin.search.rules import fold_kana


def test_ideographic_ascii_or_no_space_between_surname_and_given_name_give_the_same_key():
    assert fold_kana("ヤマダ　ハナコ") == fold_kana("ヤマダ ハナコ") == fold_kana("ヤマダハナコ") == "ヤマタハナコ"


def test_half_width_kana_with_a_half_width_space_matches_the_stored_form():
    assert fold_kana("ﾀｶﾊｼ ﾀﾛｳ") == fold_kana("タカハシ　タロウ")
