"""Query-count guard (issue #8 item 5) for search through the API (GET /api/search).

Counts, not times: the bound is today's count, measured on SQLite and on PostgreSQL 15 (the same on both).
N+1 guard: a search that shows 4 people costs the same number of queries as one that shows 1 — the page
comes from one query, the 支援措置/抑止 checks and the operation-log rows of the people shown are one
statement each. The first search is made before counting, so the token's `last_used_at` UPDATE and
first-use work are not in the count.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumin.search.tests.people import move_in, person


def queries(fn, limit: int, label: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    assert response.status_code == 200, response.content
    n = len(captured)
    assert n <= limit, f"{label}: {n} queries (bound {limit}):\n" + "\n".join(q["sql"] for q in captured.captured_queries)
    return n


def test_search_api_does_not_grow_with_the_people_shown(single_step, clerk, api_as):
    move_in(clerk, person("山田 太郎", "ヤマダ タロウ", "S55.5.5"), person("山田 花子", "ヤマダ ハナコ", "S57.3.3", "2"),
            person("山田 一郎", "ヤマダ イチロウ", "H24.6.1"), person("山田 二郎", "ヤマダ ジロウ", "H27.2.2"),
            person("佐藤 一人", "サトウ カズト", "S60.1.1"), person("鈴木 一人", "スズキ カズト", "S61.1.1"))
    api = api_as(clerk)
    assert api.get("/search", kana="スズキ").json()["total"] == 1
    # measured 11: token; the matching keys with their order; the page of records; 支援措置 (2) and 抑止 (2) flags
    # of the rows shown; savepoint, one multi-row operation-log INSERT, the search-history INSERT, release
    one = queries(lambda: api.get("/search", kana="サトウ"), 11, "search API, 1 person shown")
    four = queries(lambda: api.get("/search", kana="ヤマダ"), 11, "search API, 4 people shown")
    assert one == four, f"N+1: {one} queries for 1 person shown, {four} for 4"
