"""異動の取消し restores the state before the change by appending snapshots that carry the cancelled change's
異動日, so as-of queries treat the cancelled change as never having happened (standard-spec §3.4)."""

from datetime import date

from conftest import actor
from jumin.register.actions import do_cancel_change, do_correct_record
from jumin.register.models import ITEM_FIELDS, Change, Resident, ResidentHistory
from jumin.register.queries import snapshot_as_of


def items(record):
    return {name: getattr(record, name) for name in ITEM_FIELDS}


def test_a_cancelled_correction_restores_every_item_and_disappears_from_as_of_queries(family, clerk):
    head = Resident.objects.get(name="山田 太郎")
    number = head.addressee_number
    original = items(head)
    correction = do_correct_record({"addressee_number": number, "correction_kind": "ex_officio_correction",
                                    "effective_on": "R6.6.3", "reason": "本籍地からの通知",
                                    "items": {"name": "山田 太朗", "domicile": "東京都千代田区千代田2番"}},
                                   actor=actor(clerk))
    assert snapshot_as_of(number, date(2024, 6, 10)).name == "山田 太朗"
    assert Resident.objects.get(name="山田 花子").head_name == "山田 太朗"

    cancellation = do_cancel_change({"change_id": correction.pk, "reason": "通知の対象者を取り違えたため"},
                                    actor=actor(clerk))

    head.refresh_from_db()
    assert items(head) == original
    assert cancellation.cancels_id == correction.pk
    assert Change.objects.get(pk=cancellation.pk).cancels_id == correction.pk
    assert cancellation.effective_on == correction.effective_on == date(2024, 6, 3)
    assert Resident.objects.get(name="山田 花子").head_name == "山田 太郎"
    # both the cancelled and the cancelling snapshots stay in history
    rows = list(ResidentHistory.objects.filter(addressee_number=number).order_by("history_number")
                .values_list("history_number", "reason_code", "name"))
    assert rows == [(1, "move_in_domestic", "山田 太郎"), (2, "ex_officio_correction", "山田 太朗"),
                    (3, "cancel_correction", "山田 太郎")]
    # as of any date, the correction never happened
    assert snapshot_as_of(number, date(2024, 6, 10)).name == "山田 太郎"
    assert snapshot_as_of(number, date(2024, 6, 3)).name == "山田 太郎"
    assert snapshot_as_of(number, date(2024, 5, 1)).history_number == 1


def test_a_cancellation_through_the_api(family, clerk, api_as):
    wife = Resident.objects.get(name="山田 花子")
    api = api_as(clerk)
    response = api.post("/changes/correction", {
        "addressee_number": wife.addressee_number, "correction_kind": "clerical_correction", "effective_on": "R6.6.3",
        "reason": "誤記", "items": {"name_kana": "ヤマダ ハナ"}})
    assert response.status_code == 201
    correction_id = response.json()["id"]

    response = api.post("/changes/cancellation", {"change_id": 999999, "reason": "誤り"})
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "field": "change_id",
                                        "message": "異動ID 999999 は見つかりません。"}
    response = api.post("/changes/cancellation", {"change_id": correction_id, "reason": "誤り"})
    assert response.status_code == 201, response.content
    assert response.json()["cancels"] == correction_id and response.json()["kind"] == "cancellation"
    assert Resident.objects.get(pk=wife.pk).name_kana == "ヤマダ\u3000ハナコ"

    response = api.post("/changes/cancellation", {"change_id": correction_id, "reason": "誤り"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "already_cancelled"
