from jumin.search.rules import fold_kana, split_given_name


def test_the_given_name_is_what_follows_the_first_space():
    assert split_given_name("山田　太郎") == "太郎"
    assert split_given_name("ヤマダ タロウ") == "タロウ"


def test_an_alphabet_name_keeps_its_middle_names_with_the_given_name():
    assert split_given_name("WANG FANG LI") == "FANG LI"


def test_a_name_without_a_space_has_no_given_name():
    assert split_given_name("山田") is None
    assert split_given_name("　山田　") is None


def test_a_given_name_search_folds_like_the_stored_given_name():
    assert fold_kana(split_given_name("タカハシ　ユウコ")) == fold_kana("ﾕｳｺ")
