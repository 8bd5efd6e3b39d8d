"""A change (異動) carries the person's name and new address in its summary and input, so a reader without
VIEW_PROTECTED must not get it: lists leave it out (as search leaves the person out) and reading it is refused
with the same neutral message as the record, logged (住民基本台帳事務処理要領 第5-10 支援措置; issue #15 item 1)."""

import json

from conftest import actor, family_params
from jumin.audit.models import OperationLog
from jumin.register.actions import do_move_in, do_relocate
from jumin.register.models import Change, Resident
from jumin.restrictions.queries import NEUTRAL_MESSAGE
from jumin.restrictions.tests.conftest import restriction, state

NEW_ADDRESS = {"postcode": "9813133", "address": "宮城県仙台市泉区泉中央一丁目1番1号"}


def relocate(clerk, person):
    return do_relocate({"household_number": person.household_number, "effective_on": "R6.5.1",
                        "notified_on": "R6.5.3", "address": NEW_ADDRESS}, actor=actor(clerk))


def someone_else(clerk):
    member = family_params()["members"][0] | {"name": "佐々木 一", "name_kana": "ササキ ハジメ", "individual_number": "",
                                                "resident_code": "", "domicile_head": "佐々木 一"}
    return do_move_in(family_params(members=[member], address={"address": "宮城県仙台市若林区荒井東一丁目3番地"}),
                      actor=actor(clerk))


def test_a_viewer_neither_lists_nor_reads_the_move_of_a_protected_person(protection, hanako, clerk, viewer, api_as):
    moved, other = relocate(clerk, hanako), someone_else(clerk)
    listed = api_as(viewer).get("/changes")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [other.pk]
    assert "泉中央" not in json.dumps(listed.json(), ensure_ascii=False)
    assert api_as(viewer).get("/changes", addressee_number=hanako.addressee_number).json() == []

    before = state()
    refused = api_as(viewer).get(f"/changes/{moved.pk}")
    assert refused.status_code == 403
    assert refused.json()["error"] == {"code": "restricted", "message": NEUTRAL_MESSAGE, "field": None}
    assert state() == before
    row = OperationLog.objects.get(function="change.view", username="viewer", outcome="refused",
                                   addressee_number=hanako.addressee_number)
    assert row.detail["change_id"] == moved.pk


def test_the_clerk_with_the_right_lists_and_reads_it(protection, hanako, clerk, api_as):
    moved = relocate(clerk, hanako)
    assert moved.pk in [c["id"] for c in api_as(clerk).get("/changes").json()]
    assert api_as(clerk).get(f"/changes/{moved.pk}").json()["params"]["address"]["address"] == NEW_ADDRESS["address"]


def test_a_person_under_a_view_restriction_is_hidden_in_the_same_way(family, clerk, viewer, supervisor, api_as):
    taro = Resident.objects.get(name="山田 太郎")
    restriction(supervisor, addressee_number=taro.addressee_number, operation="view", level="error")
    moved = relocate(clerk, taro)
    assert moved.pk not in [c["id"] for c in api_as(viewer).get("/changes").json()]
    assert api_as(viewer).get(f"/changes/{moved.pk}").status_code == 403
    assert OperationLog.objects.filter(function="change.view", username="viewer", outcome="refused").exists()
    assert Change.objects.get(pk=moved.pk).status == "approved"
