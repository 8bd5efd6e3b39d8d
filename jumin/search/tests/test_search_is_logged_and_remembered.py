"""Each search is in the operation log (who, criteria, hits, each person shown) and in the user's history."""

from jumin.audit.models import OperationLog


def test_a_search_logs_who_what_and_how_many_and_is_in_my_history(family, clerk, clerk2, api_as):
    api_as(clerk).get("/search", kana="ヤマダ", reason="転入届の確認")
    rows = OperationLog.objects.filter(function="search")
    assert rows.count() == 3 and {r.username for r in rows} == {"clerk"}
    assert all(r.detail["hits"] == 3 and r.detail["criteria"]["kana"] == "ヤマダ" for r in rows)
    assert all(r.reason == "転入届の確認" for r in rows)
    mine = api_as(clerk).get("/search/history").json()
    assert mine[0]["criteria"]["kana"] == "ヤマダ" and mine[0]["hits"] == 3
    assert api_as(clerk2).get("/search/history").json() == []
