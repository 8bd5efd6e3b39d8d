"""「ウ」 after an オ段 kana, from the second character on, also matches 「オ」 (standard-spec §6.1)."""

from jumin.search.rules import fold_kana


def test_u_after_an_o_row_kana_matches_o():
    assert fold_kana("トウキョウ") == fold_kana("トオキョオ")
    assert fold_kana("サトウ") == fold_kana("サトオ")
    assert fold_kana("オオノ") == fold_kana("オウノ")  # 大野


def test_voiced_o_row_kana_count_as_o_row():
    assert fold_kana("ゴウ") == fold_kana("コオ")
    assert fold_kana("ショウ") == fold_kana("シヨオ")


def test_a_leading_u_stays_u():
    assert fold_kana("ウメ") == "ウメ"
    assert fold_kana("ウメ") != fold_kana("オメ")


def test_u_after_a_kana_outside_the_o_row_stays_u():
    assert fold_kana("ユウキ") == "ユウキ"
    assert fold_kana("ユウキ") != fold_kana("ユオキ")


def test_a_run_of_u_and_o_after_an_o_row_kana_is_all_o():
    assert fold_kana("コウウン") == fold_kana("コオウン") == fold_kana("コウオン")
