from jumin.search.rules import fold_address


def test_spaces_are_dropped_and_full_width_digits_become_ascii():
    assert fold_address("宮城県仙台市青葉区一番町四丁目７番１７号　一番町ハイツ３０１") == (
        "宮城県仙台市青葉区一番町四丁目7番17号一番町ハイツ301"
    )


def test_dashes_after_a_digit_or_letter_become_a_hyphen():
    assert fold_address("1ー2－3") == fold_address("1-2-3") == fold_address("１‐２―３") == "1-2-3"
    assert fold_address("Ａ－１０１") == fold_address("a-101") == "A-101"


def test_a_long_vowel_mark_inside_a_word_is_kept():
    assert fold_address("ｺｰﾎﾟ仙台") == fold_address("コーポ仙台") == "コーポ仙台"


def test_kanji_numerals_are_not_converted_and_chome_ban_go_are_kept():
    assert fold_address("四丁目7番17号") == "四丁目7番17号"
    assert fold_address("四丁目") != fold_address("4丁目")


def test_variation_selectors_are_dropped():
    assert fold_address("葛\U000E0102飾区") == "葛飾区"
