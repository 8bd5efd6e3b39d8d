"""How build_variant_map reads the MJ縮退マップ, on a tiny moji.db with the real schema (see variants.py)."""

from jumin.search.tests.moji_db import make_moji_db
from jumin.search.variants import build_variant_map

KOSEKI = "戸籍統一文字情報_親字正字"
NYUKAN_1 = "法務省告示582号別表第四_一"
NYUKAN_2 = "法務省告示582号別表第四_二"
JIS = "JIS包摂規準UCS統合規則"

CHARACTERS = [
    ("MJ1", "辺", "辺", "辺\U000E0101", None),
    ("MJ2", "邊", "邊", "邊\U000E0108", None),
    ("MJ3", "邊", None, "邊\U000E010F", None),
    ("MJ4", "邉", "邉", "邉\U000E010F", None),
    ("MJ5", "邉", None, "邉\U000E0119", None),
    ("MJ6", "辻", "辻", "辻\U000E0103", None),
    ("MJ7", "辻", None, "辻\U000E0102", None),
    ("MJ8", "牛", "㐄", None, None),
    ("MJ9", "欄", "\uf91d", None, "欄\ufe00"),
]
MAPS = {
    KOSEKI: [("MJ2", "辺", 1), ("MJ2", "什", 2), ("MJ3", "辺", 1), ("MJ4", "辺", 1), ("MJ4", "邊", 1),
             ("MJ9", "欄", 1)],
    NYUKAN_2: [("MJ8", "井", 2), ("MJ8", "牛", 1)],
    NYUKAN_1: [("MJ6", "辻", 1)],
    JIS: [("MJ1", "辺", None), ("MJ5", "邉", None), ("MJ6", "辻", None), ("MJ7", "辻", None), ("MJ9", "\uf91d", None)],
    "辞書類等による関連字": [("MJ1", "邊", None)],
}


def build(tmp_path, characters=CHARACTERS, maps=MAPS, joyo=("辺", "牛")):
    return build_variant_map(make_moji_db(tmp_path / "moji.db", characters, maps, joyo))


def test_the_koseki_table_comes_first_with_the_fewest_hops(tmp_path):
    variants = build(tmp_path)
    assert variants["邊"] == "辺"  # 1 hop to 辺 beats 2 hops to 什


def test_a_lower_priority_table_is_used_only_when_the_higher_ones_have_no_row(tmp_path):
    assert "辻" not in build(tmp_path)  # 582号 and JIS both say 辻 itself: an identity, dropped


def test_the_nyukan_table_gives_the_lowest_rank_when_the_koseki_table_has_no_row(tmp_path):
    assert build(tmp_path)["㐄"] == "牛"


def test_the_jis_unification_maps_an_ivs_form_to_its_code_point(tmp_path):
    assert build(tmp_path)["辻\U000E0102"] == "辻"


def test_a_bare_code_point_is_keyed_only_by_the_character_that_implements_it(tmp_path):
    variants = build(tmp_path)
    assert variants["邊\U000E010F"] == "辺"
    assert variants["邊"] == "辺"  # from MJ2 (implements 邊), not MJ3 (only 対応する)


def test_targets_are_followed_to_a_fixed_point(tmp_path):
    assert build(tmp_path)["邉\U000E0119"] == "辺"  # JIS: → 邉, then 邉 → 辺


def test_a_tie_prefers_a_joyo_kanji(tmp_path):
    assert build(tmp_path)["邉"] == "辺"  # 辺 and 邊 both at one hop


def test_a_compatibility_ideograph_and_its_svs_map_to_the_unified_character(tmp_path):
    variants = build(tmp_path)
    assert variants["\uf91d"] == variants["欄\ufe00"] == "欄"


def test_tables_outside_the_priority_list_are_not_used_and_identities_are_dropped(tmp_path):
    variants = build(tmp_path)
    assert "辺" not in variants and "辺\U000E0101" in variants


def test_a_cycle_resolves_every_member_to_the_same_character(tmp_path):
    characters = [("MJa", "隆", "隆", None, None), ("MJb", "隆", "\uf9dc", None, None)]
    maps = {KOSEKI: [("MJb", "隆", 1)], NYUKAN_1: [("MJa", "\uf9dc", 1)]}
    variants = build(tmp_path, characters, maps, joyo=("隆",))
    assert variants == {"\uf9dc": "隆"}
