"""The form renderer's cache of shaped strings is bounded by bytes (issue #15 item 12): a worker lives for days
and most strings it shapes (names, 発行番号, 照合番号) never come back, so a cache bounded by a count of entries of
unknown size grew to ≈ 190 MB a worker. Labels touched on every certificate must still be served from it."""

import tracemalloc

from jumin.certificates import form
from jumin.certificates.fonts import ByteBudgetLRU, Face
from jumin.certificates.render import CERTIFICATE_FONT

from .conftest import issue, request_for

BUDGET = 256 * 1024


def unique(i: int) -> str:
    return f"本庁1 第{i:06d}号 照合番号 {i * 7919:010d}"


def test_many_unique_strings_never_take_more_than_the_budget_in_memory():
    face = Face(CERTIFICATE_FONT, BUDGET)
    face.clusters("住民票の写し")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(3000):  # ≈ 20 MB if every one were kept
            face.clusters(unique(i))
            assert face.shaped.bytes <= BUDGET
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # what Python really holds, not only what the cache counts: within the budget plus the glyph-advance table
    assert grown < 2 * BUDGET, grown
    assert 0 < len(face.shaped) < 3000


def test_a_string_that_recurs_is_served_from_the_cache_among_strings_that_do_not():
    face = Face(CERTIFICATE_FONT, BUDGET)
    label = face.clusters("住民となった年月日")
    for i in range(3000):
        face.clusters(unique(i))
        assert face.clusters("住民となった年月日") is label  # recently used: never the one evicted


def test_a_string_shaped_not_to_be_kept_is_not_cached():
    face = Face(CERTIFICATE_FONT, BUDGET)
    first = face.clusters(unique(1), keep=False)
    assert unique(1) not in face.shaped
    assert face.clusters(unique(1), keep=False) is not first
    assert [c.text for c in first] == list(unique(1))


def test_an_entry_larger_than_the_whole_budget_is_not_kept_and_the_oldest_goes_first():
    cache = ByteBudgetLRU(100)
    cache.put("big", "x", 101)
    assert "big" not in cache and cache.bytes == 0
    cache.put("a", 1, 40)
    cache.put("b", 2, 40)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 3, 40)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert cache.bytes == 80


def test_a_certificate_keeps_its_labels_but_not_its_values_issue_numbers_or_verification_code(clerk, yamada):
    result = issue(clerk, request_for(yamada["head"], yamada["wife"], layout="household"))
    shaped = form.face().shaped
    assert "氏名" in shaped and "世帯主" in shaped  # labels of the sheet
    assert yamada["head"].name not in shaped and yamada["wife"].name not in shaped  # one person's values
    for number in result.issuance.issue_numbers:
        assert number not in shaped
    assert result.issuance.verification_code not in shaped


def test_the_budget_is_a_setting_else_the_environment_else_16_mb(settings, monkeypatch):
    from jumin.certificates.fonts import SHAPE_CACHE_ENV, shape_cache_bytes

    monkeypatch.delenv(SHAPE_CACHE_ENV, raising=False)
    if hasattr(settings, "CERTIFICATE_SHAPE_CACHE_BYTES"):
        del settings.CERTIFICATE_SHAPE_CACHE_BYTES
    assert shape_cache_bytes() == 16 * 1024 * 1024
    monkeypatch.setenv(SHAPE_CACHE_ENV, "4")
    assert shape_cache_bytes() == 4 * 1024 * 1024
    settings.CERTIFICATE_SHAPE_CACHE_BYTES = 123456
    assert shape_cache_bytes() == 123456
