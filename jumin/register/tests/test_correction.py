"""職権修正・軽微な修正・誤記修正 of one person's items (standard-spec §3.3): history is appended, never overwritten."""

from conftest import actor
from jumin.register.actions import do_correct_record
from jumin.register.models import Change, Household, Resident, ResidentHistory


def db_state():
    return (Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(),
            Household.objects.count(), sorted(Resident.objects.values_list("addressee_number", "name", "name_kana",
                                                                            "relationship", "history_number")))


def correction(number, kind="clerical_correction", **overrides):
    params = {"addressee_number": number, "correction_kind": kind, "effective_on": "R6.6.3",
              "reason": "転入届の記載誤りを戸籍謄本で確認したため", "items": {"name_kana": "ヤマダ\u3000ハナ"}}
    params.update(overrides)
    return params


def test_a_clerical_correction_appends_a_snapshot_and_keeps_the_old_one(family, clerk):
    wife = Resident.objects.get(name="山田 花子")
    change = do_correct_record(correction(wife.addressee_number), actor=actor(clerk))

    wife.refresh_from_db()
    assert wife.name_kana == "ヤマダ\u3000ハナ" and wife.history_number == 2
    first, second = ResidentHistory.objects.filter(addressee_number=wife.addressee_number).order_by("history_number")
    assert (first.name_kana, first.reason_code) == ("ヤマダ\u3000ハナコ", "move_in_domestic")
    assert (second.name_kana, second.reason_code, second.change_id) == ("ヤマダ\u3000ハナ", "clerical_correction", change.pk)
    assert change.ex_officio and change.kind == "correction"
    # nobody else changed, so nobody else gets a snapshot
    assert ResidentHistory.objects.count() == 4


def test_each_correction_kind_records_its_own_reason(family, clerk):
    child = Resident.objects.get(name="山田 一郎")
    do_correct_record(correction(child.addressee_number, "ex_officio_correction",
                                 items={"domicile": "東京都千代田区千代田2番"}), actor=actor(clerk))
    do_correct_record(correction(child.addressee_number, "minor_correction", items={"name_kana_confirmed": True}),
                      actor=actor(clerk))
    reasons = list(ResidentHistory.objects.filter(addressee_number=child.addressee_number)
                   .order_by("history_number").values_list("history_number", "reason_code"))
    assert reasons == [(1, "move_in_domestic"), (2, "ex_officio_correction"), (3, "minor_correction")]


def test_a_non_head_relationship_can_be_corrected(family, clerk):
    child = Resident.objects.get(name="山田 一郎")
    do_correct_record(correction(child.addressee_number, items={"relationship": "子の子"}), actor=actor(clerk))
    child.refresh_from_db()
    assert child.relationship == "子の子"


def test_a_correction_through_the_api(family, clerk, api_as):
    api = api_as(clerk)
    wife = Resident.objects.get(name="山田 花子")
    response = api.post("/changes/correction", correction(wife.addressee_number))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "correction"

    before = db_state()
    response = api.post("/changes/correction", correction(wife.addressee_number, correction_kind="rewrite"))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "correction_kind"
    response = api.post("/changes/correction", correction(wife.addressee_number, items={"status": "removed"}))
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "not_correctable", "field": "items.status",
                                        "message": response.json()["error"]["message"]}
    assert db_state() == before
