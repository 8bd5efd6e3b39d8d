"""The status screen's forms: a 亡失届 blocks the card (the certificate form then refuses it beside the card
number), 廃止 with the card handed back, and the certificate form that lands on the 交付完了 page."""

import re

from jumin.certificates.models import Issuance
from jumin.seals.models import SealRegistration
from jumin.seals.tests.conftest import seal_state


def test_the_certificate_form_issues_and_lands_on_the_issuance(registered, yamada, clerk, screen_as):
    _, card = registered
    client = screen_as(clerk)
    number = yamada["head"].addressee_number
    page = client.get(f"/seals/certificate/?person={number}").content.decode()
    assert "印鑑登録証明書の交付" in page and "300円" in page
    response = client.post("/seals/certificate/", {"person": number, "presentation": "card",
                                                   "card_number": card.card_number, "requester.kind": "self",
                                                   "requester.name": "山田 太郎", "copies": "1"})
    issuance = Issuance.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/certificates/issuances/{issuance.pk}/?issued=1"
    page = client.get(response["Location"]).content.decode()
    assert "交付完了" in page and "印鑑登録証明書" in page


def test_a_lost_card_is_refused_beside_the_card_number(registered, yamada, clerk, screen_as):
    registration, card = registered
    client = screen_as(clerk)
    number = yamada["head"].addressee_number
    response = client.post(f"/seals/registrations/{registration.registration_number}/loss",
                           {"person": number, "reporter": "self"})
    assert response.status_code == 302 and "done=loss" in response["Location"]
    before = seal_state()
    response = client.post("/seals/certificate/", {"person": number, "presentation": "card",
                                                   "card_number": card.card_number, "requester.kind": "self",
                                                   "requester.name": "山田 太郎", "copies": "1"})
    assert response.status_code == 422 and seal_state() == before
    assert re.search(r'id="f-card_number-error" role="alert">[^<]*亡失', response.content.decode())


def test_abolition_from_the_status_screen_and_its_refusal_beside_the_field(registered, yamada, clerk, screen_as):
    registration, _ = registered
    client = screen_as(clerk)
    number = yamada["head"].addressee_number
    url = f"/seals/registrations/{registration.registration_number}/abolish"
    response = client.post(url, {"person": number, "applicant": "agent", "agent_name": "代理 次郎"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="f-agent_letter-error"' in page and '<details class="card" id="abolish" open>' in page
    response = client.post(url, {"person": number, "applicant": "self", "card_returned": "on"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "印鑑登録を廃止しました" in page and "廃止した登録" in page
    assert SealRegistration.objects.get().status == "abolished"
