"""EUC endpoints (issue #16 item 4: "the same query runs through POST /api/euc/run for scripts and tests").
Parsing only: rights, rules, the snapshot, the log and the files are in actions/queries."""

from ninja import Query, Router, Status

from jumin.core.http import actor_for
from jumin.euc import actions, catalogue, queries
from jumin.euc import schemas as s
from jumin.register.schemas import In, Number, Text

router = Router()
TAGS = ["EUC"]


class RunsQuery(In):
    addressee_number: Number | None = None
    status: Text(20) | None = None


@router.get("euc/datasets", tags=TAGS, response=list[s.DatasetOut], summary="抽出できるデータセットと項目")
def datasets(request):
    from jumin.accounts import rules as perms
    from jumin.audit.actions import require_permission

    actor = actor_for(request)
    require_permission(actor, perms.EXTRACT_DATA, "euc.catalogue")
    return catalogue.datasets(request.user)


@router.post("euc/preview", tags=TAGS, response=s.PreviewOut, summary="プレビュー（先頭の行と件数）")
def preview(request, payload: s.PreviewIn):
    return queries.preview(s.query_dict(payload.query), actor=actor_for(request), rows=payload.rows)


@router.post("euc/run", tags=TAGS, response={201: s.RunOut}, summary="抽出してファイルを作る（承認が必要なものは承認待ち）")
def run(request, payload: s.RunIn):
    made = actions.do_run_euc(s.query_dict(payload.query), payload.output, actor=actor_for(request),
                              saved_query_id=payload.saved_query_id)
    return Status(201, queries.run_dict(made))


@router.get("euc/runs", tags=TAGS, response=list[s.RunOut], summary="EUC の実行記録（宛名番号で、その人を含んだ実行を探す）")
def runs(request, q: Query[RunsQuery]):
    return queries.list_runs(actor=actor_for(request), addressee_number=q.addressee_number, status=q.status)


@router.get("euc/runs/{int:run_id}", tags=TAGS, response=s.RunDetailOut, summary="EUC の実行の内容")
def get_run(request, run_id: int):
    return queries.get_run(run_id, actor=actor_for(request))


@router.post("euc/runs/{int:run_id}/approve", tags=TAGS, response=s.RunOut, summary="出力の承認（抽出した本人以外の承認者）")
def approve(request, run_id: int):
    return queries.run_dict(actions.do_approve_euc_run(run_id, actor=actor_for(request)))


@router.get("euc/runs/{int:run_id}/download", tags=TAGS, summary="出力ファイルのダウンロード（抽出した本人、承認後）",
            openapi_extra=s.FILE)
def download(request, run_id: int):
    return actions.do_download_euc_run(run_id, actor=actor_for(request))


@router.get("euc/queries", tags=TAGS, response=list[s.SavedQueryOut], summary="所属の保存した抽出条件")
def saved_queries(request):
    return queries.saved_queries(actor=actor_for(request))


@router.post("euc/queries", tags=TAGS, response={201: s.SavedQueryOut}, summary="抽出条件を名前を付けて保存（同じ名前は上書き）")
def save_query(request, payload: s.SaveIn):
    saved = actions.do_save_euc_query(payload.name, s.query_dict(payload.query), actor=actor_for(request))
    return Status(201, queries.saved_dict(saved))


@router.get("euc/queries/{int:query_id}", tags=TAGS, response=s.SavedQueryOut, summary="保存した抽出条件")
def saved_query(request, query_id: int):
    return queries.saved_query(query_id, actor=actor_for(request))


@router.delete("euc/queries/{int:query_id}", tags=TAGS, response=s.DeletedOut, summary="保存した抽出条件の削除")
def delete_query(request, query_id: int):
    actions.do_delete_euc_query(query_id, actor=actor_for(request))
    return {"deleted": query_id}
