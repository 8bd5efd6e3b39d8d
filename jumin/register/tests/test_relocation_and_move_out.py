"""転居, 転出 and 転入通知の受理 through the API (standard-spec §3.1, §3.2)."""

from conftest import register_state
from jumin.register.models import Household, Resident, ResidentHistory


def numbers():
    return {p.name: p.addressee_number for p in Resident.objects.all()}


def test_the_whole_household_relocates_and_keeps_its_household_number(family, clerk, api_as):
    household = Resident.objects.first().household_number
    response = api_as(clerk).post("/changes/relocation", {
        "household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.3",
        "address": {"postcode": "9813133", "address": "宮城県仙台市泉区泉中央一丁目1番1号"}})
    assert response.status_code == 201, response.content
    assert response.json()["summary"].startswith("全部転居 3人")
    for person in Resident.objects.all():
        assert person.household_number == household and person.postcode == "9813133"
        assert str(person.address_since) == "2024-05-01" and str(person.became_resident_on) == "2024-04-01"
        assert person.history_number == 2
    assert ResidentHistory.objects.filter(reason_code="relocation").count() == 3


def test_relocating_to_the_same_address_is_refused(family, clerk, api_as):
    household = Resident.objects.first().household_number
    before = register_state()
    response = api_as(clerk).post("/changes/relocation", {
        "household_number": household, "effective_on": "R6.5.1",
        "address": {"address": "宮城県仙台市青葉区一番町四丁目7番17号", "address_supplement": "一番町ハイツ301"}})
    assert response.status_code == 422 and response.json()["error"]["field"] == "address.address"
    assert register_state() == before


def test_a_child_relocating_alone_forms_a_new_household_and_the_family_keeps_its_head(family, clerk, api_as):
    ids = numbers()
    household = Resident.objects.first().household_number
    response = api_as(clerk).post("/changes/relocation", {
        "household_number": household, "members": [ids["山田 一郎"]], "effective_on": "R6.5.1",
        "notified_on": "R6.5.1", "address": {"address": "宮城県仙台市若林区荒井東一丁目3番地"},
        "relationships": {ids["山田 一郎"]: "世帯主"}})
    assert response.status_code == 201, response.content
    ichiro = Resident.objects.get(name="山田 一郎")
    assert ichiro.household_number != household and ichiro.relationship == "世帯主" and ichiro.head_name == "山田 一郎"
    assert Household.objects.count() == 2
    assert Resident.objects.get(name="山田 太郎").relationship == "世帯主"


def test_when_the_head_moves_out_and_two_remain_a_new_head_must_be_named(family, clerk, api_as):
    ids = numbers()
    household = Resident.objects.first().household_number
    body = {"household_number": household, "members": [ids["山田 太郎"]], "effective_on": "R8.11.30",
            "notified_on": "R8.11.20", "destination": {"address": "東京都港区芝公園四丁目2番8号"}}
    before = register_state()
    refused = api_as(clerk).post("/changes/move-out", body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "head_required"
    assert register_state() == before
    body["new_head"] = ids["山田 花子"]
    body["remaining_relationships"] = {ids["山田 一郎"]: "子"}
    assert api_as(clerk).post("/changes/move-out", body).status_code == 201
    taro = Resident.objects.get(name="山田 太郎")
    assert taro.status == "removed" and taro.removal_reason == "move_out_domestic"
    assert str(taro.planned_move_out_on) == "2026-11-30"      # 転出予定日 after the 届出日 is allowed
    hanako = Resident.objects.get(name="山田 花子")
    assert hanako.relationship == "世帯主" and Resident.objects.get(name="山田 一郎").head_name == "山田 花子"
    assert ResidentHistory.objects.get(addressee_number=hanako.addressee_number, history_number=2).reason_code == "head_change"


def test_a_move_out_notified_more_than_14_days_late_must_be_recorded_ex_officio(family, clerk, api_as):
    household = Resident.objects.first().household_number
    body = {"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.6.1",
            "destination": {"address": "北海道札幌市中央区北1条西2丁目"}}
    before = register_state()
    refused = api_as(clerk).post("/changes/move-out", body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "ex_officio_required"
    assert register_state() == before
    accepted = api_as(clerk).post("/changes/move-out", {**body, "ex_officio": True, "reason": "届出期間経過後の転出届"})
    assert accepted.status_code == 201 and accepted.json()["late_notification"] is True


def test_the_move_in_notice_records_the_confirmed_destination_without_overwriting_the_planned_one(family, clerk, api_as):
    ids = numbers()
    household = Resident.objects.first().household_number
    api_as(clerk).post("/changes/move-out", {"household_number": household, "effective_on": "R6.5.1",
                                             "notified_on": "R6.5.1", "destination": {"address": "東京都港区"}})
    response = api_as(clerk).post("/changes/move-in-notice", {
        "addressee_number": ids["山田 太郎"], "notice_on": "R6.5.20", "moved_out_on": "R6.5.3",
        "destination_confirmed": {"postcode": "1050011", "address": "東京都港区芝公園四丁目2番8号"}})
    assert response.status_code == 201, response.content
    taro = Resident.objects.get(name="山田 太郎")
    assert taro.destination == "東京都港区" and taro.destination_confirmed == "東京都港区芝公園四丁目2番8号"
    assert str(taro.moved_out_on) == "2024-05-03" and taro.status == "removed"


def test_a_move_in_notice_for_a_living_resident_is_refused(family, clerk, api_as):
    before = register_state()
    response = api_as(clerk).post("/changes/move-in-notice", {
        "addressee_number": numbers()["山田 太郎"], "notice_on": "R6.5.20", "moved_out_on": "R6.5.3",
        "destination_confirmed": {"address": "東京都港区"}})
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_moved_out"
    assert register_state() == before
