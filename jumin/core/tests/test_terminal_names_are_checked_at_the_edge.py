"""The terminal (入力端末, standard-spec §2.7) comes from `X-Jumin-Terminal` and is printed on the 日計表 and
written into CSV files: a name that is not letters, digits, Japanese, '-', '_' or '.' (a formula such as `=1+2`,
a space, a control character) or longer than 50 characters is refused with 422 before anything happens, and the
refusal is logged under a safe terminal name (issue #15 item 9)."""

import pytest
from django.test import Client

from conftest import register_state
from jumin.accounts.models import ApiToken
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.http import terminal_refusal


@pytest.mark.parametrize("name", ["T-001", "本庁1", "支所_2.窓口", "カウンター3", "A" * 50])
def test_ordinary_names_are_accepted(name):
    assert terminal_refusal(name) is None


@pytest.mark.parametrize("name", ["=1+2", "+1", "-1", "@SUM(A1)", "T 1", "T\t1", "A" * 51, "窓口<script>"])
def test_names_a_spreadsheet_or_a_log_could_misread_are_refused(name):
    assert terminal_refusal(name).field == "X-Jumin-Terminal"


def test_a_formula_as_terminal_header_is_refused_and_logged(family, clerk):
    _, raw = ApiToken.issue(clerk, "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_JUMIN_TERMINAL="=1+2")
    before = register_state()
    response = client.post("/api/changes/death", {"addressee_number": family["created"][2], "effective_on": "R6.5.1"},
                           content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_terminal" and error["field"] == "X-Jumin-Terminal" and "端末名" in error["message"]
    assert register_state() == before
    row = OperationLog.objects.get(outcome=REFUSED, function="do_record_death")
    assert row.terminal == "api" and row.username == "clerk"
    assert not OperationLog.objects.filter(terminal__contains="=").exists()


def test_a_valid_terminal_header_is_used(family, clerk):
    _, raw = ApiToken.issue(clerk, "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_JUMIN_TERMINAL="本庁2")
    assert client.get(f"/api/residents/{family['created'][0]}").status_code == 200
    assert OperationLog.objects.filter(terminal="本庁2", function="record.view").exists()


def test_a_screen_ignores_a_forged_terminal_header(family, clerk, screen_as):
    client = screen_as(clerk, terminal="本庁1")
    response = client.get(f"/counter/residents/{family['created'][0]}/", HTTP_X_JUMIN_TERMINAL="=1+2")
    assert response.status_code == 200
    assert not OperationLog.objects.filter(terminal__contains="=").exists()
    assert OperationLog.objects.filter(terminal="本庁1").exists()
