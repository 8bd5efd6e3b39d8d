"""Opened from the menu without a person, the 交付請求 asks for the 宛名番号 (full-width digits accepted); one that
is not on the register is said beside the input."""


def test_the_number_is_asked_for_then_said_not_found(yamada, clerk, screen_as):
    client = screen_as(clerk)
    empty = client.get("/certificates/new/").content.decode()
    assert 'id="f-person"' in empty and "autofocus" in empty
    found = client.get("/certificates/new/?person=" + yamada["head"].addressee_number.translate(
        str.maketrans("0123456789", "０１２３４５６７８９")))
    assert found.status_code == 200 and 'name="subjects"' in found.content.decode()
    missing = client.get("/certificates/new/?person=9999999999")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "宛名番号 9999999999 の住民票は見つかりません。" in html and 'value="9999999999"' in html


def test_a_viewer_is_not_even_asked(yamada, viewer, screen_as):
    response = screen_as(viewer).get("/certificates/new/")
    assert response.status_code == 403 and 'id="f-person"' not in response.content.decode()
