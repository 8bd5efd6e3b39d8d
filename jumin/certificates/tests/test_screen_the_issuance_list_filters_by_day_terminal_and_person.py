"""交付履歴 list: today's issues by default, narrowed by 交付日 (和暦 or 西暦; blank for every day), 端末 and 宛名番号;
a viewer gets the neutral page."""

import re
from datetime import timedelta

from django.utils import timezone

from conftest import actor
from jumin.certificates.actions import do_issue_certificate
from jumin.certificates.tests.conftest import certificate_state, error_beside, issue, request_for
from jumin.core.wareki import format_wareki_short


def rows(client, query=""):
    response = client.get(f"/certificates/issuances/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return html, len(re.findall(r'<a href="/certificates/issuances/\d+/">', html))


def test_the_list_narrows_by_day_terminal_and_person(yamada, clerk, screen_as):
    issue(clerk, request_for(yamada["head"], layout="individual"), terminal="本庁1")
    issue(clerk, request_for(yamada["wife"], layout="individual"), terminal="支所2")
    yesterday = timezone.now() - timedelta(days=1)
    do_issue_certificate(request_for(yamada["child"], layout="individual"), actor=actor(clerk, "本庁1"),
                         now=yesterday)
    client = screen_as(clerk)
    html, count = rows(client)
    assert count == 2 and "2件（手数料 600円）" in html                 # today by default
    assert rows(client, "?terminal=支所2")[1] == 1
    _, count = rows(client, f"?day=&addressee_number={yamada['wife'].addressee_number}")
    assert count == 1
    html, count = rows(client, f"?day={format_wareki_short(timezone.localdate(yesterday))}")
    assert count == 1 and yamada["child"].addressee_number in html
    assert rows(client, "?day=")[1] == 3                               # blank: every day


def test_a_day_that_cannot_be_read_is_said_beside_the_input(yamada, clerk, screen_as):
    html = screen_as(clerk).get("/certificates/issuances/?day=R7.2.30").content.decode()
    assert "交付日" in error_beside(html, "f-day")
    assert 'value="R7.2.30"' in html


def test_a_viewer_gets_the_neutral_page(yamada, clerk, viewer, screen_as):
    issue(clerk, request_for(yamada["head"], layout="individual"))
    before = certificate_state()
    response = screen_as(viewer).get("/certificates/issuances/")
    assert response.status_code == 403 and "山田" not in response.content.decode()
    assert certificate_state() == before
