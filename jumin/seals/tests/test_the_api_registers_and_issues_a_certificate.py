"""The JSON API (/api/seals/…): registration and the 照会書 are multipart (payload JSON + impression file), the
rest is JSON; refusals are `{"error": {code, message, field}}` in Japanese with 403/404/422; the certificate comes
back with its PDF and is in the 交付履歴."""

import base64
import json

from django.test import Client

from jumin.accounts.models import ApiToken
from jumin.seals.models import SealRegistration
from jumin.seals.tests.conftest import seal_scan, seal_state


class MultipartClient:
    def __init__(self, user):
        _, raw = ApiToken.issue(user, "test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_JUMIN_TERMINAL="本庁1")

    def upload(self, path, payload, image, name="seal.png"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post("/api" + path, {"payload": json.dumps(payload),
                                                "impression": SimpleUploadedFile(name, image)})

    def post(self, path, body):
        return self.client.post("/api" + path, json.dumps(body), content_type="application/json")

    def get(self, path):
        return self.client.get("/api" + path)


def payload(person, **extra):
    body = {"addressee_number": person.addressee_number, "route": "in_person", "identity_document": "passport",
            "represents": "surname", "seal_checked": True}
    body.update(extra)
    return body


def test_a_clerk_registers_by_api_and_issues_a_certificate(yamada, clerk):
    api = MultipartClient(clerk)
    response = api.upload("/seals/registrations", payload(yamada["head"]), seal_scan())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active" and abs(body["impression"]["width_mm"] - 15) < 0.2
    card = body["valid_card"]["card_number"]

    response = api.post("/seals/certificates", {"card_number": card, "requester": {"kind": "self", "name": "山田 太郎"}})
    assert response.status_code == 201, response.content
    issued = response.json()
    assert issued["kind"] == "seal_certificate" and issued["registration_number"] == body["registration_number"]
    assert base64.b64decode(issued["pdf_base64"]).startswith(b"%PDF")
    assert api.get(f"/certificates/{issued['id']}").json()["kind_label"] == "印鑑登録証明書"

    status = api.get(f"/seals/persons/{yamada['head'].addressee_number}").json()
    assert status["active"]["registration_number"] == body["registration_number"]
    image = api.get(f"/seals/registrations/{body['registration_number']}/impression")
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")


def test_a_refusal_is_japanese_json_with_the_field_and_nothing_is_written(yamada, clerk):
    before = seal_state()
    response = MultipartClient(clerk).upload("/seals/registrations", payload(yamada["child"]), seal_scan("一郎"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "too_young" and error["field"] == "addressee_number" and "15歳未満" in error["message"]
    assert seal_state() == before


def test_a_payload_with_an_unknown_field_is_refused(yamada, clerk):
    response = MultipartClient(clerk).upload("/seals/registrations", payload(yamada["head"], colour="red"), seal_scan())
    assert response.status_code == 422 and "colour" in response.json()["error"]["message"]


def test_a_viewer_gets_403(yamada, viewer):
    response = MultipartClient(viewer).upload("/seals/registrations", payload(yamada["head"]), seal_scan())
    assert response.status_code == 403 and "印鑑登録" in response.json()["error"]["message"]
    assert not SealRegistration.objects.exists()


def test_the_inquiry_route_and_the_card_by_api(yamada, clerk):
    api = MultipartClient(clerk)
    response = api.upload("/seals/inquiries", payload(yamada["head"], route="inquiry", applicant="agent",
                                                      agent_name="代理 次郎", agent_letter=True), seal_scan())
    assert response.status_code == 201, response.content
    inquiry = response.json()
    assert inquiry["status"] == "sent" and base64.b64decode(inquiry["letter_pdf_base64"]).startswith(b"%PDF")

    response = api.post(f"/seals/inquiries/{inquiry['inquiry_number']}/answer",
                        {"identity_document": "health_insurance", "reply_checked": True})
    assert response.status_code == 201, response.content
    registration = response.json()
    number = registration["registration_number"]

    response = api.post(f"/seals/registrations/{number}/loss", {"reporter": "self"})
    assert response.status_code == 200 and response.json()["status"] == "abolished"
    response = api.post("/seals/certificates", {"card_number": registration["valid_card"]["card_number"],
                                                "requester": {"name": "山田 太郎"}})
    assert response.status_code == 422 and response.json()["error"]["code"] == "card_lost"


def test_abolition_by_api(registered, clerk):
    registration, _ = registered
    response = MultipartClient(clerk).post(f"/seals/registrations/{registration.registration_number}/abolish",
                                           {"card_returned": True})
    assert response.status_code == 200 and response.json()["abolition_reason"] == "request"
