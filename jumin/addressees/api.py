"""住登外宛名 endpoints (共通機能 §2.3: 付番, 基本4情報等の更新, 使用停止, 照会). Parsing only: rights, rules,
transactions, the 支援措置 guard and the log are in actions/queries. Other business systems call the same
endpoints with their own token (the linkage issue adds OAuth 2.0 client credentials per 業務)."""

from ninja import Query, Router, Status

from jumin.addressees import actions, queries
from jumin.addressees import schemas as s
from jumin.core.http import actor_for

router = Router()
TAGS = ["住登外宛名"]


@router.post("addressees", tags=TAGS, response={201: s.NonResidentOut},
             summary="住登外者の登録（付番: 住民・除票と照合し、住民記録と同じ系列の宛名番号を付ける）")
def register(request, body: s.NonResidentRegisterIn):
    data = body.model_dump(exclude_unset=True)
    business, ex_officio, link = data.pop("business"), data.pop("ex_officio", False), data.pop("link_removed", None)
    record = actions.do_register_non_resident(data, actor=actor_for(request), business=business,
                                              ex_officio=ex_officio, link_removed=link)
    return Status(201, queries.record_dict(record))


@router.get("addressees/candidates", tags=TAGS, response=s.NonResidentCandidatesOut, exclude_unset=True,
            summary="住登外者宛名基本情報照会（基本4情報で住民・除票・住登外者を一度に検索。完全一致・前方一致・部分一致）")
def candidates(request, q: Query[s.NonResidentCandidatesQuery]):
    params = q.model_dump(exclude={"business", "limit", "reason"}, exclude_none=True)
    return queries.find_candidates(params, actor=actor_for(request, q.reason), business=q.business,
                                   limit=min(max(q.limit, 1), queries.CANDIDATE_LIMIT))


@router.get("addressees/merges", tags=TAGS, response=list[s.MergeOut],
            summary="名寄せの一覧（新しい順。status=proposed で審査待ち）")
def merges(request, status: str | None = None, limit: int = 100):
    return queries.list_merges(actor=actor_for(request), status=status, limit=min(max(limit, 1), 500))


@router.post("addressees/merges", tags=TAGS, response={201: s.MergeOut},
             summary="名寄せの提案（住登外者を別の住登外者か住民記録の方と同じ方とする。審査者の決定まで何も変わらない）")
def propose_merge(request, body: s.MergeProposeIn):
    proposal = actions.do_propose_merge(body.source, body.target, actor=actor_for(request), reason=body.reason)
    return Status(201, queries.merge_dict(proposal))


@router.post("addressees/merges/{merge_id}/decision", tags=TAGS, response=s.MergeOut,
             summary="名寄せの決定（提案者以外の審査者。approve=false で却下）")
def decide_merge(request, merge_id: int, body: s.MergeDecisionIn):
    proposal = actions.do_decide_merge(merge_id, approve=body.approve, actor=actor_for(request), reason=body.reason,
                                       version=body.version)
    return queries.merge_dict(proposal)


@router.get("addressees/{addressee_number}", tags=TAGS, response=s.NonResidentOut,
            summary="住登外者の照会（現在の記録と全履歴。個人番号は show_individual_number=true で、権限のある方だけ）")
def detail(request, addressee_number: str, show_individual_number: bool = False):
    return queries.get_non_resident(addressee_number, actor=actor_for(request),
                                    show_individual_number=show_individual_number)


@router.post("addressees/{addressee_number}/changes", tags=TAGS, response=s.NonResidentOut,
             summary="住登外者の基本4情報等の変更（送った項目だけを変える。版が違えば 409）")
def change(request, addressee_number: str, body: s.NonResidentChangeIn):
    record = actions.do_change_non_resident(addressee_number, body.items.model_dump(exclude_unset=True),
                                            actor=actor_for(request), version=body.version, reason=body.reason)
    return queries.record_dict(record)


@router.post("addressees/{addressee_number}/retirement", tags=TAGS, response=s.NonResidentOut,
             summary="住登外者の使用停止（宛名番号は再使用しない。履歴は残る）")
def retire(request, addressee_number: str, body: s.NonResidentRetireIn):
    record = actions.do_retire_non_resident(addressee_number, actor=actor_for(request), reason=body.reason,
                                            version=body.version)
    return queries.record_dict(record)


@router.post("addressees/{addressee_number}/unmerge", tags=TAGS, response=s.NonResidentOut,
             summary="名寄せの解除（名寄せ前の記録に戻す。履歴は残る）")
def unmerge(request, addressee_number: str, body: s.UnmergeIn):
    record = actions.do_unmerge(addressee_number, actor=actor_for(request), reason=body.reason)
    return queries.record_dict(record)


INTEGRATED_TAGS = ["団体内統合宛名"]


@router.post("integrated", tags=INTEGRATED_TAGS, response={200: s.IntegratedOut, 201: s.IntegratedOut},
             summary="団体内統合宛名番号の付番（個人番号のある方に。同じ個人番号の記録があればそれを返す: 200）")
def assign_integrated(request, body: s.IntegratedAssignIn):
    record, created = actions.do_assign_integrated_number(body.addressee_number, actor=actor_for(request),
                                                          business=body.business, purpose=body.purpose)
    return Status(201 if created else 200, {**queries.integrated_dict(record), "created": created})


@router.post("integrated/lookup", tags=INTEGRATED_TAGS, response=s.IntegratedOut,
             summary="個人番号による団体内統合宛名の照会（利用目的を記録。個人番号は URL に載せない）")
def lookup_integrated(request, body: s.IntegratedLookupIn):
    return queries.find_integrated(body.individual_number, actor=actor_for(request), purpose=body.purpose)
