import pytest

from jumin.register.rules import append_to_household_order


def test_new_members_are_appended_at_the_end_in_the_order_given():
    assert append_to_household_order(["h", "w"], ["baby", "mother_in_law"]) == ["h", "w", "baby", "mother_in_law"]


def test_the_existing_list_is_not_changed():
    existing = ["h"]

    append_to_household_order(existing, ["w"])

    assert existing == ["h"]


def test_a_member_already_in_the_household_cannot_be_appended_again():
    with pytest.raises(ValueError):
        append_to_household_order(["h", "w"], ["w"])
    with pytest.raises(ValueError):
        append_to_household_order(["h"], ["c", "c"])
