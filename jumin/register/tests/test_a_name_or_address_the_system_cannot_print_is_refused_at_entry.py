"""Issue #15 item 7: a character the system cannot print or exchange is refused when it is typed — through the
API as on the screens, since both go through the change engine's item rules — with the character shown and
the item's path as the field; nothing is written and the refusal is logged. What MJ has is accepted."""

import copy

import pytest

from conftest import family_params, register_state
from jumin.audit.models import REFUSED, OperationLog
from jumin.register.models import Resident


def with_member(**items):
    params = family_params()
    params["members"][0].update(items)
    return params


def with_address(**items):
    params = family_params()
    params["address"] = params["address"] | items
    return params


CASES = [
    ("emoji in a name", with_member(name="山田 😀"), "members[0].name", "「😀」（U+1F600）"),
    ("tab in a name", with_member(name="山田\t太郎"), "members[0].name", "U+0009"),
    ("NUL in a name", with_member(name="山田\x00太郎"), "members[0].name", "制御文字"),
    ("private use in 本籍", with_member(domicile="東京都千代田区\ue000町1番"), "members[0].domicile", "U+E000"),
    ("markup in 方書", with_address(address_supplement="<b>ハイツ</b>"), "address.address_supplement", "「<」"),
    ("ampersand in 筆頭者", with_member(domicile_head="山田&太郎"), "members[0].domicile_head", "「&」"),
    ("half-width katakana in a name", with_member(name="ﾔﾏﾀﾞ ﾀﾛｳ"), "members[0].name", "半角カタカナ「ﾔ」"),
    ("emoji in an address", with_address(address="宮城県仙台市青葉区一番町🏠"), "address.address", "「🏠」"),
    ("Adobe-Japan1 sequence in a name", with_member(name="葛\U000E0100西 太郎"), "members[0].name",
     "U+845B U+E0100"),
    ("emoji in the 転入前住所", {**family_params(), "previous_address": {"address": "東京都千代田区😀"}},
     "previous_address.address", "「😀」"),
]


@pytest.mark.parametrize("label,params,field,shown", CASES, ids=[c[0] for c in CASES])
def test_the_move_in_is_refused_naming_the_character_and_nothing_is_written(single_step, clerk, api_as, label,
                                                                           params, field, shown):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in", copy.deepcopy(params))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["field"] == field
    assert shown in error["message"]
    assert register_state() == before
    # A NUL is refused at the API's edge (logged under the operation's name), the rest by the item rules.
    row = OperationLog.objects.get(outcome=REFUSED)
    assert row.username == "clerk" and row.function in ("change.move_in", "do_move_in")


def test_a_viewer_may_not_enter_even_a_printable_name(single_step, viewer, api_as):
    before = register_state()
    assert api_as(viewer).post("/changes/move-in", with_member(name="葛\U000E0102西 太郎")).status_code == 403
    assert register_state() == before


def test_an_mj_variation_sequence_and_a_rare_mj_kanji_are_accepted_as_typed(single_step, clerk, api_as):
    name = "葛\U000E0102西 𠮷太郎"
    response = api_as(clerk).post("/changes/move-in", with_member(name=name, domicile_head=name,
                                                                   name_kana="ｶｻｲ ﾖｼﾀﾛｳ"))
    assert response.status_code == 201, response.content
    head = Resident.objects.get(addressee_number=response.json()["result"]["created"][0])
    assert head.name == name and head.domicile_head == name
    assert head.name_kana == "カサイ\u3000ヨシタロウ"   # a フリガナ is folded to full-width, a name never


def test_an_emoji_in_a_former_surname_is_refused_on_its_own_change(family, clerk, api_as):
    number = family["created"][0]
    before = register_state()
    response = api_as(clerk).post("/changes/former-surname", {
        "addressee_number": number, "action": "entry", "former_surname": "佐藤😀", "effective_on": "R6.6.10"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "former_surname" and "「😀」" in response.json()["error"]["message"]
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.former_surname", outcome=REFUSED).exists()
