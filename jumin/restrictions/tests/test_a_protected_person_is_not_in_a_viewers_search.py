"""Search by a role without VIEW_PROTECTED: the protected person is not in the results at all (SQL filter);
authorised roles see the person with the protection flag."""

from jumin.audit.models import OperationLog


def test_a_viewer_searching_the_family_never_sees_the_protected_person(protection, hanako, viewer, api_as):
    response = api_as(viewer).get("/search", kana="ヤマダ")
    assert response.status_code == 200
    body = response.json()
    assert hanako.addressee_number not in [r["addressee_number"] for r in body["results"]]
    assert body["total"] == 2
    assert "山田 花子" not in response.content.decode() and "protection" not in body["results"][0]
    logged = OperationLog.objects.filter(function="search", username="viewer")
    assert logged.count() == 2 and all(row.detail["hits"] == 2 for row in logged)   # one row a person shown
    assert not OperationLog.objects.filter(function="search", addressee_number=hanako.addressee_number).exists()


def test_a_viewer_searching_by_the_number_finds_nothing(protection, hanako, viewer, api_as):
    body = api_as(viewer).get("/search", addressee_number=hanako.addressee_number).json()
    assert body["results"] == [] and body["total"] == 0


def test_a_clerk_sees_the_protected_person_flagged(protection, hanako, clerk, api_as):
    rows = api_as(clerk).get("/search", kana="ヤマダ").json()["results"]
    flagged = {r["addressee_number"]: r["protection"] for r in rows}
    assert flagged[hanako.addressee_number]["protected"] is True
    assert flagged[hanako.addressee_number]["order_ids"] == [protection.pk]
    assert sum(1 for v in flagged.values() if v) == 1
