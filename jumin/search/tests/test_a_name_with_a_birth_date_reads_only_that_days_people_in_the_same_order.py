"""The counter's frequent combination — a name or フリガナ with 生年月日 (or a number) — is answered from the
people born that day, each checked against their own search keys (`_page_by_exact_fields`). It must give the
same people in the same order as the general query: living first, an exact match first, then フリガナ."""

import pytest

from conftest import actor
from jumin.register.actions import do_record_death
from jumin.search import queries
from jumin.search.tests.people import move_in, person


@pytest.fixture
def born_on_one_day(single_step, clerk):
    return move_in(clerk, person("山田 花子", "ヤマダ ハナコ", "S50.5.5", sex="2"), person("山田", "ヤマダ", "S50.5.5"),
                   person("山田 一", "ヤマダ ハジメ", "S50.5.5"), person("山口 二", "ヤマグチ ジ", "S50.5.5"),
                   person("田中 三", "タナカ サン", "S50.5.5"), person("山田 四", "ヤマダ シ", "S50.5.6"))


COMBINATIONS = [
    {"kana": "ヤマ", "birth_date": "S50.5.5"}, {"kana": "ヤマダ", "birth_date": "S50.5.5"},
    {"kana": "ﾔﾏﾀﾞ", "birth_date": "1975-05-05", "sex": "1"}, {"name": "山田", "birth_date": "S50.5.5"},
    {"name": "山田", "birth_date": "S50.5.5", "match": "exact"}, {"kana": "ヤマダ", "birth_date": "S50.5.5",
                                                               "include_removed": True},
    {"address": "宮城県仙台市", "birth_date": "S50.5.5"}, {"kana": "タナカ", "birth_date": "S50.5.6"},
]


@pytest.mark.parametrize("criteria", COMBINATIONS)
def test_the_day_path_gives_what_the_general_query_gives(born_on_one_day, clerk, monkeypatch, criteria):
    do_record_death({"addressee_number": born_on_one_day[2], "effective_on": "R6.8.1", "notified_on": "R6.8.2"},
                    actor=actor(clerk))
    cleaned = queries._clean(dict(criteria))
    keys = {n: queries._key(queries.TEXT_CRITERIA[n][2], cleaned[n]) for n in queries.TEXT_CRITERIA if n in cleaned}
    assert queries._by_exact_fields(cleaned, keys)                       # the day path answers these
    fast = queries.search(dict(criteria), actor=actor(clerk))
    monkeypatch.setattr(queries, "_by_exact_fields", lambda criteria, keys: False)
    general = queries.search(dict(criteria), actor=actor(clerk))
    assert [r["addressee_number"] for r in fast["results"]] == [r["addressee_number"] for r in general["results"]]
    assert fast["total"] == general["total"]


def test_the_exact_name_comes_first_and_the_removed_last(born_on_one_day, clerk):
    hanako, yamada, hajime, yamaguchi, tanaka, shi = born_on_one_day
    do_record_death({"addressee_number": hajime, "effective_on": "R6.8.1", "notified_on": "R6.8.2"}, actor=actor(clerk))
    found = queries.search({"kana": "ヤマダ", "birth_date": "S50.5.5", "include_removed": True}, actor=actor(clerk))
    assert [r["addressee_number"] for r in found["results"]] == [yamada, hanako, hajime]
