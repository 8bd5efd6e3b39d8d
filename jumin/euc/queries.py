"""EUC reads (platform.md §6): the preview, the EUC log (searchable per person), saved queries and the download.
Each checks the right, writes the operation log, and refuses in Japanese with the refusal logged.

Who may see what:
- preview and run: EXTRACT_DATA and the dataset entity's own right (`dictionary.allowed_items`);
- a run's file: only the person who ran it, and only once it is ready (or approved, when it needed approval);
- a run's record (query, rows, digest): its requester, an approver (APPROVE_EXTRACT), an auditor (VIEW_OPERATION_LOG);
- the log of every run, and the search by 宛名番号: approvers and auditors (住民記録 §10.2); others see their own.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, logged_refusals, require_permission
from jumin.core import dictionary
from jumin.core.errors import NotFound, PermissionDenied, RuleViolation
from jumin.euc import catalogue, reading, rules
from jumin.euc import models as m
from jumin.euc.compiler import compile_query

PREVIEW_ROWS = 20
PREVIEW_MAX_ROWS = 200
LIST_LIMIT = 200


# ------------------------------------------------------------------ the shared steps of a preview and a run

def _uses_areas(query: rules.Query) -> bool:
    names = set(query.items) | set(query.count_by) | {c.item for c in query.conditions()} | {n for n, _ in query.sort}
    return bool(names & {catalogue.WARD, catalogue.TOWN, catalogue.DERIVED_NAMES[catalogue.WARD],
                         catalogue.DERIVED_NAMES[catalogue.TOWN]})


def prepare(parsed: rules.Query, *, actor: Actor, using: str, labels: bool = False):
    """(checked query, offer, compiled) for a parsed query, read on `using` (inside the snapshot)."""
    areas = catalogue.area_table(using) if _uses_areas(parsed) else None
    offered = catalogue.offer(parsed.dataset, actor, individual_number=parsed.include_individual_number,
                              protected=parsed.include_protected, areas=areas)
    checked = rules.check_items(parsed, offered.lookup(), offered.refused())
    return checked, offered, compile_query(checked, offered, actor=actor, using=using, areas=areas, labels=labels)


def left_out_list(offered: catalogue.Offer) -> list[list[str]]:
    return [[ja, reason] for _name, ja, reason, _flag in offered.left_out]


def has_individual_number(compiled) -> bool:
    return any(c.item is not None and c.item.sensitivity == dictionary.INDIVIDUAL_NUMBER for c in compiled.columns)


def record_failure(actor: Actor, function: str, kind: str, query, output: str, refusal: RuleViolation,
                   started: float) -> m.EucRun:
    """A run cancelled by the timeout: kept in the EUC log as failed (its query, who, when), and logged."""
    run = m.EucRun.objects.create(
        kind=kind, user=actor.user, username=actor.username, role=actor.role,
        department=getattr(actor.user, "department", "") or "", terminal=actor.terminal[:50],
        dataset=str(query.get("dataset", ""))[:30] if isinstance(query, dict) else "", query=_storable(query),
        output=output or "", status=m.FAILED, failure=refusal.message[:500],
        duration_ms=int((time.monotonic() - started) * 1000))
    log_refusal(actor, function, message=refusal.message, detail={"run": run.pk, "code": refusal.code})
    return run


def _storable(query):
    """The query as sent, for the log: what the operation log keeps of a value (bounded, NUL-free)."""
    from jumin.audit.actions import _clean

    return _clean(query) if isinstance(query, dict) else {}


def json_cell(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


# ------------------------------------------------------------------ preview

def preview(query: dict, *, actor: Actor, rows: int = PREVIEW_ROWS) -> dict:
    """The first `rows` rows and the total (for count_by: the first groups and the number of groups), logged as a
    light EucRun (kind preview) with the 宛名番号 of the rows shown."""
    function = "euc.preview"
    require_permission(actor, perms.EXTRACT_DATA, function)
    started = time.monotonic()
    limit = max(1, min(int(rows), PREVIEW_MAX_ROWS))
    config = m.current_settings()
    with logged_refusals(actor, function, detail={"query": _storable(query)}):
        parsed = rules.parse_query(query)
    try:
        with logged_refusals(actor, function, detail={"query": _storable(query)}):
            with reading.snapshot(config.statement_timeout_seconds) as alias:
                checked, offered, compiled = prepare(parsed, actor=actor, using=alias)
                if compiled.counting:
                    groups = list(compiled.queryset.values_list(*compiled.fetch))
                    total, persons = len(groups), sum(g[-1] for g in groups)
                    shown = groups[:limit]
                else:
                    total = compiled.queryset.count()
                    persons = total
                    shown = list(compiled.queryset.values_list(*compiled.fetch)[:limit])
    except reading.QueryTimeout as refusal:
        record_failure(actor, function, m.PREVIEW, query, "", refusal, started)
        raise
    numbers = list(dict.fromkeys(n for row in shown for n in compiled.persons(row)))
    run = m.EucRun.objects.create(
        kind=m.PREVIEW, user=actor.user, username=actor.username, role=actor.role,
        department=getattr(actor.user, "department", "") or "", terminal=actor.terminal[:50], dataset=checked.dataset,
        query=checked.as_dict(), rows=total, columns=[c.ja for c in compiled.columns], left_out=left_out_list(offered),
        individual_number=has_individual_number(compiled), include_protected=dictionary.may_include_protected(
            actor, checked.include_protected), status=m.PREVIEWED, duration_ms=int((time.monotonic() - started) * 1000))
    m.EucRunSubject.objects.bulk_create([m.EucRunSubject(run=run, addressee_number=n) for n in numbers])
    log_operation(actor, function, numbers, individual_number_shown=run.individual_number and bool(numbers),
                  detail={"run": run.pk, "dataset": checked.dataset, "rows": total})
    columns = [{"name": c.name, "ja": c.ja} for c in compiled.columns]
    if compiled.counting:
        columns.append({"name": "count", "ja": "件数"})
    return {"run_id": run.pk, "dataset": checked.dataset, "total": total, "persons": persons, "columns": columns,
            "rows": [[json_cell(v) for v in compiled.cells(row)] for row in shown],
            "left_out": left_out_list(offered), "query": checked.as_dict()}


# ------------------------------------------------------------------ the EUC log

def _may_audit(actor: Actor) -> bool:
    return actor.user.may(perms.APPROVE_EXTRACT) or actor.user.may(perms.VIEW_OPERATION_LOG)


def run_dict(run: m.EucRun) -> dict:
    return {
        "id": run.pk, "kind": run.kind, "at": run.at.isoformat(), "username": run.username, "role": run.role,
        "department": run.department, "terminal": run.terminal, "dataset": run.dataset,
        "dataset_label": rules.DATASET_NAMES.get(run.dataset, run.dataset), "query": run.query,
        "output": run.output, "output_label": rules.OUTPUTS.get(run.output, ""), "rows": run.rows,
        "columns": run.columns, "left_out": run.left_out, "individual_number": run.individual_number,
        "include_protected": run.include_protected, "status": run.status, "status_label": run.get_status_display(),
        "needs_approval_reason": run.needs_approval_reason,
        "approver": run.approver.username if run.approver_id else "",
        "approved_at": run.approved_at.isoformat() if run.approved_at else None,
        "downloaded_at": run.downloaded_at.isoformat() if run.downloaded_at else None, "downloads": run.downloads,
        "file_name": run.file_name, "size": run.size, "sha256": run.sha256,
        "conversion_report": run.conversion_report, "sheets": run.sheets, "failure": run.failure,
        "duration_ms": run.duration_ms, "saved_query_id": run.saved_query_id,
    }


def _find_run(run_id: int, actor: Actor, function: str) -> m.EucRun:
    run = m.EucRun.objects.select_related("approver").filter(pk=run_id).first()
    if run is None:
        refusal = NotFound(f"EUC の実行 {run_id} は見つかりません。", field="run_id")
        log_refusal(actor, function, message=refusal.message, detail={"run": run_id})
        raise refusal
    return run


def get_run(run_id: int, *, actor: Actor) -> dict:
    function = "euc.run.view"
    require_permission(actor, perms.EXTRACT_DATA if not actor.user.may(perms.VIEW_OPERATION_LOG)
                       else perms.VIEW_OPERATION_LOG, function)
    run = _find_run(run_id, actor, function)
    if run.user_id != getattr(actor.user, "pk", None) and not _may_audit(actor):
        refusal = PermissionDenied("ほかの職員の EUC の実行は、承認者・監査担当だけが見られます。", code="forbidden")
        log_refusal(actor, function, message=refusal.message, detail={"run": run.pk})
        raise refusal
    log_operation(actor, function, detail={"run": run.pk})
    out = run_dict(run)
    out["subjects"] = run.subjects.count()
    return out


def list_runs(*, actor: Actor, addressee_number: str | None = None, status: str | None = None,
              limit: int = LIST_LIMIT) -> list[dict]:
    """The EUC log, newest first: every run (approvers, auditors) or one's own; with `addressee_number`, every
    run whose output contained that person (approvers and auditors only: who extracted whom is an audit question)."""
    function = "euc.run.list"
    if not actor.user.may(perms.VIEW_OPERATION_LOG):
        require_permission(actor, perms.EXTRACT_DATA, function)
    runs = m.EucRun.objects.select_related("approver").order_by("-at", "-pk")
    if addressee_number:
        if not _may_audit(actor):
            refusal = PermissionDenied("EUC の記録を人で探せるのは、承認者・監査担当だけです。", code="forbidden")
            log_refusal(actor, function, [addressee_number], message=refusal.message)
            raise refusal
        runs = runs.filter(pk__in=m.EucRunSubject.objects.filter(addressee_number=addressee_number).values("run_id"))
    elif not _may_audit(actor):
        runs = runs.filter(user=actor.user)
    if status:
        if status not in dict(m.STATUS_CHOICES):
            refusal = RuleViolation(f"状態は {'、'.join(k for k, _ in m.STATUS_CHOICES)} のいずれかです。", field="status")
            log_refusal(actor, function, message=refusal.message)
            raise refusal
        runs = runs.filter(status=status)
    out = [run_dict(r) for r in runs[:max(1, min(limit, 1000))]]
    log_operation(actor, function, [addressee_number] if addressee_number else (),
                  detail={"status": status, "count": len(out)})
    return out


# ------------------------------------------------------------------ the file

def run_dir() -> Path:
    path = Path(settings.EUC_FILE_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path




# ------------------------------------------------------------------ saved queries

def saved_dict(saved: m.SavedQuery) -> dict:
    params = saved.query.get("params") or {}
    return {"id": saved.pk, "department": saved.department, "name": saved.name, "query": saved.query,
            "params": params, "created_by": saved.created_by.username, "created_at": saved.created_at.isoformat(),
            "updated_by": saved.updated_by.username, "updated_at": saved.updated_at.isoformat(),
            "version": saved.version}


def _department(actor: Actor) -> str:
    return getattr(actor.user, "department", "") or ""


def saved_queries(*, actor: Actor) -> list[dict]:
    """The saved queries of the actor's department (所属), by name."""
    function = "euc.query.list"
    require_permission(actor, perms.EXTRACT_DATA, function)
    rows = m.SavedQuery.objects.filter(department=_department(actor)).select_related("created_by", "updated_by") \
        .order_by("name")
    out = [saved_dict(s) for s in rows]
    log_operation(actor, function, detail={"department": _department(actor), "count": len(out)})
    return out


def saved_query(query_id: int, *, actor: Actor) -> dict:
    function = "euc.query.view"
    require_permission(actor, perms.EXTRACT_DATA, function)
    saved = m.SavedQuery.objects.select_related("created_by", "updated_by") \
        .filter(pk=query_id, department=_department(actor)).first()
    if saved is None:
        refusal = NotFound(f"保存した抽出条件 {query_id} は見つかりません（ほかの所属の条件は開けません）。", field="query_id")
        log_refusal(actor, function, message=refusal.message, detail={"query_id": query_id})
        raise refusal
    log_operation(actor, function, detail={"query_id": saved.pk})
    return saved_dict(saved)


def expired_runs(now: datetime.datetime | None = None):
    """Runs whose file has passed the municipality's retention."""
    days = m.current_settings().file_retention_days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return m.EucRun.objects.filter(Q(at__lt=cutoff) & ~Q(file_path=""))
