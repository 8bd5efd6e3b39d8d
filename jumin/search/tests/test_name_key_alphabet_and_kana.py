from jumin.search.rules import fold_kana, fold_name


def test_alphabet_names_ignore_width_case_and_spaces():
    assert fold_name("WANG ＦＡＮＧ") == fold_name("wang fang") == fold_name("ＷＡＮＧ　ＦＡＮＧ") == "WANGFANG"


def test_kana_in_a_name_follow_the_kana_rules():
    assert fold_name("佐藤 さくら") == fold_name("佐藤　ｻｸﾗ") == "佐藤" + fold_kana("サクラ")
    assert fold_name("山田 ルーシー") == fold_name("山田 ルシ")


def test_without_a_variant_map_kanji_are_kept():
    assert fold_name("髙橋") == "髙橋"
