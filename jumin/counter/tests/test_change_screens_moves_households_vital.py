"""The 転出・転入通知・世帯・出生・死亡 screens through Django's test client (issue #4 item 4).

Each screen: the form opens from where a clerk starts it, a valid entry reaches the 確認画面 and registering
it changes the register, and a refusal lands next to its input with the register untouched.
"""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import actor, family_params, register_state
from jumin.counter.templatetags.counter import field_id
from jumin.register import choices as c
from jumin.register.actions import do_move_in, do_move_out
from jumin.register.models import Change, Resident


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    session = client.session
    session["terminal"] = "本庁1"
    session.save()
    return client


def day(offset: int) -> str:
    """A date relative to today, as a clerk may type it (西暦)."""
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def person(name: str) -> Resident:
    return Resident.objects.get(name=name, status=c.RESIDENT)


@pytest.fixture
def yamada(family):
    """Numbers of the 山田 family: 太郎 世帯主, 花子 妻, 一郎 子."""
    taro = person("山田 太郎")
    return {"household": taro.household.household_number, "taro": taro.addressee_number,
            "hanako": person("山田 花子").addressee_number, "ichiro": person("山田 一郎").addressee_number}


@pytest.fixture
def sato(yamada, clerk):
    """A one-person household at the same address and 方書 as the 山田 family."""
    address = family_params()["address"]
    do_move_in({"move_in_kind": "domestic", "effective_on": "R6.5.1", "notified_on": "R6.5.2", "address": address,
                "previous_address": {"address": "大阪府大阪市北区梅田1丁目1番1号"},
                "members": [{"name": "佐藤 健", "name_kana": "サトウ ケン", "birth_date": "S50.1.1", "sex": "1",
                             "relationship": "世帯主", "domicile_status": "unknown"}]}, actor=actor(clerk))
    return person("佐藤 健").household.household_number


def open_form(desk, kind, **start):
    response = desk.get(f"/counter/changes/{kind}/", start)
    assert response.status_code == 200
    return response.content.decode()


def refuse(desk, kind, form):
    """POST to the 確認画面 expecting a refusal: the form comes back (422) and nothing was written."""
    before = register_state()
    response = desk.post(f"/counter/changes/{kind}/", {**form, "step": "confirm"})
    assert response.status_code == 422, response.content.decode()[:2000]
    assert register_state() == before
    return response.content.decode()


def confirm_and_register(desk, kind, form):
    """確認画面, then 登録 with what it carries (as the clerk's two clicks)."""
    confirm = desk.post(f"/counter/changes/{kind}/", {**form, "step": "confirm"})
    assert confirm.status_code == 200, confirm.content.decode()[:2000]
    page = confirm.content.decode()
    assert "確認画面" in page
    params = html.unescape(re.search(r'name="params_json" value="([^"]*)"', page).group(1))
    key = re.search(r'name="idempotency_key" value="([^"]*)"', page).group(1)
    return desk.post(f"/counter/changes/{kind}/", {"step": "submit", "params_json": params, "idempotency_key": key})


def register(desk, kind, form):
    done = confirm_and_register(desk, kind, form)
    assert done.status_code == 302 and "/receipt/" in done["Location"], done.content.decode()[:2000]
    return Change.objects.get(kind=kind)


def assert_refused_at(page: str, name: str, fragment: str, *, described: bool = True) -> None:
    """The refusal is printed once, right under the input named `name` (its id is what aria-describedby names)."""
    found = re.search(rf'<p class="field-error" id="{field_id(name)}-error" role="alert">([^<]*)</p>', page)
    assert found, f"no message next to {name}: {page[:4000]}"
    assert fragment in found.group(1)
    # once next to the input and once in the error summary at the top
    assert page.count(found.group(1)) == 2, "the message is missing from the summary or shown more often"
    if described:
        assert f'aria-describedby="{field_id(name)}-error"' in page


# ------------------------------------------------------------------ 転出

def move_out_form(yamada, **extra):
    return {"household_number": yamada["household"], "move_out_kind": "domestic",
            "destination.postcode": "1000001", "destination.address": "東京都千代田区千代田1番1号",
            "destination.address_supplement": "千代田ハウス101", "effective_on": day(7), **extra}


def test_move_out_form_shows_the_household_the_destination_and_a_future_planned_day(yamada, desk):
    page = open_form(desk, "move_out", household=yamada["household"])
    for label in ("転出", "区分", "転出先住所", "転出先の方書", "新しい世帯主", "転出予定日", "山田 花子"):
        assert label in page
    assert f'name="remaining_relationships.{yamada["hanako"]}"' in page
    assert f'name="household_number" value="{yamada["household"]}"' in page
    assert "本日より後の日付も入力できます" in page


def test_a_whole_family_moves_out_on_a_planned_day_after_today(yamada, desk):
    form = move_out_form(yamada)
    confirm = desk.post("/counter/changes/move_out/", {**form, "step": "confirm"}).content.decode()
    assert "確認画面" in confirm and "全部転出 3人" in confirm
    change = register(desk, "move_out", form)
    assert change.status == c.APPROVED
    for key in ("taro", "hanako", "ichiro"):
        r = Resident.objects.get(addressee_number=yamada[key])
        assert r.status == c.REMOVED and r.removal_reason == "move_out_domestic"
        assert r.destination == "東京都千代田区千代田1番1号" and r.destination_supplement == "千代田ハウス101"
        assert r.planned_move_out_on.isoformat() == day(7)


def test_a_late_move_out_without_ex_officio_is_refused_next_to_the_ex_officio_box(yamada, desk):
    page = refuse(desk, "move_out", move_out_form(yamada, effective_on=day(-30)))
    # _field.html gives a checkbox no aria-describedby (yet): the message is checked by its place only.
    assert_refused_at(page, "bool:ex_officio", "職権で記録してください", described=False)
    assert 'value="東京都千代田区千代田1番1号"' in page and 'value="千代田ハウス101"' in page


# ------------------------------------------------------------------ 転入通知の受理

@pytest.fixture
def ichiro_moved_out(yamada, clerk):
    do_move_out({"household_number": yamada["household"], "members": [yamada["ichiro"]], "effective_on": day(-5),
                 "destination": {"address": "東京都新宿区西新宿2丁目8番1号"}}, actor=actor(clerk))
    return yamada["ichiro"]


def notice_form(number, **extra):
    return {"addressee_number": number, "notice_on": day(-1), "moved_out_on": day(-4),
            "destination_confirmed.address": "東京都新宿区西新宿2丁目8番1号", "destination_confirmed.address_supplement":
            "都庁ハイツ5", **extra}


def test_move_in_notice_form_opens_from_the_removed_record(ichiro_moved_out, desk):
    page = open_form(desk, "move_in_notice", person=ichiro_moved_out)
    for label in ("転入通知の受理", "転入通知年月日", "転出年月日（確定）", "転出先住所（確定）", "方書"):
        assert label in page
    assert f'name="addressee_number" value="{ichiro_moved_out}"' in page
    assert 'name="effective_on"' not in page


def test_a_move_in_notice_records_the_confirmed_destination(ichiro_moved_out, desk):
    register(desk, "move_in_notice", notice_form(ichiro_moved_out))
    r = Resident.objects.get(addressee_number=ichiro_moved_out)
    assert r.destination_confirmed == "東京都新宿区西新宿2丁目8番1号" and r.destination_confirmed_supplement == "都庁ハイツ5"
    assert r.moved_out_on.isoformat() == day(-4) and r.move_in_notice_on.isoformat() == day(-1)
    assert r.destination == "東京都新宿区西新宿2丁目8番1号" and r.planned_move_out_on.isoformat() == day(-5)


def test_a_move_in_notice_dated_in_the_future_is_refused_next_to_its_date(ichiro_moved_out, desk):
    page = refuse(desk, "move_in_notice", notice_form(ichiro_moved_out, notice_on=day(3)))
    assert_refused_at(page, "notice_on", "未来の日付")
    assert 'value="都庁ハイツ5"' in page


# ------------------------------------------------------------------ 世帯分離

def test_household_split_form_lets_the_clerk_pick_leavers_and_their_relationships(yamada, desk):
    page = open_form(desk, "household_split", household=yamada["household"])
    for label in ("世帯分離", "新しい世帯での続柄", "山田 一郎 の新しい続柄", "元の世帯の新しい世帯主", "異動日"):
        assert label in page
    assert f'name="list:members" value="{yamada["ichiro"]}"' in page
    assert f'name="relationships.{yamada["ichiro"]}"' in page


def test_a_son_splits_off_into_his_own_household(yamada, desk):
    register(desk, "household_split", {"household_number": yamada["household"], "list:members": [yamada["ichiro"]],
                                       f"relationships.{yamada['ichiro']}": "世帯主", "effective_on": day(-1)})
    ichiro = Resident.objects.get(addressee_number=yamada["ichiro"])
    assert ichiro.relationship == "世帯主" and ichiro.household.household_number != yamada["household"]
    assert ichiro.address == person("山田 太郎").address
    assert Resident.objects.filter(household__household_number=yamada["household"]).count() == 2


def test_a_split_without_the_leavers_relationship_is_refused_next_to_it(yamada, desk):
    page = refuse(desk, "household_split", {"household_number": yamada["household"], "list:members": [yamada["ichiro"]],
                                            "effective_on": day(-1)})
    assert_refused_at(page, f"relationships.{yamada['ichiro']}", "新しい続柄を入力してください")
    assert f'value="{yamada["ichiro"]}" form="change-form" checked' in page


# ------------------------------------------------------------------ 世帯合併

def test_household_merge_form_asks_the_relationship_of_every_member(yamada, desk):
    page = open_form(desk, "household_merge", household=yamada["household"])
    for label in ("世帯合併", "合併先の世帯番号", "山田 太郎 の新しい続柄", "山田 花子 の新しい続柄", "山田 一郎 の新しい続柄"):
        assert label in page
    assert 'name="list:members"' not in page


def merge_form(yamada, into, **extra):
    return {"household_number": yamada["household"], "into_household_number": into, "effective_on": day(-1),
            **{f"relationships.{yamada[k]}": "同居人" for k in ("taro", "hanako", "ichiro")}, **extra}


def test_a_family_merges_into_the_household_at_the_same_address(yamada, sato, desk):
    register(desk, "household_merge", merge_form(yamada, sato))
    for key in ("taro", "hanako", "ichiro"):
        r = Resident.objects.get(addressee_number=yamada[key])
        assert r.household.household_number == sato and r.relationship == "同居人"
    assert person("佐藤 健").relationship == "世帯主"


def test_a_merge_naming_a_member_head_is_refused_next_to_that_relationship(yamada, sato, desk):
    page = refuse(desk, "household_merge", merge_form(yamada, sato, **{f"relationships.{yamada['taro']}": "世帯主"}))
    assert_refused_at(page, f"relationships.{yamada['taro']}", "世帯主にすることはできません")
    assert f'value="{sato}"' in page


# ------------------------------------------------------------------ 世帯変更

def test_household_change_form_lets_the_clerk_pick_movers_and_the_other_household(yamada, desk):
    page = open_form(desk, "household_change", household=yamada["household"])
    for label in ("世帯変更", "移る先の世帯番号", "山田 一郎 の新しい続柄", "元の世帯の新しい世帯主"):
        assert label in page
    assert f'name="list:members" value="{yamada["ichiro"]}"' in page


def test_a_son_moves_into_the_other_household_at_the_same_address(yamada, sato, desk):
    register(desk, "household_change", {"household_number": yamada["household"], "list:members": [yamada["ichiro"]],
                                        "into_household_number": sato, f"relationships.{yamada['ichiro']}": "同居人",
                                        "effective_on": day(-1)})
    ichiro = Resident.objects.get(addressee_number=yamada["ichiro"])
    assert ichiro.household.household_number == sato and ichiro.relationship == "同居人"
    assert person("山田 太郎").household.household_number == yamada["household"]


def test_a_household_change_into_an_unknown_household_is_refused_next_to_its_number(yamada, desk):
    page = refuse(desk, "household_change", {"household_number": yamada["household"],
                                             "list:members": [yamada["ichiro"]], "into_household_number": "9999999999",
                                             f"relationships.{yamada['ichiro']}": "同居人", "effective_on": day(-1)})
    assert_refused_at(page, "into_household_number", "見つかりません")


# ------------------------------------------------------------------ 世帯主変更

def test_head_change_form_lists_the_members_to_choose_the_new_head(yamada, desk):
    page = open_form(desk, "head_change", household=yamada["household"])
    assert '<select id="f-new_head" name="new_head"' in page
    assert f'<option value="{yamada["hanako"]}">山田 花子' in page
    for label in ("世帯主変更", "新しい世帯主", "山田 太郎 の新しい続柄", "異動日（世帯主変更の日）"):
        assert label in page


def head_change_form(yamada, **extra):
    return {"household_number": yamada["household"], "new_head": yamada["hanako"], "effective_on": day(-1),
            f"relationships.{yamada['hanako']}": "世帯主", f"relationships.{yamada['taro']}": "夫",
            f"relationships.{yamada['ichiro']}": "子", **extra}


def test_the_wife_becomes_head_and_every_relationship_is_reset(yamada, desk):
    register(desk, "head_change", head_change_form(yamada))
    assert Resident.objects.get(addressee_number=yamada["hanako"]).relationship == "世帯主"
    assert Resident.objects.get(addressee_number=yamada["taro"]).relationship == "夫"
    assert Resident.objects.get(addressee_number=yamada["ichiro"]).relationship == "子"


def test_a_new_head_whose_relationship_is_not_head_is_refused_next_to_it(yamada, desk):
    page = refuse(desk, "head_change", head_change_form(yamada, **{f"relationships.{yamada['hanako']}": "妻"}))
    assert_refused_at(page, f"relationships.{yamada['hanako']}", "「世帯主」としてください")
    assert f'<option value="{yamada["hanako"]}" selected>' in page


# ------------------------------------------------------------------ 出生

def birth_form(yamada, **extra):
    return {"household_number": yamada["household"], "child.name": "山田 二郎", "child.name_kana": "ヤマダ ジロウ",
            "child.sex": "1", "child.relationship": "子", "child.domicile_status": "recorded",
            "child.domicile": "東京都千代田区千代田1番", "child.domicile_head": "山田 太郎", "effective_on": day(-3),
            **extra}


def test_birth_form_asks_the_childs_items_and_the_day_of_birth(yamada, desk):
    page = open_form(desk, "birth", household=yamada["household"])
    for label in ("出生", "氏名", "フリガナ", "性別", "続柄", "本籍の記載", "本籍", "筆頭者", "出生日", "山田 太郎"):
        assert label in page
    assert 'name="child.name"' in page and 'name="child.domicile_head"' in page


def test_a_birth_adds_the_child_to_the_household(yamada, desk):
    register(desk, "birth", birth_form(yamada))
    child = person("山田 二郎")
    assert child.household.household_number == yamada["household"] and child.relationship == "子"
    assert child.birth_date.isoformat() == day(-3) and child.became_resident_on.isoformat() == day(-3)
    assert child.address == person("山田 太郎").address and child.domicile_head == "山田 太郎"


def test_a_birth_without_the_domicile_is_refused_next_to_it(yamada, desk):
    page = refuse(desk, "birth", birth_form(yamada, **{"child.domicile": ""}))
    assert_refused_at(page, "child.domicile", "本籍を入力してください")
    assert 'value="山田 二郎"' in page and 'value="ヤマダ ジロウ"' in page


# ------------------------------------------------------------------ 死亡

def test_death_form_shows_the_deceased_and_the_rest_of_the_household(yamada, desk):
    page = open_form(desk, "death", person=yamada["taro"], household=yamada["household"])
    for label in ("死亡", "亡くなった方", "山田 太郎", "死亡日", "新しい世帯主", "山田 花子 の新しい世帯主との続柄"):
        assert label in page
    assert f'name="remaining_relationships.{yamada["taro"]}"' not in page
    assert f'<option value="{yamada["taro"]}"' not in page


def test_the_death_of_a_member_makes_a_removed_record(yamada, desk):
    register(desk, "death", {"addressee_number": yamada["ichiro"], "household_number": yamada["household"],
                             "effective_on": day(-2)})
    ichiro = Resident.objects.get(addressee_number=yamada["ichiro"])
    assert ichiro.status == c.REMOVED and ichiro.removal_reason == "death"
    assert ichiro.removed_on.isoformat() == day(-2)


def test_a_death_dated_in_the_future_is_refused_next_to_the_death_date(yamada, desk):
    page = refuse(desk, "death", {"addressee_number": yamada["ichiro"], "household_number": yamada["household"],
                                  "effective_on": day(2)})
    assert_refused_at(page, "effective_on", "未来の日付")


def test_the_heads_death_needs_a_new_head_then_is_accepted_with_one(yamada, desk):
    form = {"addressee_number": yamada["taro"], "household_number": yamada["household"], "effective_on": day(-2)}
    page = refuse(desk, "death", form)
    assert_refused_at(page, "new_head", "新しい世帯主を指定してください")
    # The household is still on the form after the refusal, so the clerk can choose right there.
    assert f'<option value="{yamada["hanako"]}">山田 花子' in page and 'value="' + day(-2) + '"' in page

    register(desk, "death", {**form, "new_head": yamada["hanako"],
                             f"remaining_relationships.{yamada['ichiro']}": "子"})
    assert Resident.objects.get(addressee_number=yamada["taro"]).status == c.REMOVED
    hanako = Resident.objects.get(addressee_number=yamada["hanako"])
    assert hanako.relationship == "世帯主" and hanako.household.household_number == yamada["household"]
    assert Resident.objects.get(addressee_number=yamada["ichiro"]).relationship == "子"
