"""An alert-level 発行 抑止 (issue #6) stops the first press: the form comes back with the alert listed and a
「確認して交付」 button, nothing written; pressing it issues the same request with the alert acknowledged."""

import re

from jumin.certificates.models import Issuance
from jumin.certificates.tests.conftest import certificate_state, household_form, set_issue_restriction


def hidden_codes(html):
    return re.findall(r'<input type="hidden" name="acknowledged_alerts" value="([^"]+)">', html)


def test_the_alert_is_shown_and_nothing_is_issued_until_confirmed(yamada, clerk, restrictor, screen_as):
    restriction = set_issue_restriction(restrictor, yamada["wife"], "alert")
    client = screen_as(clerk)
    before = certificate_state()
    first = client.post("/certificates/new/", household_form(yamada, purpose="児童手当の申請"))
    assert first.status_code == 422
    html = first.content.decode()
    assert "確認が必要です" in html and "発行の抑止（アラート）が設定されています：警察からの照会対応中" in html
    assert re.search(r'<button type="submit" name="confirm" value="1"[^>]*>確認して交付', html)
    assert 'value="児童手当の申請"' in html                         # what was typed is kept
    assert certificate_state() == before
    codes = hidden_codes(html)
    assert codes == [f"restricted_issue_{restriction.pk}"]

    confirmed = client.post("/certificates/new/", household_form(yamada, purpose="児童手当の申請", confirm="1",
                                                                  acknowledged_alerts=codes))
    assert confirmed.status_code == 302
    assert Issuance.objects.get().purpose == "児童手当の申請"


def test_the_codes_alone_do_not_confirm_without_the_button(yamada, clerk, restrictor, screen_as):
    """「内容を直して交付」 resends the form without confirming: the alert is asked again."""
    restriction = set_issue_restriction(restrictor, yamada["wife"], "alert")
    before = certificate_state()
    response = screen_as(clerk).post("/certificates/new/", household_form(
        yamada, acknowledged_alerts=[f"restricted_issue_{restriction.pk}"]))
    assert response.status_code == 422 and "確認して交付" in response.content.decode()
    assert certificate_state() == before


def test_a_viewer_cannot_confirm_either(yamada, viewer, restrictor, screen_as):
    restriction = set_issue_restriction(restrictor, yamada["wife"], "alert")
    before = certificate_state()
    response = screen_as(viewer).post("/certificates/new/", household_form(
        yamada, confirm="1", acknowledged_alerts=[f"restricted_issue_{restriction.pk}"]))
    assert response.status_code == 403
    assert certificate_state() == before
