"""Every refusal on an /api/ path is the documented JSON `{"error": {"code", "message", "field"}}` with a
Japanese message — also the framework's own: an unreadable body (400, `{"detail": …}` in English before),
an unknown path (404, Django's HTML page before), a wrong method (405, plain text before) and an unexpected
error (500, with no details; the traceback goes to the application log) (issue #15 item 4)."""

import logging

import pytest

from conftest import register_state
from jumin.audit.models import REFUSED, OperationLog


def _japanese_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "field"} and error["code"] == code
    assert any("\u3040" <= ch <= "\u9fff" for ch in error["message"])
    return error


@pytest.mark.parametrize("body,content_type", [("{not json", "application/json"), ("a=1", "text/plain")])
def test_an_unreadable_body_is_400(single_step, clerk, api_as, body, content_type):
    before = register_state()
    response = api_as(clerk).client.post("/api/changes/death", body, content_type=content_type)
    _japanese_error(response, 400, "bad_request")
    assert register_state() == before
    assert OperationLog.objects.filter(function="do_record_death", outcome=REFUSED, username="clerk").exists()


def test_an_unknown_path_is_404(clerk, api_as):
    _japanese_error(api_as(clerk).get("/no-such-thing"), 404, "not_found")
    _japanese_error(api_as(clerk).client.put("/api/changes/abc", "{}", content_type="application/json"), 404,
                    "not_found")
    _japanese_error(api_as(clerk).client.post("/api/certificates/1%0A/void", "{}", content_type="application/json"),
                    404, "not_found")  # a newline in the path (found by the fuzz)


def test_a_method_the_path_does_not_take_is_405(clerk, api_as):
    response = api_as(clerk).client.delete("/api/me")
    error = _japanese_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET" and "DELETE" in error["message"]


def test_an_unexpected_error_is_500_without_details_and_logged(family, clerk, api_as, monkeypatch, caplog):
    from jumin.register import queries

    def broken(*args, **kwargs):
        raise ZeroDivisionError("secret internal detail")

    monkeypatch.setattr(queries, "get_record", broken)
    with caplog.at_level(logging.ERROR, logger="jumin.api"):
        response = api_as(clerk).get(f"/residents/{family['created'][0]}")
    error = _japanese_error(response, 500, "server_error")
    assert "secret" not in response.content.decode() and "Traceback" not in response.content.decode()
    assert "システム管理者" in error["message"]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_a_schema_refusal_is_japanese_and_logged(single_step, clerk, api_as):
    before = register_state()
    error = _japanese_error(api_as(clerk).post("/changes/death", {"effective_on": "R6.5.1"}), 422, "invalid")
    assert error["field"] == "addressee_number" and error["message"] == "宛名番号を入力してください。"
    assert register_state() == before
    assert OperationLog.objects.filter(function="do_record_death", outcome=REFUSED).exists()


def test_a_user_who_may_read_gets_200(family, clerk, api_as):
    assert api_as(clerk).get(f"/residents/{family['created'][0]}").status_code == 200
