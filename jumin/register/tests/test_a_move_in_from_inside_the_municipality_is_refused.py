"""Issue #15 item 8e: a 転入 whose 転入前住所 is in this municipality was accepted. 転入 is moving in from
outside (住民基本台帳法 第22条); inside the municipality it is a 転居 (第23条; in a 指定都市 also between 区).
Refused with 「同一市区町村内の移動は転居として届け出てください」, field 転入前住所."""

import pytest

from conftest import family_params, register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.register.rules import address_in_municipality

SENDAI = {"code": "041009", "name": "仙台市", "prefecture": "宮城県"}   # conftest's municipality


@pytest.mark.parametrize("previous,field", [
    ({"address": "宮城県仙台市泉区泉中央一丁目1番"}, "previous_address.address"),
    ({"address": "仙台市太白区長町五丁目2番"}, "previous_address.address"),
    ({"address": "宮城県 仙台市宮城野区榴岡一丁目"}, "previous_address.address"),
    ({"address": "青葉区一番町一丁目", "address_code": "04101001001"}, "previous_address.address"),
], ids=["with prefecture", "without prefecture", "with a space", "by a ward's 住所コード"])
def test_the_move_in_is_refused_and_nothing_written(single_step, clerk, api_as, previous, field):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", family_params(previous_address=previous))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == field and error["code"] == "move_within_municipality"
    assert "同一市区町村内の移動は転居として届け出てください" in error["message"]
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.move_in", outcome=REFUSED, username="clerk").exists()


def test_a_move_in_from_another_municipality_is_accepted(single_step, clerk, api_as):
    response = api_as(clerk).post("/changes/move-in", family_params(
        previous_address={"address": "宮城県名取市増田一丁目1番", "address_code": "04207001001"}))
    assert response.status_code == 201, response.content


def test_a_viewer_may_not_enter_a_move_in(single_step, viewer, api_as):
    before = register_state()
    assert api_as(viewer).post("/changes/move-in", family_params()).status_code == 403
    assert register_state() == before


@pytest.mark.parametrize("address,expected", [
    ({"address": "宮城県仙台市青葉区"}, True),
    ({"address": "仙台市"}, True),
    ({"address": "東京都仙台市"}, False),            # another prefecture's name first: not ours
    ({"address": "宮城県名取市"}, False),
    ({"address": "", "address_code": "04100000000"}, True),
    ({"address": "", "address_code": "04105001001"}, True),   # 泉区, a ward of the 指定都市
    ({"address": "", "address_code": "04202001001"}, False),  # 石巻市
    ({"address": ""}, False),
])
def test_the_rule_reads_the_address_and_its_code(address, expected):
    assert address_in_municipality(address, **SENDAI) is expected


def test_same_named_municipalities_are_told_apart_by_prefecture():
    fuchu_hiroshima = {"code": "342084", "name": "府中市", "prefecture": "広島県"}
    assert address_in_municipality({"address": "東京都府中市宮西町2丁目"}, **fuchu_hiroshima) is False
    assert address_in_municipality({"address": "広島県府中市府川町"}, **fuchu_hiroshima) is True


def test_the_wards_of_a_designated_city_end_where_the_next_city_begins():
    kawasaki = {"code": "141305", "name": "川崎市", "prefecture": "神奈川県"}
    yokohama = {"code": "141003", "name": "横浜市", "prefecture": "神奈川県"}
    assert address_in_municipality({"address": "", "address_code": "14137000000"}, **kawasaki) is True
    assert address_in_municipality({"address": "", "address_code": "14118000000"}, **yokohama) is True
    assert address_in_municipality({"address": "", "address_code": "14131000000"}, **yokohama) is False
