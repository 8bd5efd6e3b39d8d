"""Similar impressions (one seal cannot serve two persons, standard-spec §5.1): a 512-bit difference hash of the
ink, compared by Hamming distance against a threshold (default 36 bits). These measurements are the ones quoted
in docs/conformance.md and in jumin/seals/impression.py."""

import pytest

from jumin.seals.impression import DEFAULT_THRESHOLD_BITS, hash_distance, read_impression
from jumin.seals.tests.conftest import seal_scan

MB = 5 * 1024 * 1024


def h(data):
    return read_impression(data, max_bytes=MB).dhash


@pytest.fixture(scope="module")
def yamada():
    return h(seal_scan("山田"))


@pytest.mark.parametrize("variant", [
    {"dpi": 300}, {"dpi": 1200, "canvas_mm": 30}, {"rotate": 3}, {"rotate": -5}, {"noise": 20, "shift": (40, -30)},
    {"mm": 14}, {"color": (30, 30, 160)}, {"fmt": "JPEG"}, {"dpi": 300, "fmt": "JPEG"},
])
def test_the_same_seal_scanned_again_is_similar(yamada, variant):
    assert hash_distance(yamada, h(seal_scan("山田", **variant))) <= DEFAULT_THRESHOLD_BITS


def test_turned_further_than_about_5_degrees_it_is_no_longer_recognised(yamada):
    """A documented limit: the hash is not rotation-invariant; the clerk scans the impression upright."""
    assert hash_distance(yamada, h(seal_scan("山田", rotate=8))) > DEFAULT_THRESHOLD_BITS


@pytest.mark.parametrize("name", ["花子", "太郎", "一郎", "佐藤", "鈴木", "高橋", "渡辺", "中村", "小林", "加藤"])
def test_a_seal_of_a_name_sharing_no_character_is_not_similar(yamada, name):
    assert hash_distance(yamada, h(seal_scan(name))) > DEFAULT_THRESHOLD_BITS


@pytest.mark.parametrize("name", ["山口", "吉田", "山本"])
def test_a_seal_sharing_the_ring_and_a_character_may_count_as_similar_and_needs_an_approver(yamada, name):
    """The documented false positives (15–30 bits): the approver compares the two seals and overrides."""
    assert hash_distance(yamada, h(seal_scan(name))) <= DEFAULT_THRESHOLD_BITS


def test_a_square_seal_is_not_like_a_round_one_with_the_same_name(yamada):
    assert hash_distance(yamada, h(seal_scan("山田", shape="square"))) > DEFAULT_THRESHOLD_BITS


def test_the_distance_is_symmetric_and_zero_for_the_same_scan(yamada):
    other = h(seal_scan("花子"))
    assert hash_distance(yamada, yamada) == 0
    assert hash_distance(yamada, other) == hash_distance(other, yamada)
    assert len(yamada) == 128   # 512 bits in hex
