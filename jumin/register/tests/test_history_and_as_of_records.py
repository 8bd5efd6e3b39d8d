"""History: one full snapshot per person per change; the record as of any date (standard-spec §2.8)."""

from conftest import register_state
from jumin.register.models import Resident, ResidentHistory


def relocate(client, household, address, effective_on, notified_on):
    response = client.post("/changes/relocation", {"household_number": household, "effective_on": effective_on,
                                                   "notified_on": notified_on, "address": {"address": address}})
    assert response.status_code == 201, response.content


def test_history_lists_every_snapshot_with_what_changed(family, clerk, api_as):
    client = api_as(clerk)
    taro = Resident.objects.get(name="山田 太郎")
    relocate(client, taro.household_number, "宮城県仙台市泉区泉中央一丁目1番1号", "R6.5.1", "R6.5.2")
    history = client.get(f"/residents/{taro.addressee_number}/history").json()
    assert [h["history_number"] for h in history] == [1, 2]
    assert [h["reason"] for h in history] == ["国内転入", "転居"]
    changed = {c["item"] for c in history[1]["changed_items"]}
    assert {"address", "address_supplement", "address_since"} <= changed and "name" not in changed
    assert history[0]["display"]["birth_date"] == "昭和55年5月5日"
    assert history[1]["individual_number"] == "************"


def test_the_record_as_of_a_date_follows_the_effective_date(family, clerk, api_as):
    client = api_as(clerk)
    taro = Resident.objects.get(name="山田 太郎")
    relocate(client, taro.household_number, "宮城県仙台市泉区泉中央一丁目1番1号", "R6.5.1", "R6.5.2")
    assert client.get(f"/residents/{taro.addressee_number}/as-of/2024-04-30").json()["address"] == \
        "宮城県仙台市青葉区一番町四丁目7番17号"
    assert client.get(f"/residents/{taro.addressee_number}/as-of/2024-05-01").json()["address"] == \
        "宮城県仙台市泉区泉中央一丁目1番1号"
    before_move_in = client.get(f"/residents/{taro.addressee_number}/as-of/2024-03-31")
    assert before_move_in.status_code == 404 and "時点の記録はありません" in before_move_in.json()["error"]["message"]


def test_the_record_as_recorded_shows_what_the_register_said_that_day(family, clerk, api_as):
    from django.utils import timezone

    client = api_as(clerk)
    taro = Resident.objects.get(name="山田 太郎")
    today = timezone.localdate().isoformat()
    relocate(client, taro.household_number, "宮城県仙台市泉区泉中央一丁目1番1号", "R6.5.1", "R6.5.2")
    ResidentHistory.objects.filter(history_number=1).update(recorded_at="2024-04-05T10:00:00+09:00")
    assert client.get(f"/residents/{taro.addressee_number}/as-of/2024-05-01", basis="recorded").json()["address"] == \
        "宮城県仙台市青葉区一番町四丁目7番17号"   # the relocation was only recorded today
    assert client.get(f"/residents/{taro.addressee_number}/as-of/{today}", basis="recorded").json()["address"] == \
        "宮城県仙台市泉区泉中央一丁目1番1号"


def test_the_household_is_listed_in_household_order_now_and_as_of_a_date(family, clerk, api_as):
    client = api_as(clerk)
    household = Resident.objects.first().household_number
    now = client.get(f"/households/{household}").json()
    assert [m["relationship"] for m in now["members"]] == ["世帯主", "妻", "子"]
    assert client.get(f"/households/{household}", on="2024-03-01").status_code == 404
    assert len(client.get(f"/households/{household}", on="2024-04-01").json()["members"]) == 3


def test_a_removed_record_stays_readable_with_its_removal_reason(family, clerk, api_as):
    client = api_as(clerk)
    taro = Resident.objects.get(name="山田 太郎")
    client.post("/changes/move-out", {"household_number": taro.household_number, "effective_on": "R6.5.1",
                                      "notified_on": "R6.5.1", "destination": {"address": "東京都港区"}})
    record = client.get(f"/residents/{taro.addressee_number}").json()
    assert record["status"] == "removed" and record["display"]["status"] == "除票"
    assert record["display"]["removal_reason"] == "国内転出" and record["removed_on"] == "2024-05-01"


def test_the_change_list_of_a_person_and_of_a_household(family, clerk, api_as):
    client = api_as(clerk)
    taro = Resident.objects.get(name="山田 太郎")
    relocate(client, taro.household_number, "宮城県仙台市泉区泉中央一丁目1番1号", "R6.5.1", "R6.5.2")
    person = client.get("/changes", addressee_number=taro.addressee_number).json()
    household = client.get("/changes", household_number=taro.household_number).json()
    assert [c["kind"] for c in person] == ["relocation", "move_in"]
    assert [c["kind"] for c in household] == ["relocation", "move_in"]


def test_snapshots_cannot_be_overwritten(family):
    import pytest

    snapshot = ResidentHistory.objects.first()
    before = register_state()
    snapshot.name = "改ざん"
    with pytest.raises(ValueError):
        snapshot.save()
    assert register_state() == before


def test_a_back_dated_correction_does_not_carry_a_later_move_into_earlier_dates(family, clerk, api_as):
    client = api_as(clerk)
    taro = Resident.objects.get(name="山田 太郎")
    relocate(client, taro.household_number, "宮城県仙台市泉区泉中央一丁目1番1号", "R6.5.1", "R6.5.2")
    response = client.post("/changes/correction", {
        "addressee_number": taro.addressee_number, "correction_kind": "clerical_correction", "effective_on": "R6.4.1",
        "reason": "転入届の氏名の誤記", "items": {"name": "山田 太朗"}})
    assert response.status_code == 201, response.content
    april = client.get(f"/residents/{taro.addressee_number}/as-of/2024-04-15").json()
    assert april["address"] == "宮城県仙台市青葉区一番町四丁目7番17号"
    assert client.get(f"/residents/{taro.addressee_number}/as-of/2024-05-02").json()["name"] == "山田 太朗"
