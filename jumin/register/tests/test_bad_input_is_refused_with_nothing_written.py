"""Issue #2 "bad input gets a clear refusal and nothing written": every case via the API."""

import copy
import json

import pytest

from conftest import family_params, register_state
from jumin.audit.models import OperationLog


def member0(**items):
    params = family_params()
    params["members"][0].update(items)
    return params


CASES = [
    ("impossible date 令和2年2月30日", member0(birth_date="令和2年2月30日"), "members[0].birth_date", "存在しない"),
    ("era year zero 令和0年", member0(birth_date="令和0年5月1日"), "members[0].birth_date", None),
    ("birth date in the future", member0(birth_date="2099-01-01"), "members[0].birth_date", "未来"),
    ("wrong 個人番号 check digit", member0(individual_number="123456789012"), "members[0].individual_number", "検査"),
    ("wrong 住民票コード check digit", member0(resident_code="12345678904"), "members[0].resident_code", "検査"),
    ("続柄 outside the grammar", {**family_params(), "members": [family_params()["members"][0],
                                                               {**family_params()["members"][2], "relationship": "孫"}]},
     "members[1].relationship", "子の子"),
    ("five generations", {**family_params(), "members": [family_params()["members"][0],
                                                        {**family_params()["members"][2], "relationship": "子の子の子の子の子"}]},
     "members[1].relationship", "縁故者"),
    ("private use area character in a name", member0(name="山田 \ue000郎"), "members[0].name", "外字"),
    ("control character in a name", member0(name="山田\x07太郎"), "members[0].name", None),
    ("empty name", member0(name="   "), "members[0].name", "氏名"),
    ("name far too long", member0(name="山" * 5000), "members[0].name", None),
    ("change dated in the future", {**family_params(), "effective_on": "2099-04-01"}, "effective_on", "未来"),
    ("notification dated in the future", {**family_params(), "notified_on": "2099-04-01"}, "notified_on", None),
    ("kana that is not kana", member0(name_kana="Yamada"), "members[0].name_kana", "カタカナ"),
    ("unknown sex code", member0(sex="9"), "members[0].sex", "性別"),
    ("Japanese resident without 本籍 status", member0(domicile_status=""), "members[0].domicile_status", "本籍"),
    ("unknown item", member0(favourite_colour="blue"), "members[0].favourite_colour", None),
]


@pytest.mark.parametrize("label,params,field,phrase", CASES, ids=[c[0] for c in CASES])
def test_the_move_in_is_refused_with_a_japanese_message_naming_the_field(single_step, clerk, api_as, label, params,
                                                                         field, phrase):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", copy.deepcopy(params))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == field
    assert any("\u3040" <= ch <= "\u9fff" for ch in error["message"]), error["message"]
    if phrase:
        assert phrase in error["message"]
    assert register_state() == before


def test_a_ten_megabyte_name_is_refused_before_it_is_parsed(single_step, clerk, api_as):
    before = register_state()
    body = member0(name="山" * (10 * 1024 * 1024 // 3))
    response = api_as(clerk).client.post("/api/changes/move-in", json.dumps(body), content_type="application/json")
    assert response.status_code == 413
    assert "大きすぎ" in response.json()["error"]["message"]
    assert register_state() == before


def test_each_refusal_is_in_the_operation_log(single_step, clerk, api_as):
    api_as(clerk).post("/changes/move-in", member0(individual_number="123456789012"))
    row = OperationLog.objects.get(function="change.move_in")
    assert row.outcome == "refused" and "検査" in row.reason and row.username == "clerk"


def test_a_change_on_a_removed_record_is_refused(family, clerk, api_as):
    from jumin.register.models import Resident

    client = api_as(clerk)
    household = Resident.objects.first().household_number
    assert client.post("/changes/move-out", {"household_number": household, "effective_on": "R8.11.1",
                                             "notified_on": "R8.11.1",
                                             "destination": {"address": "福岡県福岡市中央区天神1丁目"}}).status_code == 201
    before = register_state()
    response = client.post("/changes/relocation", {"household_number": household, "effective_on": "R8.11.2",
                                                   "address": {"address": "宮城県仙台市泉区泉中央1丁目"}})
    assert response.status_code in (404, 422)
    assert register_state() == before
