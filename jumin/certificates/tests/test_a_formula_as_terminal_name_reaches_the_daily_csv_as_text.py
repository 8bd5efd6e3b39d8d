"""CSV injection (issue #15 item 9): a terminal name such as `=1+2` (free text from `X-Jumin-Terminal` or the
session) is written to the 日計表 CSV as text, on the screen's download and the API's, so a spreadsheet never
computes it; a viewer without the right gets no file and the refusal is logged."""

import csv
import io

from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates.tests.conftest import certificate_state, issue, request_for


def records(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_the_terminal_name_is_neutralised_on_both_downloads(yamada, clerk, screen_as, api_as):
    day = issue(clerk, request_for(yamada["head"], layout="individual"), terminal="=1+2").issuance.day
    screen = screen_as(clerk, terminal="=1+2").get("/certificates/daily.csv")
    api = api_as(clerk).get("/certificates/daily", day=day.isoformat(), terminal="=1+2", format="csv")
    for response in (screen, api):
        assert response.status_code == 200
        lines = records(response.content)
        assert lines[1][1:] == ["'=1+2", "住民票の写し", "1", "1", "1", "300", "0"]
        assert all(not c.startswith(("=", "+", "-", "@")) for line in lines for c in line)


def test_a_viewer_gets_no_file_and_the_refusal_is_logged(yamada, clerk, viewer, screen_as):
    issue(clerk, request_for(yamada["head"], layout="individual"), terminal="=1+2")
    before = certificate_state()
    response = screen_as(viewer, terminal="=1+2").get("/certificates/daily.csv")
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert "交付日,端末" not in response.content.decode()
    assert certificate_state() == before
    assert OperationLog.objects.filter(function="certificate.daily", outcome=REFUSED).exists()
