"""The 住民票照会 screen has a 「印鑑登録」 button for clerks and approvers, leading to the person's seal status."""

def test_the_clerk_sees_the_button_and_the_status_page(yamada, clerk, screen_as):
    client = screen_as(clerk)
    number = yamada["head"].addressee_number
    page = client.get(f"/counter/residents/{number}/").content.decode()
    assert f'href="/seals/?person={number}"' in page

    status = client.get(f"/seals/?person={number}")
    assert status.status_code == 200
    text = status.content.decode()
    assert "登録中の印鑑はありません" in text and f"/seals/register/?person={number}" in text


def test_a_viewer_has_no_button_and_gets_the_neutral_page(yamada, viewer, screen_as):
    client = screen_as(viewer)
    number = yamada["head"].addressee_number
    assert "/seals/?person=" not in client.get(f"/counter/residents/{number}/").content.decode()
    response = client.get(f"/seals/?person={number}")
    assert response.status_code == 403 and "印鑑登録" in response.content.decode()


def test_the_lookup_finds_a_person_by_registration_or_card_number(registered, yamada, clerk, screen_as):
    registration, card = registered
    client = screen_as(clerk)
    for number in (registration.registration_number, card.card_number):
        response = client.get(f"/seals/?q={number}")
        assert response.status_code == 302 and response["Location"] == f"/seals/?person={yamada['head'].addressee_number}"
    response = client.get("/seals/?q=12345")
    assert response.status_code == 404 and "見つかりません" in response.content.decode()
