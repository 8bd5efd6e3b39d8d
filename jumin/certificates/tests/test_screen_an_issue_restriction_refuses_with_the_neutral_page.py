"""An error-level 発行 抑止 (issue #6): the clerk sees only the neutral message — no reason, nothing that says a
restriction exists — and nothing is written."""

from jumin.certificates.tests.conftest import certificate_state, household_form, set_issue_restriction
from jumin.restrictions.queries import NEUTRAL_CERTIFICATE_MESSAGE


def test_the_clerk_gets_the_neutral_page_and_nothing_is_written(yamada, clerk, restrictor, screen_as):
    set_issue_restriction(restrictor, yamada["wife"], "error")
    before = certificate_state()
    response = screen_as(clerk).post("/certificates/new/", household_form(yamada))
    assert response.status_code == 403
    html = response.content.decode()
    assert NEUTRAL_CERTIFICATE_MESSAGE in html
    assert "抑止" not in html.split("<main", 1)[1] and "警察" not in html
    assert certificate_state() == before


def test_a_viewer_is_refused_for_the_right_before_anything_else(yamada, viewer, restrictor, screen_as):
    set_issue_restriction(restrictor, yamada["wife"], "error")
    before = certificate_state()
    response = screen_as(viewer).post("/certificates/new/", household_form(yamada))
    assert response.status_code == 403 and "証明書の交付" in response.content.decode()
    assert certificate_state() == before
