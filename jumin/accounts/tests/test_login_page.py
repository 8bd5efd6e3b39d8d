"""The login screen: a clerk logs in with the right password, is refused (in Japanese) with a wrong
one, cannot see the home screen without logging in, and logs out with a POST."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # conftest's users


def test_the_login_page_has_labelled_inputs_in_japanese(client):
    response = client.get("/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert '<label for="id_username">利用者名</label>' in html
    assert '<label for="id_password">パスワード</label>' in html


def test_a_clerk_logs_in_and_sees_the_home_screen(client, clerk, municipality):
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "窓口 花子" in html
    assert "窓口（異動入力・照会）" in html
    assert "異動の入力" in html            # a permission of the clerk role
    assert "異動の審査・決裁" not in html   # …and one it does not have
    assert "宮城県仙台市" in html
    assert 'href="/api/docs"' in html and 'href="/api/openapi.json"' in html


def test_login_goes_back_to_the_page_asked_for(client, clerk):
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD, "next": "/api/me"})

    assert response["Location"] == "/api/me"


def test_a_wrong_password_is_refused_with_a_japanese_message(client, clerk):
    response = client.post("/login/", {"username": "clerk", "password": "wrong password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "利用者名またはパスワードが正しくありません。" in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_cannot_log_in(client, clerk):
    clerk.is_active = False
    clerk.save()

    response = client.post("/login/", {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_home_screen_requires_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_logout_is_a_post_and_ends_the_session(clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    assert client.get("/").status_code == 200

    assert client.get("/logout/").status_code == 405   # a link or a prefetch cannot log out
    assert client.get("/").status_code == 200

    home = client.get("/")
    token = home.context["csrf_token"]
    response = client.post("/logout/", {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/")["Location"] == "/login/?next=/"
