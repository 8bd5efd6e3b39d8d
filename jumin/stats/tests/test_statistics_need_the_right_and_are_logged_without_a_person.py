"""Statistics need VIEW_STATISTICS (clerk, approver, supervisor, analyst): a viewer or an administrator is refused with
a Japanese message on every exit — screen, XLSX, PDF, API — the refusal logged and nothing else written; a user
who may gets the tables, and the operation log says who looked at which day — one row, no 宛名番号."""

import pytest

from conftest import ApiClient, register_state
from jumin.audit.models import OperationLog

EXITS = ["/statistics/?as_of=R8.10.1", "/statistics/?as_of=R8.10.1&tab=monthly",
         "/statistics/statistics.xlsx?as_of=R8.10.1", "/statistics/statistics.pdf?as_of=R8.10.1"]
TABS = ["age", "area", "households", "types", "monthly"]


@pytest.mark.parametrize("role_fixture", ["viewer", "admin_user"])
def test_a_role_without_the_right_is_refused_everywhere_and_the_refusal_logged(request, family, screen_as,
                                                                                role_fixture):
    user = request.getfixturevalue(role_fixture)
    client = screen_as(user)
    before = register_state()
    for url in EXITS:
        logged = OperationLog.objects.count()
        response = client.get(url)
        assert response.status_code == 403, url
        assert "この操作（統計の照会）を行う権限がありません。" in response.content.decode()
        refusal = OperationLog.objects.order_by("-id").first()
        assert OperationLog.objects.count() == logged + 1
        assert (refusal.outcome, refusal.username, refusal.addressee_number) == ("refused", user.username, "")
        assert refusal.function in ("statistics.view", "statistics.export")
    api = ApiClient(user)
    for path in ("/statistics/population", "/statistics/monthly"):
        response = api.get(path, as_of="2026-10-01")
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "この操作（統計の照会）を行う権限がありません。"
        assert OperationLog.objects.filter(outcome="refused", username=user.username,
                                           function="statistics.view").exists()
    assert register_state() == before
    assert "/statistics/" not in client.get("/").content.decode()


@pytest.mark.parametrize("role_fixture", ["clerk", "approver", "supervisor", "analyst"])
def test_a_role_with_the_right_sees_every_tab_and_is_logged_once_per_view(request, family, screen_as, role_fixture):
    user = request.getfixturevalue(role_fixture)
    client = screen_as(user)
    assert '<a href="/statistics/">' in client.get("/").content.decode()
    for tab in TABS:
        before = OperationLog.objects.count()
        response = client.get("/statistics/", {"as_of": "R8.10.1", "tab": tab, "month": "R8.9"})
        assert response.status_code == 200, tab
        assert OperationLog.objects.count() == before + 1
        row = OperationLog.objects.order_by("-id").first()
        assert (row.function, row.outcome, row.username, row.addressee_number) == \
            ("statistics.view", "ok", user.username, "")
        assert row.detail["as_of" if tab != "monthly" else "month"] == ("2026-10-01" if tab != "monthly" else "2026-09")
    text = client.get("/statistics/", {"as_of": "R8.10.1"}).content.decode()
    assert "人口ピラミッド" in text and "<title id=\"pyramid-title\">" in text and "45～49歳" in text


def test_downloads_are_logged_as_exports(analyst, family, screen_as):
    client = screen_as(analyst)
    for fmt in ("xlsx", "pdf"):
        response = client.get(f"/statistics/statistics.{fmt}", {"as_of": "2026-10-01", "month": "2026-09"})
        assert response.status_code == 200
        row = OperationLog.objects.order_by("-id").first()
        assert (row.function, row.outcome, row.addressee_number, row.detail["output"]) == \
            ("statistics.export", "ok", "", fmt)
        assert row.detail["as_of"] == "2026-10-01" and row.detail["month"] == "2026-09"
