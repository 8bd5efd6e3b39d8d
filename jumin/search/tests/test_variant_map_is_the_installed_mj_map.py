"""The installed map (built by `make reference-data` from @mandel59/mojidata) has the shape the keys need."""

import json

from jumin.search.variants import SEARCH_EQUIVALENTS, VARIANTS_FILE, load_variant_map, reference_dir


def is_selector(ch):
    return 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF


def test_the_map_covers_the_mj_variants_and_names_its_source_and_licence():
    with (reference_dir() / VARIANTS_FILE).open(encoding="utf-8") as f:
        source = json.load(f)["source"]
    assert source["package"] == "@mandel59/mojidata"
    data = json.loads((reference_dir() / VARIANTS_FILE).read_text(encoding="utf-8"))["variants"]
    assert source["count"] == len(data) > 20_000
    # what is loaded is the data plus the search's own equivalences (issue #3: 斉 → 斎), nothing else
    assert set(load_variant_map()) == set(data) | set(SEARCH_EQUIVALENTS)
    assert "CC BY-SA 2.1 JP" in source["licence"]
    assert (reference_dir() / "ATTRIBUTION.md").exists()


def test_every_target_is_one_character_without_a_selector_and_maps_no_further():
    variants = load_variant_map()
    for key, target in variants.items():
        assert len(target) == 1 and not is_selector(target), (key, target)
        assert target not in variants, (key, target)  # applied to a fixed point
        assert key != target


def test_keys_are_characters_or_a_character_with_its_variation_selector():
    for key in load_variant_map():
        assert len(key) == 1 or (len(key) == 2 and is_selector(key[1])), key


def test_the_map_is_read_once_per_process():
    assert load_variant_map() is load_variant_map()
