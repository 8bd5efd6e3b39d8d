"""The registration screen: one form for the three routes (the route decides which proof is asked for); a
refusal comes back beside its input with everything typed kept (the image must be chosen again)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from jumin.seals.models import SealInquiry, SealRegistration
from jumin.seals.tests.conftest import blank_scan, seal_scan, seal_state


def form(person, scan=None, **extra):
    data = {"person": person.addressee_number, "route": "in_person", "applicant": "self",
            "identity_document": "my_number_card", "represents": "surname", "seal_checked": "on",
            "impression": SimpleUploadedFile("seal.png", scan or seal_scan(), content_type="image/png")}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_in_person_registration_lands_on_the_status_with_the_card(yamada, clerk, screen_as):
    client = screen_as(clerk)
    assert "印鑑登録の申請" in client.get(f"/seals/register/?person={yamada['head'].addressee_number}").content.decode()
    response = client.post("/seals/register/", form(yamada["head"]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    registration = SealRegistration.objects.get()
    assert "印鑑を登録し、印鑑登録証を交付しました" in page
    assert registration.registration_number in page and registration.cards.get().card_number in page
    assert f"/seals/registrations/{registration.registration_number}/impression.png" in page
    image = client.get(f"/seals/registrations/{registration.registration_number}/impression.png")
    assert image["Content-Type"] == "image/png"


def test_a_blank_image_is_refused_beside_the_file_input_with_the_rest_kept(yamada, clerk, screen_as):
    before = seal_state()
    response = screen_as(clerk).post("/seals/register/", form(yamada["head"], blank_scan(), represents="name"))
    assert response.status_code == 422 and seal_state() == before
    page = response.content.decode()
    assert re.search(r'id="f-impression-error" role="alert">[^<]*白紙', page)
    assert re.search(r'<option value="name" selected>', page)


def test_the_guarantor_route_shows_the_guarantors_seal_to_compare(registered, yamada, clerk, screen_as):
    guarantor, _ = registered
    client = screen_as(clerk)
    fragment = client.get(f"/seals/guarantor?guarantor_number={guarantor.registration_number}").content.decode()
    assert "山田 太郎" in fragment and f"/seals/registrations/{guarantor.registration_number}/impression.png" in fragment
    response = client.post("/seals/register/", form(yamada["wife"], seal_scan("花子"), route="guarantor",
                                                    identity_document="", represents="given_name",
                                                    guarantor_number=guarantor.registration_number,
                                                    guarantee_checked="on"))
    assert response.status_code == 302
    assert SealRegistration.objects.get(addressee_number=yamada["wife"].addressee_number).route == "guarantor"


def test_the_inquiry_route_sends_the_letter_and_the_reply_registers(yamada, clerk, screen_as):
    client = screen_as(clerk)
    response = client.post("/seals/register/", form(yamada["head"], route="inquiry", applicant="agent",
                                                    agent_name="代理 次郎", agent_letter="on", identity_document=""))
    assert response.status_code == 302, response.content.decode()
    inquiry = SealInquiry.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "照会書を作成しました" in page and "回答書の受付" in page
    letter = client.get(f"/seals/inquiries/{inquiry.inquiry_number}/letter.pdf")
    assert letter["Content-Type"] == "application/pdf"

    response = client.post(f"/seals/inquiries/{inquiry.inquiry_number}/", {
        "bearer": "self", "identity_document": "health_insurance"})
    assert response.status_code == 422 and 'id="f-reply_checked-error"' in response.content.decode()
    response = client.post(f"/seals/inquiries/{inquiry.inquiry_number}/", {
        "bearer": "self", "identity_document": "health_insurance", "reply_checked": "on"})
    assert response.status_code == 302
    assert SealRegistration.objects.get().route == "inquiry"
