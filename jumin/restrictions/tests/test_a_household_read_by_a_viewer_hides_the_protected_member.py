"""A household read by a role without VIEW_PROTECTED leaves the protected member out entirely."""

from jumin.audit.models import OperationLog


def test_the_viewer_sees_the_household_without_the_protected_member(protection, hanako, viewer, api_as):
    response = api_as(viewer).get(f"/households/{hanako.household_number}")
    assert response.status_code == 200
    members = response.json()["members"]
    assert [m["name"] for m in members] == ["山田 太郎", "山田 一郎"]
    assert "山田 花子" not in response.content.decode()
    assert OperationLog.objects.get(function="household.view", username="viewer", outcome="refused").addressee_number \
        == hanako.addressee_number
    shown = set(OperationLog.objects.filter(function="household.view", username="viewer", outcome="ok")
                .values_list("addressee_number", flat=True))
    assert hanako.addressee_number not in shown and len(shown) == 2


def test_a_clerk_sees_all_members_with_the_alert_on_the_protected_one(protection, hanako, clerk, api_as):
    members = api_as(clerk).get(f"/households/{hanako.household_number}").json()["members"]
    assert len(members) == 3
    flagged = [m for m in members if m.get("alerts")]
    assert [m["addressee_number"] for m in flagged] == [hanako.addressee_number]
