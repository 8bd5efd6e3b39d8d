"""The person and full data as of a day (issue #18 item 3): a 連携先 reads one person as the register stood on a
day — by 異動日 or by the day it was recorded — and every person as of a day in pages by 宛名番号, its items only,
支援措置 persons masked or withheld as in the feed, 除票 only if it receives them. Refused and logged: a future day,
an unknown basis, a malformed 宛名番号 or `after`, `limit` out of range (422), no record that day (404), a token
without the persons scope (403), no token (401)."""

import pytest
from django.test import Client

from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.audit.models import OperationLog
from jumin.linkage.queries import PERSON, PERSONS
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import MOVE, _register, _token
from jumin.register.actions import do_relocate
from jumin.register.models import Resident


def _get(token, path, **params):
    return Client().get(f"/api/linkage/v1/{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def moved(family, clerk):
    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, **MOVE}, actor=actor(clerk))      # 転居 on 2024-05-01
    return Resident.objects.get(name="山田 太郎")


def test_a_person_as_of_a_day_has_the_address_of_that_day(moved, admin):
    client_id, secret = _register("--business", "010", "--name", "個人住民税", "--items", "name,address")
    token = _token(client_id, secret)
    then = _get(token, f"persons/{moved.addressee_number}", as_of="2024-04-15").json()
    assert then["items"]["address"].startswith("宮城県仙台市青葉区") and set(then["items"]) == {"name", "address"}
    assert (then["as_of"], then["basis"], then["withheld"], then["restricted"]) == ("2024-04-15", "effective", False, False)
    now = _get(token, f"persons/{moved.addressee_number}").json()
    assert now["items"]["address"].startswith("宮城県仙台市泉区")
    recorded = _get(token, f"persons/{moved.addressee_number}", as_of="2024-04-15", basis="recorded")
    assert recorded.status_code == 404                       # recorded today: nothing was on record in 2024
    assert "123456789018" not in str(now)
    assert OperationLog.objects.filter(function=PERSON, outcome="ok", addressee_number=moved.addressee_number,
                                       username=f"linkage:{client_id}").count() == 2


def test_everyone_as_of_a_day_comes_in_pages_by_addressee_number(moved, admin):
    token = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name,address"))
    first = _get(token, "persons", as_of="2024-04-15", limit=2).json()
    assert [p["items"]["name"] for p in first["persons"]] == ["山田 太郎", "山田 花子"] and first["more"]
    second = _get(token, "persons", as_of="2024-04-15", limit=2, after=first["next"]).json()
    assert [p["items"]["name"] for p in second["persons"]] == ["山田 一郎"] and not second["more"]
    assert all(p["items"]["address"].startswith("宮城県仙台市青葉区") for p in first["persons"] + second["persons"])
    today = _get(token, "persons", limit=10).json()
    assert all(p["items"]["address"].startswith("宮城県仙台市泉区") for p in today["persons"])
    assert _get(token, "persons", as_of="2024-03-01").json()["persons"] == []      # before they moved in
    assert OperationLog.objects.filter(function=PERSONS, outcome="ok").count() == 2 + 1 + 3 + 1   # a row a person


def test_a_protected_person_is_masked_or_withheld_as_of_any_day(moved, admin):
    from jumin.restrictions.actions import do_register_protection

    supervisor = _user("supervisor", perms.SUPERVISOR, "支援 五郎")
    hanako = Resident.objects.get(name="山田 花子")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    receives = _token(*_register("--business", "024", "--name", "国民健康保険", "--items", "name,address",
                                 "--protected"))
    plain = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name,address"))
    masked = _get(receives, f"persons/{hanako.addressee_number}", as_of="2024-04-15").json()
    assert masked["restricted"] and masked["items"] is None and masked["household_number"] == ""
    withheld = _get(plain, f"persons/{hanako.addressee_number}").json()
    assert withheld["withheld"] and (withheld["items"], withheld["household_number"]) == (None, None)
    page = _get(plain, "persons", limit=10).json()["persons"]
    assert [p["withheld"] for p in page if p["addressee_number"] == hanako.addressee_number] == [True]
    assert "山田 花子" not in str(page) and "泉区" not in str([p for p in page if p["withheld"]])


@pytest.mark.parametrize("path, params, status", [
    ("persons/{n}", {"as_of": "2999-01-01"}, 422),
    ("persons/{n}", {"basis": "whenever"}, 422),
    ("persons/12345", {}, 422),
    ("persons/0000999997", {}, 404),
    ("persons", {"limit": 0}, 422),
    ("persons", {"limit": 1001}, 422),
    ("persons", {"after": "abc"}, 422),
])
def test_bad_questions_are_refused_and_logged(moved, admin, path, params, status):
    client_id, secret = _register("--business", "010", "--name", "個人住民税", "--items", "name")
    answer = _get(_token(client_id, secret), path.format(n=moved.addressee_number), **params)
    assert answer.status_code == status, answer.content
    assert OperationLog.objects.filter(function__in=[PERSON, PERSONS], outcome="refused",
                                       username=f"linkage:{client_id}").exists()


def test_a_token_without_the_persons_scope_or_none_is_refused(moved, admin):
    client_id, secret = _register("--business", "010", "--name", "個人住民税", "--items", "name")
    feed_only = _token(client_id, secret, scope="001:changes:read")
    assert _get(feed_only, "persons").status_code == 403
    assert Client().get("/api/linkage/v1/persons").status_code == 401
    assert OperationLog.objects.filter(function=PERSONS, outcome="refused", username=f"linkage:{client_id}").exists()
