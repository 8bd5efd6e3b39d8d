"""`GET /api/dictionary` and `GET /api/dictionary/{entity}` (issue #16 item 1): the dictionary as JSON for any role
that reads data (住民票の照会, データ抽出・EUC or 操作ログの照会); the administrator is refused (403, logged);
an unknown entity is a Japanese 404, logged, and nothing else is written."""

import pytest

from jumin.audit.models import OperationLog
from jumin.core import dictionary as d

pytestmark = pytest.mark.django_db


def test_a_clerk_reads_the_whole_dictionary(api_as, clerk):
    response = api_as(clerk).get("/dictionary")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == d.version()
    assert [e["code"] for e in body["entities"]] == [e.code for e in d.entities()]
    residents = body["entities"][0]
    assert residents["you_may_extract"] is False          # a clerk reads the dictionary but does not extract
    since = next(i for i in residents["items"] if i["name"] == "address_since")
    assert since["ja"] == "住所を定めた年月日" and since["type"] == "date"
    assert {"code": "analyst", "label": "統計・EUC担当"} in body["roles"]
    changes = next(e for e in body["entities"] if e["code"] == "changes")
    assert changes["where"] == [{"item": "status", "value": "approved"}]
    assert OperationLog.objects.count() == 0               # structure, not people: a read is not logged


def test_an_analyst_reads_one_entity_and_sees_what_it_may_extract(api_as, db):
    from jumin.accounts.models import User

    analyst = User.objects.create_user(username="analyst", password="x", role="analyst", display_name="統計 五郎")
    body = api_as(analyst).get("/dictionary/residents").json()
    assert body["code"] == "residents" and body["version"] == d.version() and body["you_may_extract"] is True
    number = next(i for i in body["items"] if i["name"] == "individual_number")
    assert number["sensitivity"] == "個人番号" and number["extractable_by"] == ["approver"]
    assert api_as(analyst).get("/dictionary/operation_log").json()["you_may_extract"] is False


def test_the_auditor_reads_it_too(api_as, auditor):
    assert api_as(auditor).get("/dictionary/operation_log").json()["you_may_extract"] is True


def test_an_unknown_entity_is_a_japanese_404_and_logged(api_as, clerk):
    response = api_as(clerk).get("/dictionary/people")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found" and error["field"] == "entity"
    assert error["message"].startswith("「people」というデータはありません（あるもの: residents、history")
    row = OperationLog.objects.get()
    assert (row.function, row.outcome, row.username) == ("dictionary.view", "refused", "clerk")


def test_the_administrator_is_refused_and_the_refusal_logged(api_as, admin_user):
    response = api_as(admin_user).get("/dictionary")
    assert response.status_code == 403
    assert response.json()["error"]["message"].startswith("データディクショナリを見る権限がありません")
    row = OperationLog.objects.get()
    assert (row.function, row.outcome, row.username) == ("dictionary.view", "refused", "admin")


def test_without_credentials_it_is_401(client, db):
    assert client.get("/api/dictionary").status_code == 401
