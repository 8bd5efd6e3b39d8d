"""Dates before 明治6年1月1日 (1873-01-01, the start of the 和暦 table in jumin/core/wareki.py) cannot be shown in
和暦: the API refuses them in a path or query with a Japanese message instead of failing inside (issue #15 item 3).
A viewer without the right gets 403 whatever the date."""

from conftest import register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.certificates.models import Issuance


def _refused(response, field):
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "out_of_range" and error["field"] == field
    assert "明治6年1月1日" in error["message"]


def test_an_as_of_date_before_1873_is_refused(family, clerk, api_as):
    number = family["created"][0]
    before = register_state()
    _refused(api_as(clerk).get(f"/residents/{number}/as-of/1800-01-01"), "on")
    assert register_state() == before
    assert OperationLog.objects.filter(function="get_record_as_of", outcome=REFUSED).exists()
    assert api_as(clerk).get(f"/residents/{number}/as-of/2024-05-01").status_code == 200


def test_a_household_as_of_before_1873_is_refused(family, clerk, api_as):
    household = family["households"][0]
    _refused(api_as(clerk).get(f"/households/{household}", on="1872-12-31"), "on")
    assert OperationLog.objects.filter(function="get_household", outcome=REFUSED).exists()


def test_a_daily_summary_day_before_1873_is_refused_and_the_list_too(family, clerk, api_as):
    _refused(api_as(clerk).get("/certificates/daily", day="1800-01-01"), "day")
    _refused(api_as(clerk).get("/certificates", day="0001-01-01"), "day")
    assert not Issuance.objects.exists()
    assert OperationLog.objects.filter(function="daily", outcome=REFUSED).exists()
    assert api_as(clerk).get("/certificates/daily", day="1873-01-01").status_code == 200


def test_a_viewer_without_the_right_is_refused_whatever_the_date(family, viewer, api_as):
    assert api_as(viewer).get("/certificates/daily", day="2024-04-01").status_code == 403
