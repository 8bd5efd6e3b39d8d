import datetime

from jumin.register.rules import MemberForOrder, standard_household_order

D = datetime.date


def member(number, relationship, born=None):
    return MemberForOrder(addressee_number=number, relationship=relationship, birth_date=born)


def test_head_comes_first_then_the_spouse_then_the_heads_children_by_birth():
    members = [
        member("c2", "子", D(2000, 1, 1)),
        member("w", "妻", D(1970, 1, 1)),
        member("c1", "子", D(1998, 1, 1)),
        member("h", "世帯主", D(1968, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "w", "c1", "c2"]


def test_the_childrens_families_follow_one_generation_after_another():
    members = [
        member("gg", "子の子の子", D(2040, 1, 1)),
        member("gs", "子の子の妻", D(2021, 1, 1)),
        member("g", "子の子", D(2020, 1, 1)),
        member("ds", "子の夫", D(1990, 1, 1)),
        member("c", "子", D(1992, 1, 1)),
        member("h", "世帯主", D(1960, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "c", "ds", "g", "gs", "gg"]


def test_parents_come_father_first_then_siblings_by_birth_then_grandparents():
    members = [
        member("gm", "母の母", D(1910, 1, 1)),
        member("gf", "父の父", D(1915, 1, 1)),
        member("ys", "妹", D(1975, 1, 1)),
        member("ob", "兄", D(1965, 1, 1)),
        member("m", "母", D(1940, 1, 1)),
        member("f", "父", D(1945, 1, 1)),
        member("h", "世帯主", D(1970, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "f", "m", "ob", "ys", "gf", "gm"]


def test_the_spouses_relatives_follow_the_heads_other_family_in_the_same_pattern():
    members = [
        member("wb", "妻の兄", D(1960, 1, 1)),
        member("wm", "妻の母", D(1935, 1, 1)),
        member("wf", "妻の父", D(1930, 1, 1)),
        member("nephew", "兄の子", D(1990, 1, 1)),
        member("m", "母", D(1940, 1, 1)),
        member("w", "妻", D(1965, 1, 1)),
        member("h", "世帯主", D(1962, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "w", "m", "nephew", "wf", "wm", "wb"]


def test_enkosha_and_then_doukyonin_come_last():
    members = [
        member("l", "同居人", D(1950, 1, 1)),
        member("r", "縁故者", D(1990, 1, 1)),
        member("wb", "妻の兄", D(1960, 1, 1)),
        member("h", "世帯主", D(1962, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "wb", "r", "l"]


def test_ties_are_broken_by_birth_date_with_unknown_dates_last_then_by_addressee_number():
    members = [
        member("0000000035", "子", None),
        member("0000000027", "子", None),
        member("0000000019", "子", D(2001, 1, 1)),
        member("h", "世帯主", D(1970, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "0000000019", "0000000027", "0000000035"]


def test_a_child_who_is_also_a_childs_spouse_ranks_as_a_child():
    members = [
        member("ds", "子（子の夫）", D(1990, 1, 1)),
        member("w", "妻", D(1965, 1, 1)),
        member("c", "子", D(1992, 1, 1)),
        member("h", "世帯主", D(1962, 1, 1)),
    ]

    assert standard_household_order(members) == ["h", "w", "ds", "c"]


def test_an_unreadable_legacy_relationship_is_kept_at_the_end():
    members = [member("x", "孫", D(2010, 1, 1)), member("l", "同居人"), member("h", "世帯主")]

    assert standard_household_order(members) == ["h", "l", "x"]
