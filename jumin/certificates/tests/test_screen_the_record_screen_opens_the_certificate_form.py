"""The counter's 住民票照会 has a 「証明書交付」 button (Alt+I) for who may issue; a viewer does not see it."""


def test_a_clerk_sees_the_button_and_a_viewer_does_not(yamada, clerk, viewer, screen_as):
    number = yamada["head"].addressee_number
    link = f'href="/certificates/new/?person={number}" accesskey="i">証明書交付'
    assert link in screen_as(clerk).get(f"/counter/residents/{number}/").content.decode()
    assert "証明書交付" not in screen_as(viewer).get(f"/counter/residents/{number}/").content.decode()
