"""Issue #15 item 6: Swagger UI at /api/docs runs under the Content-Security-Policy as it is — django-ninja's page
loads its scripts from our static files and keeps its settings in a JSON <script> (data, not run) — so it needs
no exception: the operations are drawn, one opens, and the page reports no CSP violation (its icons are data:
images, which img-src allows)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = ("window.cspViolations = [];"
                     "document.addEventListener('securitypolicyviolation',"
                     " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")


def test_swagger_ui_draws_and_opens_operations_without_a_csp_violation(screens):
    screen = screens("api-docs")
    screen.page.add_init_script(RECORD_VIOLATIONS)

    response = screen.page.goto(screen.base_url + "/api/docs")
    screen.page.locator(".opblock").first.wait_for()
    screen.page.locator(".opblock-summary").first.click()
    screen.page.locator(".opblock-body").first.wait_for()

    assert "script-src 'self'" in response.all_headers()["content-security-policy"]
    assert screen.page.locator(".opblock").count() > 20
    assert screen.page.evaluate("window.cspViolations") == []
    screen.shot("swagger-under-csp")
