import pytest

from jumin.search import variants


def test_a_missing_map_is_a_clear_error_that_names_the_make_target(monkeypatch, tmp_path):
    monkeypatch.setenv("JUMIN_REFERENCE_DIR", str(tmp_path))
    monkeypatch.setattr(variants, "_cache", None)
    with pytest.raises(variants.ReferenceDataMissing, match="make reference-data"):
        variants.load_variant_map()
