"""Register endpoints: one per change kind, plus records, as-of records, history, households, drafts.

Handlers only parse and call: rights, rules, transactions and the operation log are in actions/queries.
"""

from django.http import HttpRequest
from ninja import Query, Router, Status

from jumin.core.http import actor_for
from jumin.core.errors import RuleViolation
from jumin.register import actions, queries
from jumin.register import schemas as s

router = Router()

# (path, action name in jumin.register.actions, schema, summary)
CHANGE_ENDPOINTS = [
    ("move-in", "do_move_in", s.MoveInIn, "転入（国内・国外、世帯全員を一度に）"),
    ("relocation", "do_relocate", s.RelocationIn, "転居"),
    ("move-out", "do_move_out", s.MoveOutIn, "転出（国内・国外）"),
    ("move-in-notice", "do_record_move_in_notice", s.MoveInNoticeIn, "転入通知の受理"),
    ("household-split", "do_split_household", s.HouseholdSplitIn, "世帯分離"),
    ("household-merge", "do_merge_household", s.HouseholdMergeIn, "世帯合併"),
    ("household-change", "do_change_household", s.HouseholdChangeIn, "世帯変更"),
    ("head-change", "do_change_head", s.HeadChangeIn, "世帯主変更"),
    ("birth", "do_record_birth", s.BirthIn, "出生"),
    ("death", "do_record_death", s.DeathIn, "死亡"),
    ("ex-officio-entry", "do_ex_officio_entry", s.ExOfficioEntryIn, "職権記載"),
    ("ex-officio-removal", "do_ex_officio_removal", s.ExOfficioRemovalIn, "職権消除"),
    ("correction", "do_correct_record", s.CorrectionIn, "職権修正・軽微な修正・誤記修正"),
    ("former-surname", "do_record_former_surname", s.FormerSurnameIn, "旧氏の記載・変更・削除"),
    ("alias", "do_record_alias", s.AliasIn, "通称の記載・削除"),
    ("individual-number", "do_set_individual_number", s.IndividualNumberIn, "個人番号の記載・変更・修正"),
    ("resident-code", "do_set_resident_code", s.ResidentCodeIn, "住民票コードの記載・変更・修正"),
    ("naturalization", "do_naturalize", s.NaturalizationIn, "帰化・国籍取得"),
    ("nationality-loss", "do_record_nationality_loss", s.NationalityLossIn, "国籍喪失"),
    ("cancellation", "do_cancel_change", s.CancellationIn, "異動の取消し"),
]


def _payload_dict(payload) -> dict:
    return payload.model_dump(exclude_unset=True, mode="json")


def _change_endpoint(action_name: str, schema):
    def endpoint(request: HttpRequest, payload: schema):
        action = getattr(actions, action_name)
        change = action(_payload_dict(payload), actor=actor_for(request))
        return Status(201, queries.change_dict(change))

    endpoint.__name__ = action_name
    return endpoint


for _path, _action, _schema, _summary in CHANGE_ENDPOINTS:
    router.add_api_operation(f"changes/{_path}", ["POST"], _change_endpoint(_action, _schema),
                             response={201: s.ChangeOut}, exclude_unset=True, summary=_summary, tags=["異動"])


@router.get("changes", tags=["異動"], response=list[s.ChangeOut], exclude_unset=True, summary="異動の一覧（仮登録一覧・個人/世帯の異動一覧）")
def list_changes(request, status: str | None = None, addressee_number: str | None = None,
                 household_number: str | None = None, limit: int = 200):
    return queries.list_changes(actor=actor_for(request), status=status, addressee_number=addressee_number,
                                household_number=household_number, limit=min(max(limit, 1), 1000))


@router.get("changes/{int:change_id}", tags=["異動"], response=s.ChangeOut, exclude_unset=True, summary="異動の内容")
def get_change(request, change_id: int):
    return queries.get_change(change_id, actor=actor_for(request))


@router.put("changes/{int:change_id}", tags=["異動"], response=s.ChangeOut, exclude_unset=True, summary="仮登録の修正")
def update_draft(request, change_id: int, payload: s.DraftUpdateIn):
    params = dict(payload.params)
    if payload.expected_version is not None:
        params["expected_version"] = payload.expected_version
    change = actions.do_update_draft(change_id, params, actor=actor_for(request))
    return queries.change_dict(change)


@router.post("changes/{int:change_id}/approve", tags=["異動"], response=s.ChangeOut, exclude_unset=True,
             summary="本登録（審査・決裁）")
def approve_change(request, change_id: int):
    change = actions.do_approve_change(change_id, actor=actor_for(request))
    return queries.change_dict(change)


@router.post("changes/approve", tags=["異動"], response=s.ApproveManyOut, exclude_unset=True,
             summary="一括本登録（1件ずつ処理し、結果を返す）")
def approve_changes(request, payload: s.ApproveManyIn):
    results = []
    for change_id in payload.change_ids[:500]:
        try:
            change = actions.do_approve_change(change_id, actor=actor_for(request))
            results.append({"id": change_id, "ok": True, "status": change.status})
        except RuleViolation as refusal:
            results.append({"id": change_id, "ok": False, "code": refusal.code, "message": refusal.message})
    return {"results": results, "approved": sum(r["ok"] for r in results)}


@router.post("changes/{int:change_id}/discard", tags=["異動"], response=s.ChangeOut, exclude_unset=True, summary="仮登録の破棄")
def discard_change(request, change_id: int, payload: s.DiscardIn):
    change = actions.do_discard_change(change_id, actor=actor_for(request), reason=payload.reason or "")
    return queries.change_dict(change)


@router.get("residents/{addressee_number}", tags=["住民票"], response=s.RecordOut, exclude_unset=True,
            summary="現在の住民票（除票を含む）")
def get_record(request, addressee_number: str, show_individual_number: bool = False, reason: str = ""):
    return queries.get_record(addressee_number, actor=actor_for(request, reason),
                              show_individual_number=show_individual_number)


@router.get("residents/{addressee_number}/as-of/{on}", tags=["住民票"], response=s.RecordAsOfOut, exclude_unset=True,
            summary="指定日時点の住民票")
def get_record_as_of(request, addressee_number: str, on: s.Day, basis: str = queries.EFFECTIVE,
                     show_individual_number: bool = False, reason: str = ""):
    return queries.get_record_as_of(addressee_number, on, actor=actor_for(request, reason), basis=basis,
                                    show_individual_number=show_individual_number)


@router.get("residents/{addressee_number}/history", tags=["住民票"], response=list[s.HistoryEntryOut],
            exclude_unset=True, summary="異動履歴（全スナップショット）")
def get_history(request, addressee_number: str, show_individual_number: bool = False, reason: str = ""):
    return queries.get_history(addressee_number, actor=actor_for(request, reason),
                               show_individual_number=show_individual_number)


class HouseholdQuery(s.In):
    on: s.Day | None = None
    basis: str = queries.EFFECTIVE
    show_individual_number: bool = False
    reason: str = ""


@router.get("households/{household_number}", tags=["世帯"], response=s.HouseholdOut, exclude_unset=True,
            summary="世帯（世帯員を並び順で）。on で指定日時点")
def get_household(request, household_number: str, q: Query[HouseholdQuery]):
    return queries.get_household(household_number, actor=actor_for(request, q.reason), on=q.on, basis=q.basis,
                                 show_individual_number=q.show_individual_number)
