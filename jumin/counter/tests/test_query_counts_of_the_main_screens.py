"""Query-count guards (issue #8 item 5) for the counter's main screens: search results (the htmx fragment
and the full page), 住民票照会 (record, with its household), and 異動履歴 (history).

Counts, not times: each bound is today's count, measured on SQLite and on PostgreSQL 15 (the same on both;
measured value in the comment). A clerk is logged in with a session (the screens' way; the
session is read and saved on every request). Each screen is opened once before it is counted, on another
person, so first-use work is not in the count. N+1 guards: search results for 1 and 4 people, a record in a
1-person and in a 4-person household, a history of 1 and of 4 snapshots.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import actor, family_params

FOURTH = {"name": "山田 二郎", "name_kana": "ヤマダ ジロウ", "birth_date": "2015-02-02", "sex": "1",
          "relationship": "子", "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番",
          "domicile_head": "山田 太郎"}


def alone(name, kana):
    return {"name": name, "name_kana": kana, "birth_date": "S60.1.1", "sex": "1", "relationship": "世帯主",
            "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区本町三丁目8番", "domicile_head": name}


@pytest.fixture
def households(single_step, clerk):
    from jumin.register.actions import do_move_in

    def move_in(members):
        result = do_move_in(family_params(members=members), actor=actor(clerk)).result
        return {"numbers": result["created"], "household": result["households"][0]}

    return {"four": move_in(family_params()["members"] + [FOURTH]), "one": move_in([alone("佐藤 一人", "サトウ カズト")]),
            "other": move_in([alone("鈴木 一人", "スズキ カズト")])}


@pytest.fixture
def screen(clerk):
    client = Client()
    client.force_login(clerk)
    session = client.session
    session["terminal"] = "本庁1"
    session.save()
    return client


def queries(fn, limit: int, label: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    assert response.status_code == 200, response.content[:500]
    n = len(captured)
    assert n <= limit, f"{label}: {n} queries (bound {limit}):\n" + "\n".join(q["sql"] for q in captured.captured_queries)
    return n


def test_search_results_fragment(households, screen):
    get = lambda kana: screen.get("/counter/search/", {"kana": kana}, HTTP_HX_REQUEST="true")  # noqa: E731
    get("スズキ")
    # measured 16: session, user; the search as in the API (keys, page, 支援措置 ×2, 抑止 ×2, savepoint, log INSERT,
    # history INSERT, release); the recent searches; the session save (savepoint, UPDATE, release)
    one = queries(lambda: get("サトウ"), 16, "search fragment, 1 shown")
    four = queries(lambda: get("ヤマダ"), 16, "search fragment, 4 shown")
    assert one == four, f"N+1: {one} queries for 1 person shown, {four} for 4"


def test_search_page(households, screen):
    screen.get("/counter/search/", {"kana": "スズキ"})
    # measured 16 (the same as the fragment: the page adds only template work)
    queries(lambda: screen.get("/counter/search/", {"kana": "ヤマダ"}), 16, "search page, 4 shown")


def record_counts(households, screen):
    screen.get(f"/counter/residents/{households['other']['numbers'][0]}/")
    # measured 18 in a 1-person and in a 4-person household: session, user, get_record (guard ×4, record,
    # household, drafts, log INSERT), get_household (members, the members' flags ×3 at once, log INSERT),
    # session save (3). It was 19 and 31 while the guard ran four queries per member.
    one = queries(lambda: screen.get(f"/counter/residents/{households['one']['numbers'][0]}/"), 18,
                  "record screen, 1-person household")
    four = queries(lambda: screen.get(f"/counter/residents/{households['four']['numbers'][0]}/"), 18,
                   "record screen, 4-person household")
    return one, four


def test_record_screen(households, screen):
    record_counts(households, screen)


def test_record_screen_does_not_grow_with_the_household(households, screen):
    one, four = record_counts(households, screen)
    assert one == four, f"N+1: {one} queries in a 1-person household, {four} in a 4-person one"


def test_history_screen(households, screen, clerk):
    from jumin.register.actions import do_relocate

    moved = households["four"]
    for i in range(3):
        do_relocate({"household_number": moved["household"], "effective_on": f"R6.5.{i + 1}", "notified_on": f"R6.5.{i + 1}",
                     "address": {"address": f"宮城県仙台市青葉区国分町二丁目{i + 1}番1号"}}, actor=actor(clerk))
    screen.get(f"/counter/residents/{households['other']['numbers'][0]}/history/")
    # measured 12: session, user, guard (4), the snapshots, the kinds of their changes, log INSERT, session save (3)
    one = queries(lambda: screen.get(f"/counter/residents/{households['one']['numbers'][0]}/history/"), 12,
                  "history screen, 1 snapshot")
    four = queries(lambda: screen.get(f"/counter/residents/{moved['numbers'][0]}/history/"), 12,
                   "history screen, 4 snapshots")
    assert one == four, f"N+1: {one} queries for 1 snapshot, {four} for 4"
