"""Query-count guard (issue #8 item 5) for issuing a certificate through the API (POST /api/certificates).

Counts, not times: the bound is today's count, measured on SQLite and on PostgreSQL 15 (the same on both).
N+1 guard: a 世帯連記式 copy of a 4-person household costs the same number of queries as one of a 1-person
household — the register is read once for all subjects, the 支援措置/抑止 guard and the
operation log handle them in one go. One certificate is issued first at the same terminal, so the day's
通番 row exists and the token's `last_used_at` UPDATE is done.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import actor, family_params

FOURTH = {"name": "山田 二郎", "name_kana": "ヤマダ ジロウ", "birth_date": "2015-02-02", "sex": "1",
          "relationship": "子", "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番",
          "domicile_head": "山田 太郎"}
ALONE = {"name": "佐藤 一人", "name_kana": "サトウ カズト", "birth_date": "S60.1.1", "sex": "1", "relationship": "世帯主",
         "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区本町三丁目8番", "domicile_head": "佐藤 一人"}


@pytest.fixture
def households(single_step, clerk, mayor, config):
    from jumin.register.actions import do_move_in

    four = do_move_in(family_params(members=family_params()["members"] + [FOURTH]), actor=actor(clerk)).result
    one = do_move_in(family_params(members=[ALONE]), actor=actor(clerk)).result
    return {"four": four["created"], "one": one["created"]}


def body(subjects, layout):
    return {"kind": "resident_copy", "layout": layout, "subjects": subjects,
            "requester": {"kind": "self", "name": "本人"}, "identity_check": "my_number_card", "copies": 1}


def queries(fn, limit: int, label: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    assert response.status_code == 201, response.content
    n = len(captured)
    assert n <= limit, f"{label}: {n} queries (bound {limit}):\n" + "\n".join(q["sql"] for q in captured.captured_queries)
    return n


def test_issuing_does_not_grow_with_the_persons_on_the_certificate(households, clerk, api_as):
    api = api_as(clerk)
    assert api.post("/certificates", body(households["one"], "individual")).status_code == 201   # 通番 row, token
    # measured 22: token; settings; the subjects (one query), their drafts, the 認証者; 支援措置 (2) and 抑止 (2);
    # municipality; the household's size; the transaction: 通番 (SELECT … FOR UPDATE + UPDATE), 交付履歴, kept PDF,
    # operation log (+ savepoints); the change journal's counter UPDATE … RETURNING and INSERT (issue #16)
    one = queries(lambda: api.post("/certificates", body(households["one"], "household")), 22,
                  "certificate API, 1 person")
    four = queries(lambda: api.post("/certificates", body(households["four"], "household")), 22,
                   "certificate API, 4 persons")
    assert one == four, f"N+1: {one} queries for 1 person, {four} for 4"
