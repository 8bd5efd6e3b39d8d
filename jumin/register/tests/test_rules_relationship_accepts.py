import pytest

from jumin.register.rules import HEAD, is_valid_relationship, validate_relationship


@pytest.mark.parametrize(
    "value",
    [
        "世帯主", "縁故者", "同居人",
        "夫", "妻", "夫（未届）", "妻（未届）", "子", "父", "母", "兄", "姉", "弟", "妹",
        "子（子の夫）", "子（子の妻）",
        "子の妻", "子の子", "妻の父", "父の父", "母の母", "兄の子", "妻（未届）の子", "子の妻（未届）",
        "子の子の子の子", "妻の父の兄の子", "妻の兄の妻の兄の妻の兄",
    ],
)
def test_allowed_relationships_are_returned_unchanged(value):
    assert validate_relationship(value) == value
    assert is_valid_relationship(value)


def test_the_head_constant_is_the_head_relationship():
    assert HEAD == "世帯主"


def test_half_width_parentheses_are_stored_full_width():
    assert validate_relationship("妻(未届)") == "妻（未届）"
    assert validate_relationship("子の夫(未届)") == "子の夫（未届）"


def test_surrounding_and_inner_spaces_are_removed():
    assert validate_relationship("　子の 妻 ") == "子の妻"


def test_four_generations_of_children_are_allowed():
    assert validate_relationship("子の子の子の子") == "子の子の子の子"
