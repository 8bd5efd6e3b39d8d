"""Bad input gets a clear refusal and nothing written (issue #16): unknown keys anywhere, groups nested deeper than
3 or more than 50 conditions, 令和0年 and 2026-02-30, an age range upside down, a condition on a value the item's
code table does not have, an operator the item's type does not take, an output format not offered — each a 422 with
a Japanese message naming the key, through the API and the Python API alike, and each refusal in the operation log."""

import pytest

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import RuleViolation
from jumin.euc import actions, queries
from jumin.euc.tests.conftest import AOBA_ELDERLY, euc_state


def nested(depth):
    node = {"item": "sex", "op": "eq", "value": "1"}
    for _ in range(depth):
        node = {"all": [node]}
    return node


BAD = [
    ({**AOBA_ELDERLY, "raw_sql": "SELECT 1"}, "raw_sql", "「raw_sql」という指定はありません"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "sex", "op": "eq", "value": "1", "sql": "1=1"}]}},
     "where.all[0].sql", "「sql」という指定はありません"),
    ({**AOBA_ELDERLY, "where": nested(4)}, "where.all[0].all[0].all[0]", "入れ子は3段まで"),
    ({**AOBA_ELDERLY, "where": {"any": [{"item": "sex", "op": "eq", "value": "1"}] * 51}}, "where.any", "50個まで"),
    ({**AOBA_ELDERLY, "as_of": "令和0年4月1日"}, "as_of", "存在しない年（令和0年）"),
    ({**AOBA_ELDERLY, "as_of": "2026-02-30"}, "as_of", "存在しない日付（2026年2月30日）"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "age", "op": "between", "value": [74, 65]}]}},
     "where.all[0].value", "下限（74）が上限（65）より大きく"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "性別", "op": "eq", "value": "3"}]}},
     "where.all[0].value", "「性別」に「3」という値はありません"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "ward", "op": "eq", "value": "中央区"}]}},
     "where.all[0].value", "「行政区」に「中央区」という値はありません"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "birth_date", "op": "starts_with", "value": "1957"}]}},
     "where.all[0].op", "「starts_with」の条件は使えません"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "birth_date", "op": "gte", "value": "R8.2.30"}]}},
     "where.all[0].value", "存在しない日付"),
    ({**AOBA_ELDERLY, "dataset": "households"}, "dataset", "「households」というデータセットはありません"),
    ({**AOBA_ELDERLY, "items": ["name", "好きな色"]}, "items[1]", "「好きな色」はこのデータセットにありません"),
    ({"dataset": "changes", "items": ["name"]}, "period", "期間（period: from と to）を指定"),
    ({"dataset": "changes", "items": ["name"], "period": {"from": "R8.4.30", "to": "R8.4.1"}}, "period",
     "開始日が終了日より後"),
    ({**AOBA_ELDERLY, "where": {"all": [{"item": "sex", "op": "eq", "value": {"param": "性別"}}]}},
     "where.all[0].value", "パラメータ「性別」の値が指定されていません"),
]


@pytest.mark.parametrize("query,field,message", BAD)
def test_the_python_api_refuses_and_logs(city, analyst, query, field, message):
    before = euc_state()
    with pytest.raises(RuleViolation) as refused:
        queries.preview(query, actor=actor(analyst))
    assert message in refused.value.message and refused.value.field == field
    assert refused.value.code != "forbidden"
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.preview", outcome=REFUSED, reason=refused.value.message).exists()


@pytest.mark.parametrize("query,field,message", BAD[:2] + BAD[4:9])
def test_the_api_answers_422_with_the_key(city, analyst, api_as, query, field, message):
    before = euc_state()
    response = api_as(analyst).post("/euc/run", {"query": query, "output": "csv"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"].endswith(field.rsplit(".", 1)[-1])
    # An unknown key is refused by the request schema (register.schemas.In), the rest by euc.rules.
    assert message in error["message"] or (f"{field}」は入力できません" in error["message"])
    assert euc_state() == before
    assert OperationLog.objects.filter(outcome=REFUSED, username="analyst").exists()


def test_an_output_format_not_offered_is_refused(city, analyst, api_as):
    before = euc_state()
    response = api_as(analyst).post("/euc/run", {"query": AOBA_ELDERLY, "output": "docx"})
    assert response.status_code == 422
    assert "出力形式「docx」は選べません" in response.json()["error"]["message"]
    with pytest.raises(RuleViolation, match="出力形式「xml」は選べません"):
        actions.do_run_euc(AOBA_ELDERLY, "xml", actor=actor(analyst))
    assert euc_state() == before
    assert OperationLog.objects.filter(function="euc.run", outcome=REFUSED).count() >= 1


def test_a_very_deep_query_is_refused_not_a_server_error(city, analyst, api_as):
    response = api_as(analyst).post("/euc/preview", {"query": {**AOBA_ELDERLY, "where": nested(60)}})
    assert response.status_code == 422
    assert "3段まで" in response.json()["error"]["message"]
