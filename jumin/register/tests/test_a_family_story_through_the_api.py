"""Issue #2 "done when": through the API only — a family's move-in, a birth, the death of the head,
a split, a move-out and its cancellation — then every person's history and as-of records.
Two-step municipality: the clerk enters, the approver approves each change."""

from conftest import family_params


def test_a_family_story_from_move_in_to_a_cancelled_move_out(municipality, clerk, approver, api_as):
    desk, boss = api_as(clerk), api_as(approver)

    def change(path, body):
        entered = desk.post(f"/changes/{path}", body)
        assert entered.status_code == 201, entered.content
        assert entered.json()["status"] == "draft"
        approved = boss.post(f"/changes/{entered.json()['id']}/approve")
        assert approved.status_code == 200, approved.content
        return approved.json()

    moved_in = change("move-in", family_params())
    taro, hanako, ichiro = moved_in["result"]["created"]
    household = desk.get(f"/residents/{taro}").json()["household_number"]

    born = change("birth", {"household_number": household, "effective_on": "R6.8.10", "notified_on": "R6.8.12",
                            "child": {"name": "山田 桜", "name_kana": "ヤマダ サクラ", "sex": "2", "relationship": "子",
                                      "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番",
                                      "domicile_head": "山田 太郎"}})
    sakura = born["result"]["created"][0]

    change("death", {"addressee_number": taro, "effective_on": "R7.1.15", "notified_on": "R7.1.16",
                     "new_head": hanako, "remaining_relationships": {ichiro: "子", sakura: "子"}})
    assert desk.get(f"/residents/{hanako}").json()["relationship"] == "世帯主"

    change("household-split", {"household_number": household, "members": [ichiro], "effective_on": "R7.4.1",
                               "notified_on": "R7.4.1", "relationships": {ichiro: "世帯主"}})
    ichiro_household = desk.get(f"/residents/{ichiro}").json()["household_number"]
    assert ichiro_household != household

    moved_out = change("move-out", {"household_number": ichiro_household, "effective_on": "R7.6.1",
                                    "notified_on": "R7.6.1", "destination": {"address": "東京都文京区本郷七丁目3番1号"}})
    assert desk.get(f"/residents/{ichiro}").json()["status"] == "removed"
    change("cancellation", {"change_id": moved_out["id"], "reason": "転出届の取下げ", "effective_on": "R7.6.1"})
    ichiro_now = desk.get(f"/residents/{ichiro}").json()
    assert ichiro_now["status"] == "resident" and ichiro_now["household_number"] == ichiro_household

    history = desk.get(f"/residents/{ichiro}/history").json()
    assert [h["reason_code"] for h in history] == ["move_in_domestic", "head_change", "household_split",
                                                   "move_out_domestic", "cancel_increase"]
    assert [h["head_name"] for h in history] == ["山田 太郎", "山田 花子", "山田 一郎", "山田 一郎", "山田 一郎"]
    assert desk.get(f"/residents/{ichiro}/as-of/2025-06-15").json()["status"] == "resident"
    assert desk.get(f"/residents/{taro}/as-of/2025-01-14").json()["status"] == "resident"
    assert desk.get(f"/residents/{taro}/as-of/2025-01-15").json()["removal_reason"] == "death"
    assert desk.get(f"/residents/{sakura}/as-of/2024-08-09").status_code == 404
    assert desk.get(f"/households/{household}", on="2024-12-31").json()["members"][0]["name"] == "山田 太郎"
    assert [m["name"] for m in desk.get(f"/households/{household}").json()["members"]] == ["山田 花子", "山田 桜"]
