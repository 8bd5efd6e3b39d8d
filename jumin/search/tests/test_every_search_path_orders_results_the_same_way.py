"""Searches take one of three paths (exact fields read and sorted in Python, one text criterion grouped from the
key index, the general query); each orders living before removed, an exact match first, then フリガナ, then
宛名番号 — and an exact-field search with more hits than the count cap falls back to the general query."""

from conftest import actor
from jumin.audit.actions import Actor
from jumin.register.actions import do_record_death
from jumin.search import queries
from jumin.search.tests.people import move_in, person


def numbers(clerk, **criteria):
    return [r["addressee_number"] for r in queries.search(criteria, actor=Actor(user=clerk))["results"]]


def born_on_one_day(clerk):
    """Four people born on S50.5.5: ワタナベ, アベ, サトウ (dies), カトウ — in 宛名番号 order as listed."""
    return move_in(clerk, person("渡辺 一", "ワタナベ ハジメ", "S50.5.5"), person("阿部 二", "アベ ジ", "S50.5.5"),
                   person("佐藤 三", "サトウ サン", "S50.5.5"), person("加藤 四", "カトウ シ", "S50.5.5"))


def test_a_birth_date_search_is_in_kana_order_with_the_removed_last(single_step, clerk):
    watanabe, abe, sato, kato = born_on_one_day(clerk)
    do_record_death({"addressee_number": abe, "effective_on": "R6.8.1", "notified_on": "R6.8.2"}, actor=actor(clerk))
    assert numbers(clerk, birth_date="S50.5.5") == [kato, sato, watanabe]
    assert numbers(clerk, birth_date="S50.5.5", include_removed=True) == [kato, sato, watanabe, abe]


def test_a_kana_prefix_puts_the_exact_match_first_then_kana_order(single_step, clerk):
    first, second, exact = move_in(clerk, person("佐藤 花子", "サトウ ハナコ", "S60.1.1"),
                                   person("佐藤 一", "サトウ ハジメ", "S60.1.2"), person("佐藤", "サトウ", "S60.1.3"))
    assert numbers(clerk, kana="サトウ") == [exact, second, first]


def test_over_the_count_cap_an_exact_field_search_falls_back_to_the_general_query(single_step, clerk, monkeypatch):
    watanabe, abe, sato, kato = born_on_one_day(clerk)
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    result = queries.search({"birth_date": "S50.5.5"}, actor=Actor(user=clerk), page_size=2)
    assert [r["addressee_number"] for r in result["results"]] == [abe, kato]
    assert result["total_capped"] is True
