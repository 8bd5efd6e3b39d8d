"""Past names and addresses are searchable; 除票 only on request; living before removed, exact before fuzzy."""

from conftest import actor
from jumin.register.actions import do_correct_record, do_move_out, do_relocate
from jumin.register.models import Resident
from jumin.search.tests.people import move_in, person


def hits(api, **criteria):
    response = api.get("/search", **criteria)
    assert response.status_code == 200, response.content
    return [r["addressee_number"] for r in response.json()["results"]]


def test_a_past_address_and_a_past_name_still_find_the_person(single_step, clerk, api_as):
    number = move_in(clerk, person("佐藤 実", "サトウ ミノル", "S50.1.1"))[0]
    household = Resident.objects.get(addressee_number=number).household_number
    do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    do_correct_record({"addressee_number": number, "correction_kind": "clerical_correction", "reason": "誤記",
                       "effective_on": "R6.5.2", "items": {"name": "佐藤 稔"}}, actor=actor(clerk))
    api = api_as(clerk)
    assert hits(api, address="宮城県仙台市青葉区一番町") == [number]
    assert hits(api, address="宮城県仙台市泉区泉中央") == [number]
    assert hits(api, name="佐藤 実") == [number] and hits(api, name="佐藤 稔") == [number]


def test_removed_records_are_found_only_when_asked_and_come_after_the_living(single_step, clerk, api_as):
    gone = move_in(clerk, person("田中 一", "タナカ ハジメ", "S40.1.1"))[0]
    household = Resident.objects.get(addressee_number=gone).household_number
    do_move_out({"household_number": household, "effective_on": "R6.6.1", "notified_on": "R6.6.1",
                 "destination": {"address": "東京都港区"}}, actor=actor(clerk))
    here = move_in(clerk, person("田中 一", "タナカ ハジメ", "S41.1.1"))[0]
    api = api_as(clerk)
    assert hits(api, kana="タナカ ハジメ") == [here]
    assert hits(api, kana="タナカ ハジメ", include_removed="true") == [here, gone]
    assert hits(api, removal_reason="move_out_domestic") == [gone]


def test_an_exact_match_comes_before_a_prefix_match(single_step, clerk, api_as):
    longer, exact = move_in(clerk, person("中村 一郎", "ナカムラ イチロウ", "S60.1.1"),
                            person("中村", "ナカムラ", "S60.1.2"))
    assert hits(api_as(clerk), kana="ナカムラ") == [exact, longer]


def test_blank_value_search_finds_records_without_kana(single_step, clerk, api_as):
    no_kana = move_in(clerk, person("無名 太郎", "", "S60.1.3"))[0]
    move_in(clerk, person("有名 太郎", "ユウメイ タロウ", "S60.1.4"))
    assert hits(api_as(clerk), blank="name_kana") == [no_kana]
