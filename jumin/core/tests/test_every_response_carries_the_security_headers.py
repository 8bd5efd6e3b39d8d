"""Issue #15 item 6: pages and API answers carry the Content-Security-Policy (no inline script, nothing from
another origin, no framing), Cache-Control: no-store (they carry personal data), Referrer-Policy and
X-Content-Type-Options; static files keep their caching. The PDF preview that our own page frames may be framed
by our own pages only."""

import pytest

pytestmark = pytest.mark.django_db

POLICY = ("default-src 'self'", "script-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'",
          "form-action 'self'", "base-uri 'self'", "object-src 'none'")


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    for directive in POLICY:
        assert directive in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_screen_an_api_answer_a_refusal_and_the_login_page_carry_them(clerk, screen_as, api_as, municipality):
    assert_security_headers(screen_as(clerk).get("/"))
    assert_security_headers(api_as(clerk).get("/me"))
    assert_security_headers(api_as(clerk).get("/residents/0000000019"))
    from django.test import Client
    assert_security_headers(Client().get("/login/"))
    assert_security_headers(Client().get("/api/me"))


def test_static_files_are_not_marked_no_store(settings, tmp_path):
    # Served as in production: collected into STATIC_ROOT (here a fresh folder, so the test does not depend on an
    # earlier `jumin serve` having collected them), then read by WhiteNoise when a new client loads the middleware.
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--noinput", verbosity=0)
    response = Client().get("/static/vendor/htmx-2.0.8.min.js")

    assert response.status_code == 200
    assert response.get("Cache-Control") != "no-store"
    assert "Content-Security-Policy" in response


def test_a_page_that_our_own_screen_frames_allows_only_our_own_frames(rf, settings):
    from django.http import HttpResponse
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from jumin.core.middleware import SecurityHeadersMiddleware

    framed = SecurityHeadersMiddleware(xframe_options_sameorigin(lambda request: HttpResponse("<p>")))(rf.get("/x"))
    pdf = SecurityHeadersMiddleware(lambda request: HttpResponse(b"%PDF", content_type="application/pdf"))(rf.get("/y"))

    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in framed["Content-Security-Policy"]
    assert "Content-Security-Policy" not in pdf and pdf["Cache-Control"] == "no-store"
