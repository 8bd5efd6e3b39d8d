"""A person under a 照会抑止 (error) — with no 支援措置 — is hidden from the search of a role that may not see
protected persons, exactly as a protected person is (a SQL filter: totals and pages stay right, no log row for
her). Roles that may see protected persons find her flagged, without her address, because the record itself
is refused to them too. A household 抑止 hides every member; an alert level or a temporary release hides no one."""

import pytest

from conftest import _user, actor
from jumin.accounts import rules as roles
from jumin.audit.models import OperationLog
from jumin.register.models import Resident
from jumin.restrictions.actions import do_release_restriction_temporarily, do_set_restriction
from jumin.search.queries import VIEW_RESTRICTED_ADDRESS


@pytest.fixture
def supervisor(db):
    return _user("supervisor", roles.SUPERVISOR, "支援 五郎")


@pytest.fixture
def hanako(family):
    return Resident.objects.get(name="山田 花子")


def restrict(supervisor, level="error", **target):
    return do_set_restriction({"operation": "view", "level": level, "reason": "警察からの依頼", **target},
                              actor=actor(supervisor))


def numbers(api, **criteria):
    response = api.get("/search", **criteria)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_viewer_does_not_find_a_person_under_a_view_restriction(hanako, supervisor, viewer, api_as, client):
    restrict(supervisor, addressee_number=hanako.addressee_number)
    api = api_as(viewer)
    by_kana = numbers(api, kana="ヤマダ")                              # the index-order path
    assert hanako.addressee_number not in [r["addressee_number"] for r in by_kana["results"]]
    assert by_kana["total"] == 2 and "山田 花子" not in str(by_kana)
    assert numbers(api, addressee_number=hanako.addressee_number)["results"] == []      # the filtered path
    assert numbers(api, kana="ヤマダ", include_removed=True)["total"] == 2
    assert not OperationLog.objects.filter(function="search", addressee_number=hanako.addressee_number).exists()
    client.force_login(viewer)
    screen = client.get("/counter/search/", {"kana": "ヤマダ"}).content.decode()
    assert "山田 花子" not in screen and "山田 太郎" in screen


def test_a_household_view_restriction_hides_every_member(hanako, supervisor, viewer, api_as):
    restrict(supervisor, household_number=hanako.household_number)
    assert numbers(api_as(viewer), kana="ヤマダ")["results"] == []
    assert numbers(api_as(viewer), name="山田", birth_date="S57.3.3")["total"] == 0


def test_a_clerk_finds_her_flagged_without_her_address(hanako, supervisor, clerk, api_as):
    r = restrict(supervisor, addressee_number=hanako.addressee_number)
    rows = {row["addressee_number"]: row for row in numbers(api_as(clerk), kana="ヤマダ")["results"]}
    hers = rows[hanako.addressee_number]
    assert hers["name"] == "山田 花子" and hers["restrictions"][0]["id"] == r.pk
    assert hers["address"] == VIEW_RESTRICTED_ADDRESS and hers["address_supplement"] == "" and hers["address_masked"]
    others = [row for n, row in rows.items() if n != hanako.addressee_number]
    assert all(row["address"] == hanako.address and "address_masked" not in row for row in others)


def test_an_alert_level_or_a_temporary_release_hides_no_one(hanako, supervisor, viewer, clerk, api_as):
    restrict(supervisor, level="alert", addressee_number=hanako.addressee_number)
    assert hanako.addressee_number in [r["addressee_number"] for r in numbers(api_as(viewer), kana="ヤマダ")["results"]]
    blocked = restrict(supervisor, addressee_number=hanako.addressee_number)
    assert numbers(api_as(viewer), kana="ヤマダ")["total"] == 2
    do_release_restriction_temporarily(blocked.pk, actor=actor(supervisor), minutes=10, reason="本人来庁")
    assert numbers(api_as(viewer), kana="ヤマダ")["total"] == 3
    rows = {r["addressee_number"]: r for r in numbers(api_as(clerk), kana="ヤマダ")["results"]}
    assert rows[hanako.addressee_number]["address"] == hanako.address
