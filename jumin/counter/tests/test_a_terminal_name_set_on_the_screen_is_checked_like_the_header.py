"""The session's 入力端末 set on the home page is checked like the API's X-Jumin-Terminal header: a name that
could run as a spreadsheet formula or is malformed is refused with a Japanese message, logged, and the terminal
the clerk had stays; `next` cannot send the clerk to another site."""

import pytest

from jumin.audit.models import REFUSED, OperationLog


@pytest.mark.django_db
def test_a_clerk_sets_a_valid_terminal(municipality, clerk, screen_as):
    client = screen_as(clerk, terminal="本庁1-窓口3")
    response = client.post("/counter/terminal", {"terminal": "本庁2-窓口1", "next": "/counter/search/"})
    assert response.status_code == 302 and response["Location"] == "/counter/search/"
    assert client.session["terminal"] == "本庁2-窓口1"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["=1+2", "@SUM(A1)", "-1", "窓口 3", "a" * 51, "tab\there"])
def test_a_malformed_terminal_is_refused_logged_and_the_old_one_kept(municipality, clerk, screen_as, name):
    client = screen_as(clerk, terminal="本庁1-窓口3")
    before = OperationLog.objects.filter(function="terminal.set", outcome=REFUSED).count()
    response = client.post("/counter/terminal", {"terminal": name, "next": "/"}, follow=True)
    assert client.session["terminal"] == "本庁1-窓口3"
    assert "端末名は" in response.content.decode()
    assert OperationLog.objects.filter(function="terminal.set", outcome=REFUSED).count() == before + 1


@pytest.mark.django_db
def test_next_cannot_lead_to_another_site(municipality, clerk, screen_as):
    client = screen_as(clerk, terminal="本庁1-窓口3")
    response = client.post("/counter/terminal", {"terminal": "本庁1-窓口4", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_an_anonymous_visitor_cannot_set_a_terminal(municipality, client):
    response = client.post("/counter/terminal", {"terminal": "本庁1-窓口4"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "terminal" not in client.session
