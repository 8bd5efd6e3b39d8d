"""仮登録 → 本登録 (standard-spec §3.1): drafts are invisible, editable, approved by someone else."""

from conftest import actor, family_params, register_state
from jumin.audit.models import OperationLog
from jumin.register import queries
from jumin.register.actions import do_approve_change, do_move_in, do_relocate, do_update_draft
from jumin.register.models import Change, Resident


def test_a_draft_is_invisible_to_record_reads_until_approved(family, municipality, clerk, approver, api_as):
    municipality.draft_required = True
    municipality.save()
    taro = Resident.objects.get(name="山田 太郎")
    draft = do_relocate({"household_number": taro.household_number, "effective_on": "R6.5.1", "notified_on": "R6.5.2",
                         "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}, actor=actor(clerk))
    record = api_as(clerk).get(f"/residents/{taro.addressee_number}").json()
    assert record["address"] == "宮城県仙台市青葉区一番町四丁目7番17号"
    assert record["pending_change_ids"] == [draft.pk]
    do_approve_change(draft.pk, actor=actor(approver))
    assert api_as(clerk).get(f"/residents/{taro.addressee_number}").json()["address"] == "宮城県仙台市泉区泉中央一丁目1番1号"


def test_the_clerk_who_entered_a_draft_cannot_approve_it(municipality, approver, api_as):
    change = do_move_in(family_params(), actor=actor(approver))
    before = register_state()
    response = api_as(approver).post(f"/changes/{change.pk}/approve")
    assert response.status_code == 422 and response.json()["error"]["code"] == "self_approval"
    assert register_state() == before
    assert OperationLog.objects.filter(function="change.approve", outcome="refused").exists()


def test_self_approval_is_allowed_when_the_municipality_says_so(municipality, approver):
    municipality.self_approval_allowed = True
    municipality.save()
    change = do_move_in(family_params(), actor=actor(approver))
    assert do_approve_change(change.pk, actor=actor(approver)).status == "approved"


def test_a_clerk_without_the_approval_right_cannot_approve(municipality, clerk, clerk2, api_as):
    change = do_move_in(family_params(), actor=actor(clerk))
    before = register_state()
    response = api_as(clerk2).post(f"/changes/{change.pk}/approve")
    assert response.status_code == 403
    assert register_state() == before


def test_drafts_can_be_approved_in_bulk_with_a_result_for_each(municipality, clerk, approver, api_as):
    first = do_move_in(family_params(), actor=actor(clerk))
    other = family_params()
    other["members"] = [dict(other["members"][0], name="佐藤 一", individual_number="", resident_code="")]
    second = do_move_in(other, actor=actor(clerk))
    response = api_as(approver).post("/changes/approve", {"change_ids": [first.pk, second.pk, 999999]})
    body = response.json()
    assert body["approved"] == 2
    assert [r["ok"] for r in body["results"]] == [True, True, False]
    assert Resident.objects.count() == 4


def test_a_draft_can_be_edited_and_the_edit_is_what_gets_approved(municipality, clerk, approver, api_as):
    change = do_move_in(family_params(), actor=actor(clerk))
    edited = family_params()
    edited["members"][0]["name"] = "山田 太朗"
    response = api_as(clerk).put(f"/changes/{change.pk}", {"params": edited, "expected_version": change.version})
    assert response.status_code == 200, response.content
    do_approve_change(change.pk, actor=actor(approver))
    assert Resident.objects.filter(name="山田 太朗").exists()


def test_editing_a_draft_from_a_stale_screen_is_a_conflict(municipality, clerk, clerk2, api_as):
    change = do_move_in(family_params(), actor=actor(clerk))
    do_update_draft(change.pk, family_params(notified_on="R6.4.6"), actor=actor(clerk2))
    response = api_as(clerk).put(f"/changes/{change.pk}", {"params": family_params(), "expected_version": 1})
    assert response.status_code == 409
    assert Change.objects.get(pk=change.pk).params["notified_on"] == "R6.4.6"


def test_a_person_with_a_pending_draft_cannot_get_a_second_change(family, municipality, clerk, api_as):
    municipality.draft_required = True
    municipality.save()
    taro = Resident.objects.get(name="山田 太郎")
    body = {"household_number": taro.household_number, "effective_on": "R6.5.1", "notified_on": "R6.5.2",
            "address": {"address": "宮城県仙台市泉区泉中央一丁目1番1号"}}
    assert api_as(clerk).post("/changes/relocation", body).status_code == 201
    before = register_state()
    second = api_as(clerk).post("/changes/relocation", body)
    assert second.status_code == 409 and second.json()["error"]["code"] == "pending_draft"
    assert register_state() == before


def test_a_discarded_draft_leaves_the_register_as_it_was(municipality, clerk, api_as):
    change = do_move_in(family_params(), actor=actor(clerk))
    response = api_as(clerk).post(f"/changes/{change.pk}/discard", {"reason": "入力誤り"})
    assert response.json()["status"] == "discarded"
    assert Resident.objects.count() == 0
    assert queries.list_changes(actor=actor(clerk), status="draft") == []
