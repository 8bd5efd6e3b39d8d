"""EUC state changes (platform.md §6): a run (the file, its EucRun row and subjects, the operation log), its
approval by a second person, its download, and the department's saved queries. Each in one transaction on the
default database; the read behind a run happens before, in the read-only snapshot (`reading.snapshot`).
"""

from __future__ import annotations

import os
import secrets
import time
from contextlib import closing
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, logged_refusals, require_permission
from jumin.core import dictionary
from jumin.core.db import insert_rows
from jumin.core.errors import NotFound, PermissionDenied, RuleViolation
from jumin.core.reference import sha256_of
from jumin.euc import models as m
from jumin.euc import outputs, reading, rules
from jumin.euc.queries import (_find_run, _storable, has_individual_number, left_out_list,
                               prepare, record_failure, run_dir)

SUBJECT_BATCH = 10_000


def _file_name(dataset: str, output: str, now) -> str:
    label = rules.DATASET_NAMES.get(dataset, dataset)
    return f"EUC_{label}_{timezone.localtime(now):%Y%m%d_%H%M%S}.{outputs.EXTENSIONS[output]}"


def _write(output: str, path: Path, compiled, title: str, meta: str):
    """Write the output file. The rows come from a server-side cursor: a writer that stops early (a refusal such
    as too many rows for paper) closes it here, inside the read snapshot — left to the garbage collector, the
    cursor would be closed after the snapshot's savepoint is gone, and the caller's transaction would abort."""
    if output == "pdf_labels":
        at = compiled.label_fields
        stream = ((row[at["postcode"]], row[at["address"]], row[at["address_supplement"]], row[at["name"]])
                  for row in _persons_seen(compiled))
    else:
        stream = (compiled.cells(row) for row in _persons_seen(compiled))
    with closing(stream) as rows:
        return _write_rows(output, path, compiled, rows, title, meta)


def _write_rows(output: str, path: Path, compiled, rows, title: str, meta: str):
    header = compiled.header
    if output == "csv":
        return outputs.write_csv_file(path, header, rows)
    if output == "csv_sjis":
        return outputs.write_sjis_file(path, header, rows)
    if output == "xlsx":
        return outputs.write_xlsx_file(path, header, rows, title=title)
    if output == "pdf_list":
        numeric = [c.info.type in ("integer", "number") for c in compiled.columns] + ([True] if compiled.counting else [])
        return outputs.write_pdf_list(path, header, rows, title=title, meta=meta, numeric=numeric)
    return outputs.write_pdf_labels(path, rows, title=title)


def _persons_seen(compiled):
    """The rows, noting each row's 宛名番号 on the compiled query as they go by (the file's subjects)."""
    seen = compiled.seen = {}
    for row in compiled.rows():
        for number in compiled.persons(row):
            seen[number] = None
        yield row


def _purge_expired() -> None:
    """Files past the municipality's retention are removed (the run's record stays, with its digest)."""
    from jumin.euc.queries import expired_runs

    for run in expired_runs()[:100]:
        try:
            os.unlink(run.file_path)
        except FileNotFoundError:
            pass
        m.EucRun.objects.filter(pk=run.pk).update(file_path="")


def do_run_euc(query: dict, output: str, *, actor: Actor, saved_query_id: int | None = None) -> m.EucRun:
    """Run a query to a file. The read is one snapshot on the EUC connection (read-only, statement timeout); the file
    is written while the rows stream by (no row cap); then one transaction writes the EucRun (query, rows, SHA-256,
    status), its subjects (every 宛名番号 in the file, bulk-inserted) and the operation log. An output with more
    rows than the municipality's threshold, or with 個人番号, waits for an approver (status awaiting_approval).
    Refusals write nothing but their log row; a timeout is kept as a failed run."""
    function = "euc.run"
    require_permission(actor, perms.EXTRACT_DATA, function)
    started = time.monotonic()
    config = m.current_settings()
    detail = {"query": _storable(query), "output": str(output)[:20]}
    with logged_refusals(actor, function, detail=detail):
        rules.check_output(output)
        parsed = rules.parse_query(query)
    now = timezone.now()
    partial = run_dir() / f".part-{secrets.token_hex(8)}.{outputs.EXTENSIONS[output]}"
    try:
        with logged_refusals(actor, function, detail=detail):
            with reading.snapshot(config.statement_timeout_seconds) as alias:
                checked, offered, compiled = prepare(parsed, actor=actor, using=alias, labels=output == "pdf_labels")
                title = rules.DATASET_NAMES[checked.dataset] + ("（集計）" if compiled.counting else "")
                meta = f"{timezone.localtime(now):%Y-%m-%d %H:%M} 抽出 {actor.username}"
                written = _write(output, partial, compiled, title, meta)
                numbers = list(getattr(compiled, "seen", {}))
    except reading.QueryTimeout as refusal:
        partial.unlink(missing_ok=True)
        record_failure(actor, function, m.RUN, query, output, refusal, started)
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    individual_number = has_individual_number(compiled)
    reason = rules.approval_reason(written.rows, config.approval_rows, individual_number)
    digest, size = sha256_of(partial), partial.stat().st_size
    try:
        with transaction.atomic():
            run = m.EucRun.objects.create(
                kind=m.RUN, at=now, user=actor.user, username=actor.username, role=actor.role,
                department=getattr(actor.user, "department", "") or "", terminal=actor.terminal[:50],
                dataset=checked.dataset, query=checked.as_dict(), saved_query_id=saved_query_id, output=output,
                rows=written.rows, columns=compiled.header, left_out=left_out_list(offered),
                individual_number=individual_number,
                include_protected=dictionary.may_include_protected(actor, checked.include_protected),
                status=m.AWAITING_APPROVAL if reason else m.READY, needs_approval_reason=reason,
                file_name=_file_name(checked.dataset, output, now), size=size, sha256=digest,
                conversion_report=written.report, sheets=written.sheets,
                duration_ms=int((time.monotonic() - started) * 1000))
            final = run_dir() / f"{run.pk}-{secrets.token_hex(8)}.{outputs.EXTENSIONS[output]}"
            run.file_path = str(final)
            m.EucRun.objects.filter(pk=run.pk).update(file_path=run.file_path)
            for start in range(0, len(numbers), SUBJECT_BATCH):
                insert_rows(m.EucRunSubject, [{"run": run.pk, "addressee_number": n}
                                              for n in numbers[start:start + SUBJECT_BATCH]])
            log_operation(actor, function, detail={"run": run.pk, "dataset": checked.dataset, "output": output,
                                                   "rows": written.rows, "persons": len(numbers), "sha256": digest,
                                                   "status": run.status})
            os.chmod(partial, 0o600)
            os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _purge_expired()
    return run


def _locked_run(run_id: int, actor: Actor, function: str) -> m.EucRun:
    run = m.EucRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        refusal = NotFound(f"EUC の実行 {run_id} は見つかりません。", field="run_id")
        log_refusal(actor, function, message=refusal.message, detail={"run": run_id})
        raise refusal
    return run


def do_approve_euc_run(run_id: int, *, actor: Actor) -> m.EucRun:
    """Four eyes: an approver (APPROVE_EXTRACT) who is not the requester lets an output that needs approval leave."""
    function = "euc.approve"
    require_permission(actor, perms.APPROVE_EXTRACT, function)
    with transaction.atomic():
        run = _locked_run(run_id, actor, function)
        refusal = None
        if run.user_id == getattr(actor.user, "pk", None):
            refusal = PermissionDenied("自分が抽出した出力は承認できません。ほかの承認者に依頼してください。",
                                       code="self_approval")
        elif run.kind != m.RUN or run.status != m.AWAITING_APPROVAL:
            refusal = RuleViolation(f"この実行は承認待ちではありません（状態: {run.get_status_display()}）。",
                                    code="not_awaiting")
        if refusal is not None:
            transaction.set_rollback(True)
        else:
            run.status, run.approver, run.approved_at = m.APPROVED, actor.user, timezone.now()
            run.save(update_fields=["status", "approver", "approved_at"])
            log_operation(actor, function, detail={"run": run.pk, "requester": run.username, "rows": run.rows,
                                                   "reason": run.needs_approval_reason})
    if refusal is not None:
        log_refusal(actor, function, message=refusal.message, detail={"run": run_id})
        raise refusal
    return run


def record_download(run: m.EucRun, *, actor: Actor) -> None:
    """A download: counted on the run (the first one marks it downloaded) and logged."""
    with transaction.atomic():
        locked = m.EucRun.objects.select_for_update().get(pk=run.pk)
        locked.downloads += 1
        if locked.downloaded_at is None:
            locked.downloaded_at = timezone.now()
        locked.status = m.DOWNLOADED
        locked.save(update_fields=["downloads", "downloaded_at", "status"])
        log_operation(actor, "euc.download", detail={"run": run.pk, "sha256": run.sha256, "rows": run.rows,
                                                      "download": locked.downloads})


def do_download_euc_run(run_id: int, *, actor: Actor):
    """The run's file, to the person who ran it, once it may leave: an output that needs approval (large, or with
    個人番号) is refused until an approver other than the requester has approved it. The file is checked against
    the SHA-256 recorded at the run, so what leaves is what was logged."""
    from django.http import FileResponse

    from jumin.core.csvfile import attachment

    function = "euc.download"
    require_permission(actor, perms.EXTRACT_DATA, function)
    run = _find_run(run_id, actor, function)

    def refuse(refusal: RuleViolation):
        log_refusal(actor, function, message=refusal.message, detail={"run": run.pk})
        raise refusal

    if run.kind != m.RUN or run.user_id != getattr(actor.user, "pk", None):
        refuse(PermissionDenied("この出力ファイルは、抽出した本人だけがダウンロードできます。", code="forbidden"))
    if run.status == m.AWAITING_APPROVAL:
        refuse(PermissionDenied(f"この出力は承認者の承認が必要です（{run.needs_approval_reason}）。承認されるまでダウンロードできません。",
                                code="approval_required"))
    if run.status not in (m.READY, m.APPROVED, m.DOWNLOADED):
        refuse(RuleViolation("この実行には出力ファイルがありません（失敗した実行です）。", code="no_file"))
    path = Path(run.file_path)
    if not run.file_path or not path.exists():
        refuse(NotFound("出力ファイルは保存期間を過ぎたため削除されました。もう一度抽出してください。", code="expired"))
    if sha256_of(path) != run.sha256:
        refuse(RuleViolation("出力ファイルが記録と一致しません（改変または破損）。システム管理者に連絡してください。",
                             code="digest_mismatch"))
    record_download(run, actor=actor)
    response = FileResponse(open(path, "rb"), content_type=outputs.CONTENT_TYPES[run.output])
    response["Content-Disposition"] = attachment(run.file_name, f"euc-{run.pk}.{outputs.EXTENSIONS[run.output]}")
    response["X-Jumin-Sha256"] = run.sha256
    return response


def do_save_euc_query(name: str, query: dict, *, actor: Actor) -> m.SavedQuery:
    """Keep a query for the actor's department under a name (the same name replaces it, version + 1). Checked
    like a run: the shape, and every item against what the actor may extract; parameters need a default value."""
    from jumin.euc.queries import catalogue

    function = "euc.query.save"
    require_permission(actor, perms.EXTRACT_DATA, function)
    department = getattr(actor.user, "department", "") or ""
    with logged_refusals(actor, function, detail={"name": str(name)[:100], "query": _storable(query)}):
        name = (name or "").strip() if isinstance(name, str) else ""
        if not name or len(name) > 100:
            raise RuleViolation("名前は1〜100文字で入力してください。", field="name", code="invalid")
        parsed = rules.parse_query(query)
        offered = catalogue.offer(parsed.dataset, actor, individual_number=parsed.include_individual_number,
                                  protected=parsed.include_protected,
                                  areas=catalogue.area_table() if _needs_areas(parsed) else None)
        rules.check_items(parsed, offered.lookup(), offered.refused())
    with transaction.atomic():
        saved = m.SavedQuery.objects.select_for_update().filter(department=department, name=name).first()
        now = timezone.now()
        if saved is None:
            saved = m.SavedQuery.objects.create(department=department, name=name, query=query, created_by=actor.user,
                                                updated_by=actor.user, created_at=now, updated_at=now)
        else:
            saved.query, saved.updated_by, saved.updated_at, saved.version = query, actor.user, now, saved.version + 1
            saved.save(update_fields=["query", "updated_by", "updated_at", "version"])
        log_operation(actor, function, detail={"query_id": saved.pk, "name": name, "department": department,
                                               "version": saved.version})
    return saved


def _needs_areas(parsed) -> bool:
    from jumin.euc.queries import _uses_areas

    return _uses_areas(parsed)


def do_delete_euc_query(query_id: int, *, actor: Actor) -> None:
    function = "euc.query.delete"
    require_permission(actor, perms.EXTRACT_DATA, function)
    department = getattr(actor.user, "department", "") or ""
    with transaction.atomic():
        saved = m.SavedQuery.objects.select_for_update().filter(pk=query_id, department=department).first()
        if saved is not None:
            saved.runs.update(saved_query=None)
            saved.delete()
            log_operation(actor, function, detail={"query_id": query_id, "name": saved.name})
    if saved is None:
        refusal = NotFound(f"保存した抽出条件 {query_id} は見つかりません（ほかの所属の条件は消せません）。", field="query_id")
        log_refusal(actor, function, message=refusal.message, detail={"query_id": query_id})
        raise refusal
