"""Over-long or NUL-containing values — a 宛名番号 in the path, a query value, a reason, an idempotency key, a
requester name, a purpose, an e-mail — are refused at the API's edge with a Japanese message naming the item;
nothing is written and the refusal is logged (issue #15 item 3: they made the operation-log insert fail, an
HTML 500 on PostgreSQL, and a refused write left no log row)."""

import pytest

from conftest import family_params, register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates.models import Issuance
from jumin.restrictions.models import ProtectionOrder


def _refused(response, field, code):
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == field and error["code"] == code, error
    assert any("\u3040" <= ch <= "\u9fff" for ch in error["message"])


@pytest.mark.parametrize("number,code", [("1" * 300, "too_long"), ("00000000\x0019", "control_character")])
def test_a_bad_addressee_number_in_the_path_is_refused_and_logged(family, clerk, api_as, number, code):
    before = register_state()
    _refused(api_as(clerk).get(f"/residents/{number}"), "addressee_number", code)
    assert register_state() == before
    row = OperationLog.objects.get(function="get_record", outcome=REFUSED)
    assert row.username == "clerk" and row.addressee_number == ""


def test_a_nul_in_a_query_value_is_refused(family, clerk, api_as):
    _refused(api_as(clerk).get("/changes", addressee_number="1\x00"), "addressee_number", "control_character")
    assert OperationLog.objects.filter(function="list_changes", outcome=REFUSED).exists()


@pytest.mark.parametrize("extra,field,code", [
    ({"reason": "理" * 501}, "reason", "too_long"),
    ({"reason": "誤記\x00"}, "reason", "control_character"),
    ({"idempotency_key": "k" * 65}, "idempotency_key", "too_long"),
    ({"addressee_number": "9" * 21}, "addressee_number", "too_long"),
], ids=["long-reason", "nul-reason", "long-key", "long-number"])
def test_bad_text_in_a_change_is_refused_and_nothing_written(family, clerk, api_as, extra, field, code):
    before = register_state()
    body = {"addressee_number": family["created"][0], "effective_on": "R6.5.1", **extra}
    _refused(api_as(clerk).post("/changes/death", body), field, code)
    assert register_state() == before
    assert OperationLog.objects.filter(function="do_record_death", outcome=REFUSED, username="clerk").exists()


def test_a_nul_deep_inside_a_move_in_is_refused(single_step, clerk, api_as):
    params = family_params()
    params["members"][1]["name"] = "山田\x00花子"
    before = register_state()
    _refused(api_as(clerk).post("/changes/move-in", params), "members[1].name", "control_character")
    assert register_state() == before


@pytest.mark.parametrize("change,field", [
    ({"requester": {"kind": "self", "name": "山" * 201}}, "requester.name"),
    ({"purpose": "目" * 501}, "purpose"),
    ({"purpose": "就職\x00"}, "purpose"),
])
def test_bad_text_in_a_certificate_request_is_refused(family, clerk, api_as, change, field):
    body = {"kind": "resident_record", "layout": "individual", "subjects": [family["created"][0]],
            "requester": {"kind": "self", "name": "山田 太郎"}, "identity_check": "license", **change}
    response = api_as(clerk).post("/certificates", body)
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    assert not Issuance.objects.exists()
    assert OperationLog.objects.filter(function="issue", outcome=REFUSED).exists()


def test_an_over_long_email_in_a_protection_is_refused(family, admin_user, api_as):
    body = {"addressee_number": family["created"][1], "kind": "dv", "applicant_email": "a" * 250 + "@example.jp"}
    response = api_as(admin_user).post("/protections", body)
    assert response.status_code == 422 and response.json()["error"]["field"] == "applicant_email"
    assert not ProtectionOrder.objects.exists()
    assert OperationLog.objects.filter(function="register_protection", outcome=REFUSED).exists()


def test_a_clerk_with_good_input_gets_an_answer(family, clerk, api_as):
    assert api_as(clerk).get(f"/residents/{family['created'][0]}").status_code == 200


def test_a_days_window_out_of_any_calendar_is_refused(family, admin_user, api_as):
    """Found by the fuzz: ending_within_days=-548155072054202 overflowed the date arithmetic (a 500)."""
    response = api_as(admin_user).get("/protections", ending_within_days=-548155072054202)
    assert response.status_code == 422 and response.json()["error"]["field"] == "ending_within_days"
    assert "以上" in response.json()["error"]["message"]
    assert OperationLog.objects.filter(function="list_protections", outcome=REFUSED).exists()
