"""A name, フリガナ or address criterion — or a name with an address; exact, prefix or partial — alone or with
性別, 消除事由, a blank item or a 住所コード, is answered from the key rows of the first in the page's order, each person at their first (best) key,
the candidates checked against the rest, and counted from the first rows of the key range
(`_page_from_keys`); when those rows cannot tell — persons with many matching keys, too few candidates passing
the rest — the general query answers. Every page and every count must be what the general query gives, with
and without 除票."""

import pytest

from conftest import actor
from jumin.register.actions import do_record_death
from jumin.search import queries
from jumin.search.models import SearchKey
from jumin.search.tests.people import move_in, person

IZUMI = {"postcode": "9813133", "address_code": "04105001001", "address": "宮城県仙台市泉区泉中央一丁目1番1号"}

PAST_KANA = ["ヤマタロウ", "ヤマダイチ", "ヤマダジ", "ヤマキ"]   # 旧 フリガナ keys of ヤマカワ (not current)


@pytest.fixture
def yama(single_step, clerk):
    """ヤマダ (exact), ヤマダ ハナコ (女), ヤマダ ジロウ, ヤマモト (女), ヤマグチ (dies), ヤマカワ with four past
    フリガナ keys — all in 青葉区 — and ヤマダ ゴロウ in 泉区."""
    people = move_in(clerk, person("山田", "ヤマダ", "S50.1.1"), person("山田 花子", "ヤマダ ハナコ", "S50.1.2", sex="2"),
                     person("山田 次郎", "ヤマダ ジロウ", "S50.1.3"), person("山本 一", "ヤマモト ハジメ", "S50.1.4", sex="2"),
                     person("山口 二", "ヤマグチ ジ", "S50.1.5"), person("山川 三", "ヤマカワ サン", "S50.1.6"))
    people += move_in(clerk, person("山田 五郎", "ヤマダ ゴロウ", "S50.1.7"), address=IZUMI)
    do_record_death({"addressee_number": people[4], "effective_on": "R6.8.1", "notified_on": "R6.8.2"},
                    actor=actor(clerk))
    current = SearchKey.objects.get(addressee_number=people[5], kind="kana")
    SearchKey.objects.bulk_create([SearchKey(addressee_number=current.addressee_number, kind="kana", key=key,
                                             current=False, living=current.living, sort=current.sort)
                                   for key in PAST_KANA])
    return people


def found(clerk, criteria, page, page_size):
    result = queries.search(dict(criteria), actor=actor(clerk), page=page, page_size=page_size)
    return [r["addressee_number"] for r in result["results"]], result["total"], result["total_capped"]


CRITERIA = [{"kana": "ヤマ"}, {"kana": "ヤマダ"}, {"kana": "ヤマ", "include_removed": True},
            {"kana": "ヤマダ", "match": "exact"}, {"name": "山田"}, {"address": "宮城県仙台市"},
            {"kana": "ヤマ", "sex": "1"}, {"kana": "ヤマ", "sex": "2", "include_removed": True},
            {"name": "山田", "sex": "2"}, {"address": "宮城県仙台市", "sex": "1", "include_removed": True},
            {"name": "山田", "address": "宮城県仙台市青葉区"}, {"kana": "ヤマ", "address": "宮城県仙台市泉区"},
            {"kana": "ヤマダ", "address": "宮城県", "sex": "1", "include_removed": True},
            {"given_name": "ハナコ", "address": "宮城県"}, {"kana": "ヤマ", "removal_reason": "death"},
            {"name": "山田", "blank": "domicile"}, {"address": "宮城県仙台市泉区", "kana": "ヤマダ", "match": "exact"},
            {"kana": "マダ", "match": "partial"}, {"name": "田", "match": "partial", "sex": "1"},
            {"kana": "ダ", "address": "泉区", "match": "partial", "include_removed": True},
            {"kana": "ヤマ", "address_code": "04105"}, {"name": "山田", "address_code": "041", "sex": "1"}]


@pytest.mark.parametrize("count_rows", [1, 4, 1010])
@pytest.mark.parametrize("spare", [0, 20])
@pytest.mark.parametrize("criteria", CRITERIA)
def test_every_page_and_count_is_the_general_querys(yama, clerk, monkeypatch, criteria, spare, count_rows):
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(queries, "COUNT_ROWS", count_rows)
    monkeypatch.setattr(queries, "PAGE_ROWS_SPARE", spare)
    for page_size in (1, 2, 3):
        for page in (1, 2, 3, 4, 8):
            with monkeypatch.context() as general:
                general.setattr(queries, "_by_key_order", lambda criteria, keys: False)
                expected = found(clerk, criteria, page, page_size)
            assert found(clerk, criteria, page, page_size) == expected, (page_size, page)


def test_a_person_with_several_matching_keys_is_listed_once_at_the_best(yama, clerk):
    yamada, hanako, jiro, yamamoto, yamaguchi, yamakawa, goro = yama
    shown, total, capped = found(clerk, {"kana": "ヤマダ"}, 1, 20)
    assert shown == [yamada, yamakawa, goro, jiro, hanako]   # exact first, then by the current フリガナ
    assert (total, capped) == (5, False)
    shown, total, capped = found(clerk, {"kana": "ヤマ", "include_removed": True}, 1, 20)
    assert shown == [yamakawa, yamada, goro, jiro, hanako, yamamoto, yamaguchi]
    assert (total, capped) == (7, False)


def test_when_the_first_rows_cannot_tell_the_general_query_answers(yama, clerk, monkeypatch):
    """ヤマカワ's five keys fill the rows read for a page of two: the page and count come from the general query."""
    yamada, hanako, jiro, yamamoto, yamaguchi, yamakawa, goro = yama
    general = []
    monkeypatch.setattr(queries, "PAGE_ROWS_SPARE", 0)
    monkeypatch.setattr(queries, "build_queryset", lambda *args, _real=queries.build_queryset: general.append(1)
                        or _real(*args))
    assert found(clerk, {"kana": "ヤマ"}, 1, 2) == ([yamakawa, yamada], 6, False)
    assert general


def test_a_sex_is_kept_from_the_key_order(yama, clerk):
    yamada, hanako, jiro, yamamoto, yamaguchi, yamakawa, goro = yama
    assert found(clerk, {"kana": "ヤマ", "sex": "2"}, 1, 20) == ([hanako, yamamoto], 2, False)
    assert found(clerk, {"kana": "ヤマ", "sex": "1", "include_removed": True}, 1, 20) == (
        [yamakawa, yamada, goro, jiro, yamaguchi], 5, False)


def test_a_name_with_an_address_keeps_those_living_there(yama, clerk):
    yamada, hanako, jiro, yamamoto, yamaguchi, yamakawa, goro = yama
    assert found(clerk, {"kana": "ヤマダ", "address": "宮城県仙台市泉区"}, 1, 20) == ([goro], 1, False)
    assert found(clerk, {"name": "山田", "address": "宮城県仙台市青葉区"}, 1, 20) == ([yamada, jiro, hanako], 3, False)
    assert found(clerk, {"kana": "ヤマ", "removal_reason": "death"}, 1, 20) == ([yamaguchi], 1, False)
    assert found(clerk, {"kana": "ヤマ", "address_code": "04105"}, 1, 20) == ([goro], 1, False)   # 泉区
