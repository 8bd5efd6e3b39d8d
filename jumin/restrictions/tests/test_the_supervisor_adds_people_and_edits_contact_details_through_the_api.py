"""API: add a protected person and an offender to an order, and change the applicant's contact and transfer
details, each with the order's version (a stale version is 409) and a history row; refusals write nothing and
are logged; a clerk may not."""

from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.restrictions import models as m

from .conftest import state


def test_persons_offenders_and_details_are_added_with_the_version_and_the_history(protection, supervisor, api_as):
    api = api_as(supervisor)
    ichiro = Resident.objects.get(name="山田 一郎")
    person = api.post(f"/protections/{protection.pk}/persons", {"addressee_number": ichiro.addressee_number,
                                                                "relationship": "子", "expected_version": 1})
    assert person.status_code == 201, person.content
    assert person.json()["protected_persons"] == [{"addressee_number": ichiro.addressee_number, "name": "山田 一郎",
                                                   "relationship": "子"}]
    offender = api.post(f"/protections/{protection.pk}/offenders", {"name": "佐藤 花男", "birth_date": "H2.2.2",
                                                                   "expected_version": 2})
    assert offender.status_code == 201 and [o["name"] for o in offender.json()["offenders"]] == ["佐藤 健二", "佐藤 花男"]
    edited = api.client.patch(f"/api/protections/{protection.pk}", {
        "expected_version": 3, "applicant_mobile": "090-0000-1111", "transfer_to": "札幌市", "transferred_on": "R6.5.1"},
        content_type="application/json")
    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert (body["applicant_mobile"], body["transfer_to"], body["transferred_on"], body["version"]) == (
        "090-0000-1111", "札幌市", "2024-05-01", 4)
    history = api.get(f"/protections/{protection.pk}").json()["history"]
    assert [h["action"] for h in history] == ["register", "add_person", "add_offender", "edit_details"]
    assert {c["label"] for c in history[-1]["changes"]} == {"連絡先（携帯）", "転送先", "転送年月日"}
    assert OperationLog.objects.filter(function="protection.edit", outcome="ok").count() == 2   # 花子 and 一郎


def test_a_stale_version_is_a_conflict_and_writes_nothing(protection, supervisor, api_as):
    api = api_as(supervisor)
    api.client.patch(f"/api/protections/{protection.pk}", {"expected_version": 1, "applicant_phone": "1"},
                     content_type="application/json")
    before = state()
    stale = api.post(f"/protections/{protection.pk}/offenders", {"name": "鈴木 一", "expected_version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    again = api.client.patch(f"/api/protections/{protection.pk}", {"expected_version": 1, "applicant_phone": "2"},
                             content_type="application/json")
    assert again.status_code == 409
    assert state() == before
    assert OperationLog.objects.filter(function="protection.add_offender", outcome="refused").exists()
    assert OperationLog.objects.filter(function="protection.edit", outcome="refused").exists()


def test_bad_details_are_refused_with_the_field(protection, supervisor, api_as):
    api = api_as(supervisor)
    before = state()
    bad_mail = api.client.patch(f"/api/protections/{protection.pk}", {"expected_version": 1, "applicant_email": "x"},
                                content_type="application/json")
    assert bad_mail.status_code == 422 and bad_mail.json()["error"]["field"] == "applicant_email"
    no_version = api.client.patch(f"/api/protections/{protection.pk}", {"applicant_phone": "1"},
                                  content_type="application/json")
    assert no_version.status_code == 422 and no_version.json()["error"]["field"] == "expected_version"
    unchanged = api.client.patch(f"/api/protections/{protection.pk}", {"expected_version": 1, "transfer_to": ""},
                                 content_type="application/json")
    assert unchanged.status_code == 422 and unchanged.json()["error"]["code"] == "unchanged"
    duplicate = api.post(f"/protections/{protection.pk}/persons", {"addressee_number": protection.addressee_number})
    assert duplicate.status_code == 422 and duplicate.json()["error"]["field"] == "protected_person.addressee_number"
    assert state() == before
    assert OperationLog.objects.filter(function="protection.edit", outcome="refused").count() == 2
    assert OperationLog.objects.get(function="protection.add_person").outcome == "refused"


def test_a_clerk_may_not_add_or_edit(protection, clerk, api_as):
    api = api_as(clerk)
    before = state()
    assert api.post(f"/protections/{protection.pk}/persons", {"addressee_number": "x"}).status_code == 403
    assert api.client.patch(f"/api/protections/{protection.pk}", {"expected_version": 1, "applicant_phone": "1"},
                            content_type="application/json").status_code == 403
    assert state() == before and m.ProtectionOrder.objects.get().applicant_phone == ""
    assert {r.function for r in OperationLog.objects.filter(username="clerk", outcome="refused")} == {
        "protection.add_person", "protection.edit"}
