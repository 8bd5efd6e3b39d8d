"""A supervisor registers, extends, ends and reviews protections through the API; a clerk cannot."""

from datetime import timedelta

from django.utils import timezone

from jumin.audit.models import OperationLog

from .conftest import OFFENDER, state


def test_the_supervisor_registers_reviews_and_ends_a_protection(hanako, supervisor, api_as):
    api = api_as(supervisor)
    response = api.post("/protections", {"addressee_number": hanako.addressee_number, "kind": "dv",
                                         "starts_on": "2024-04-01", "offenders": [OFFENDER],
                                         "applicant_phone": "090-0000-0000", "transfer_to": "東京都港区"})
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["ends_on"] == "2025-03-31" and order["offenders"][0]["name"] == "佐藤 健二"
    assert OperationLog.objects.get(function="protection.register").addressee_number == hanako.addressee_number
    soon = api.get("/protections", ending_within_days=30).json()
    assert [o["id"] for o in soon] == [order["id"]] and soon[0]["alert"] == "expired"
    detail = api.get(f"/protections/{order['id']}").json()
    assert [h["action"] for h in detail["history"]] == ["register"]
    ended = api.post(f"/protections/{order['id']}/end", {"reason": "申出者からの終了の申出"}).json()
    assert ended["status"] == "ended"
    assert [h["action"] for h in api.get(f"/protections/{order['id']}").json()["history"]] == ["register", "end"]


def test_the_supervisor_extends_in_the_last_month_only(hanako, supervisor, api_as):
    api = api_as(supervisor)
    today = timezone.localdate()
    far = api.post("/protections", {"addressee_number": hanako.addressee_number, "kind": "dv"}).json()
    before = state()
    refused = api.post(f"/protections/{far['id']}/extend", {})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "too_early_to_extend"
    assert state() == before
    assert OperationLog.objects.get(function="protection.extend").outcome == "refused"
    near = api.post("/protections", {"addressee_number": hanako.addressee_number, "kind": "stalker",
                                     "starts_on": (today - timedelta(days=350)).isoformat()}).json()
    extended = api.post(f"/protections/{near['id']}/extend", {"expected_version": 1})
    assert extended.status_code == 200, extended.content
    old_end = timezone.datetime.fromisoformat(near["ends_on"]).date()
    assert extended.json()["ends_on"] == (old_end.replace(year=old_end.year + 1)).isoformat()


def test_a_clerk_cannot_register_or_list_protections(hanako, clerk, api_as):
    before = state()
    response = api_as(clerk).post("/protections", {"addressee_number": hanako.addressee_number, "kind": "dv"})
    assert response.status_code == 403
    assert state() == before
    assert OperationLog.objects.get(function="protection.register").outcome == "refused"
    assert api_as(clerk).get("/protections").status_code == 403
    assert api_as(clerk).post("/restrictions", {"addressee_number": hanako.addressee_number, "operation": "view",
                                                "level": "error", "reason": "x"}).status_code == 403
    assert state() == before
