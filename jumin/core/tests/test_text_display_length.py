from jumin.core.text import display_length, strip_variation_selectors

KATSURA_IVS = "葛\U000E0102"  # MJ variant of 葛 (Moji_Joho IVS)
RAN_SVS = "欄\uFE00"  # SVS form of a CJK compatibility ideograph


def test_a_base_character_and_its_ideographic_variation_selector_count_as_one():
    assert display_length(f"{KATSURA_IVS}城 太郎") == 5


def test_a_standardized_variation_selector_counts_with_its_base_character():
    assert display_length(RAN_SVS) == 1


def test_characters_outside_the_basic_plane_count_as_one():
    assert display_length("𠮷田") == 2


def test_stripping_variation_selectors_leaves_the_base_characters_for_search_keys():
    assert strip_variation_selectors(f"{KATSURA_IVS}西　{RAN_SVS}") == "葛西　欄"
