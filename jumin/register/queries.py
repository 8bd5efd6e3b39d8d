"""Reads of the register. Each one checks the reader's right and writes the operation log.

"The record as of date D" is a query over the history snapshots (design.md), in two senses:
- basis="effective": the legal state on D — the latest snapshot whose 異動日 is on or before D
  (a cancellation carries the 異動日 of what it cancels, so a cancelled change disappears from every D);
- basis="recorded": exactly what the register showed at the end of day D — the latest snapshot recorded
  by then.
Drafts (仮登録) never appear here: they have no snapshot until approved (standard-spec §3.1).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, require_permission
from jumin.core.errors import NotFound, RuleViolation
from jumin.core.wareki import format_seireki, format_wareki
from jumin.register import choices as c
from jumin.register.models import ITEM_FIELDS, Change, ChangeSubject, Resident, ResidentHistory

MASK = "************"
EFFECTIVE = "effective"
RECORDED = "recorded"



def display_date(value: date | None, text: str = "", *, seireki: bool = False) -> str:
    """和暦 for screens and certificates; 西暦 for foreign residents' 生年月日 (standard-spec §2.4)."""
    if text:
        return text
    if value is None:
        return ""
    return format_seireki(value) if seireki else format_wareki(value)


def record_dict(record, *, show_individual_number: bool) -> dict:
    """All items of a record or snapshot; 個人番号 masked unless shown on purpose."""
    out = {}
    for name in ITEM_FIELDS:
        value = getattr(record, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    if out["individual_number"] and not show_individual_number:
        out["individual_number"] = MASK
    foreign = record.resident_type == c.FOREIGN
    out["display"] = {
        "birth_date": display_date(record.birth_date, record.birth_date_text, seireki=foreign),
        "became_resident_on": display_date(record.became_resident_on, record.became_resident_on_text),
        "address_since": display_date(record.address_since, record.address_since_text),
        "removed_on": display_date(record.removed_on, record.removed_on_text),
        "sex": record.get_sex_display(),
        "status": record.get_status_display(),
        "resident_type": record.get_resident_type_display(),
        "removal_reason": record.get_removal_reason_display(),
    }
    return out


def _snapshot_dict(s: ResidentHistory, *, show_individual_number: bool) -> dict:
    out = record_dict(s, show_individual_number=show_individual_number)
    out.update({
        "history_number": s.history_number, "change_id": s.change_id, "reason_code": s.reason_code,
        "reason": s.get_reason_code_display(), "effective_on": s.effective_on.isoformat(),
        "effective_on_display": display_date(s.effective_on, s.effective_on_text),
        "processed_on": s.processed_on.isoformat(), "recorded_at": s.recorded_at.isoformat(),
    })
    return out


def _check_show(actor: Actor, show_individual_number: bool, function: str, numbers) -> None:
    if show_individual_number:
        require_permission(actor, perms.VIEW_INDIVIDUAL_NUMBER, function, numbers)


def _check_basis(actor: Actor, basis, function: str, numbers) -> None:
    """An unknown "as of" basis is refused (and logged), never read as one of the two (issue #15 item 8)."""
    from jumin.register.rules import check_basis

    try:
        check_basis(basis)
    except RuleViolation as refusal:
        log_refusal(actor, function, numbers, message=refusal.message)
        raise


def _guard_view(actor: Actor, addressee_number: str, function: str) -> list:
    """支援措置・抑止 (jumin.restrictions, the one enforcement module): refuses neutrally or returns alerts."""
    from jumin.restrictions.queries import guard_view

    return [{"code": a.code, "message": a.message} for a in guard_view(actor, addressee_number, function=function)]


def _find(addressee_number: str) -> Resident:
    resident = Resident.objects.filter(addressee_number=addressee_number).first()
    if resident is None:
        raise NotFound(f"宛名番号 {addressee_number} の住民票は見つかりません。", field="addressee_number")
    return resident


def pending_changes(numbers) -> dict[str, list[int]]:
    rows = ChangeSubject.objects.filter(change__status=c.DRAFT, addressee_number__in=list(numbers)) \
        .values_list("addressee_number", "change_id")
    out: dict[str, list[int]] = {}
    for number, change_id in rows:
        out.setdefault(number, []).append(change_id)
    return out


def get_record(addressee_number: str, *, actor: Actor, show_individual_number: bool = False) -> dict:
    """The current 住民票 (or 除票) of one person."""
    function = "record.view"
    require_permission(actor, perms.VIEW_RECORD, function, [addressee_number])
    _check_show(actor, show_individual_number, function, [addressee_number])
    alerts = _guard_view(actor, addressee_number, function)
    try:
        resident = _find(addressee_number)
    except NotFound as refusal:
        log_refusal(actor, function, [addressee_number], message=refusal.message)
        raise
    out = record_dict(resident, show_individual_number=show_individual_number)
    out.update({"history_number": resident.history_number, "version": resident.version,
                "household_version": resident.household.version,
                "pending_change_ids": pending_changes([addressee_number]).get(addressee_number, []),
                "alerts": alerts})
    log_operation(actor, function, [addressee_number],
                  individual_number_shown=bool(show_individual_number and resident.individual_number))
    return out


def snapshot_as_of(addressee_number: str, on: date, basis: str = EFFECTIVE) -> ResidentHistory | None:
    """The snapshot in force on `on`.

    By 異動日, each snapshot counts from the latest 異動日 seen so far in history order: a full snapshot
    written by a back-dated change (e.g. a 誤記修正 dated before an earlier-recorded 転居) also carries the
    later change's items, so it may not count from before that later change. A person has few snapshots,
    so they are read and folded here rather than kept in a column.
    """
    rows = ResidentHistory.objects.filter(addressee_number=addressee_number)
    if basis == RECORDED:
        end = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
        return rows.filter(recorded_at__lt=end).order_by("-history_number").first()
    if basis != EFFECTIVE:
        raise RuleViolation("基準は effective（異動日）か recorded（記録日）を指定してください。", field="basis")
    from jumin.register.rules import in_force

    return in_force(rows.order_by("history_number"), on)


def get_record_as_of(addressee_number: str, on: date, *, actor: Actor, basis: str = EFFECTIVE,
                     show_individual_number: bool = False) -> dict:
    function = "record.view_as_of"
    require_permission(actor, perms.VIEW_RECORD, function, [addressee_number])
    _check_basis(actor, basis, function, [addressee_number])
    _check_show(actor, show_individual_number, function, [addressee_number])
    alerts = _guard_view(actor, addressee_number, function)
    snapshot = snapshot_as_of(addressee_number, on, basis)
    if snapshot is None:
        refusal = NotFound(f"宛名番号 {addressee_number} の {format_wareki(on)} 時点の記録はありません。",
                           field="addressee_number")
        log_refusal(actor, function, [addressee_number], message=refusal.message)
        raise refusal
    log_operation(actor, function, [addressee_number], detail={"on": on.isoformat(), "basis": basis},
                  individual_number_shown=bool(show_individual_number and snapshot.individual_number))
    out = _snapshot_dict(snapshot, show_individual_number=show_individual_number)
    out.update({"as_of": on.isoformat(), "basis": basis, "alerts": alerts})
    return out


def changed_items(previous: dict | None, current: dict) -> list[dict]:
    """Items that differ between two consecutive snapshots (for the history view's before/after)."""
    out = []
    for name in ITEM_FIELDS:
        old = previous.get(name) if previous else None
        new = current.get(name)
        if (old or None) != (new or None):
            out.append({"item": name, "before": old, "after": new})
    return out


def get_history(addressee_number: str, *, actor: Actor, show_individual_number: bool = False) -> list[dict]:
    """Every snapshot of one person, oldest first, with what each change altered."""
    function = "record.history"
    require_permission(actor, perms.VIEW_RECORD, function, [addressee_number])
    _check_show(actor, show_individual_number, function, [addressee_number])
    _guard_view(actor, addressee_number, function)
    snapshots = list(ResidentHistory.objects.filter(addressee_number=addressee_number).order_by("history_number"))
    if not snapshots:
        refusal = NotFound(f"宛名番号 {addressee_number} の住民票は見つかりません。", field="addressee_number")
        log_refusal(actor, function, [addressee_number], message=refusal.message)
        raise refusal
    kinds = dict(Change.objects.filter(pk__in={s.change_id for s in snapshots}).values_list("pk", "kind"))
    out, previous = [], None
    for s in snapshots:
        current = _snapshot_dict(s, show_individual_number=show_individual_number)
        current["change_kind"] = kinds.get(s.change_id)
        current["changed_items"] = changed_items(previous, current)
        out.append(current)
        previous = current
    log_operation(actor, function, [addressee_number], individual_number_shown=bool(
        show_individual_number and any(s.individual_number for s in snapshots)))
    return out


def get_household(household_number: str, *, actor: Actor, on: date | None = None, basis: str = EFFECTIVE,
                  show_individual_number: bool = False) -> dict:
    """A household's living members in household order (standard-spec §4.3), now or as of a date."""
    function = "household.view"
    require_permission(actor, perms.VIEW_RECORD, function)
    _check_basis(actor, basis, function, ())
    if on is None:
        members = list(Resident.objects.filter(household__household_number=household_number, status=c.RESIDENT)
                       .select_related("household").order_by("household_order", "addressee_number"))
        rows = [record_dict(m, show_individual_number=show_individual_number) | {"version": m.version}
                for m in members]
    else:
        numbers = ResidentHistory.objects.filter(household_number=household_number) \
            .values_list("addressee_number", flat=True).distinct()
        members = [s for s in (snapshot_as_of(n, on, basis) for n in numbers)
                   if s is not None and s.household_number == household_number and s.status == c.RESIDENT]
        members.sort(key=lambda s: (s.household_order, s.addressee_number))
        rows = [_snapshot_dict(s, show_individual_number=show_individual_number) for s in members]
    from jumin.restrictions.queries import visible_household_rows

    rows = visible_household_rows(actor, rows, function=function)
    numbers = [r["addressee_number"] for r in rows]
    _check_show(actor, show_individual_number, function, numbers)
    if not rows:
        refusal = NotFound(f"世帯番号 {household_number} の世帯員は見つかりません。", field="household_number")
        log_refusal(actor, function, (), message=refusal.message, detail={"household_number": household_number})
        raise refusal
    log_operation(actor, function, numbers, detail={"household_number": household_number,
                                                     "on": on.isoformat() if on else None},
                  individual_number_shown=bool(show_individual_number and any(r.get("individual_number") for r in rows)))
    version = members[0].household.version if on is None else None
    return {"household_number": household_number, "as_of": on.isoformat() if on else None,
            "version": version, "members": rows}


def change_dict(change: Change) -> dict:
    """One change as the API answers it. An action that has just written the change's subjects leaves their
    宛名番号 on it as `subject_numbers`, so the answer does not read them back (issue #15 item 12)."""
    subjects = getattr(change, "subject_numbers", None)
    if subjects is None:
        subjects = [s.addressee_number for s in change.subjects.all() if s.addressee_number]
    return {
        "id": change.pk, "kind": change.kind, "kind_label": change.get_kind_display(), "status": change.status,
        "status_label": change.get_status_display(), "effective_on": change.effective_on.isoformat(),
        "effective_on_display": display_date(change.effective_on, change.effective_on_text),
        "notified_on": change.notified_on.isoformat() if change.notified_on else None,
        "processed_on": change.processed_on.isoformat() if change.processed_on else None,
        "ex_officio": change.ex_officio, "late_notification": change.late_notification, "reason": change.reason,
        "summary": change.summary, "entered_by": change.entered_by.username, "entered_at": change.entered_at.isoformat(),
        "terminal": change.terminal, "cancels": change.cancels_id, "version": change.version,
        "result": change.result, "subjects": subjects,
    }


def list_changes(*, actor: Actor, status: str | None = None, addressee_number: str | None = None,
                 household_number: str | None = None, limit: int = 200) -> list[dict]:
    """Changes: the 仮登録 list, or the change list of a person or a household (history order). A change that
    touches a 支援措置 person or one under a 照会抑止 is left out for a reader without VIEW_PROTECTED, as the
    person is left out of search (its summary and input carry their name and new address)."""
    from jumin.restrictions.queries import hide_changes

    function = "change.list"
    require_permission(actor, perms.VIEW_RECORD, function)
    changes = hide_changes(Change.objects.select_related("entered_by").prefetch_related("subjects").order_by("-pk"),
                           actor)
    if status:
        changes = changes.filter(status=status)
    if addressee_number:
        ids = set(ChangeSubject.objects.filter(addressee_number=addressee_number).values_list("change_id", flat=True))
        ids |= set(ResidentHistory.objects.filter(addressee_number=addressee_number).values_list("change_id", flat=True))
        changes = changes.filter(pk__in=ids)
    if household_number:
        ids = set(ChangeSubject.objects.filter(household_number=household_number).values_list("change_id", flat=True))
        ids |= set(ResidentHistory.objects.filter(household_number=household_number).values_list("change_id", flat=True))
        changes = changes.filter(pk__in=ids)
    rows = [change_dict(ch) for ch in changes[:limit]]
    numbers = [addressee_number] if addressee_number else []
    log_operation(actor, function, numbers, detail={"status": status, "household_number": household_number,
                                                     "count": len(rows)})
    return rows


def touched_by(change: Change) -> tuple[list[str], list[str]]:
    """(宛名番号, 世帯番号) a change concerns: its subjects, the persons whose records it wrote (a 転入's new
    persons), and their households."""
    subjects = list(change.subjects.all())    # prefetched by the reads that call this
    numbers = {s.addressee_number for s in subjects} | set(change.result.get("addressee_numbers") or [])
    households = {s.household_number for s in subjects}
    for number, household in ResidentHistory.objects.filter(change=change).values_list("addressee_number",
                                                                                          "household_number"):
        numbers.add(number)
        households.add(household)
    return sorted(n for n in numbers if n), sorted(h for h in households if h)


def get_change(change_id: int, *, actor: Actor) -> dict:
    """One change with its input. Refused neutrally, like the record itself, to a reader without VIEW_PROTECTED
    when it touches a 支援措置 person or one under a 照会抑止 (jumin.restrictions, the one enforcement module)."""
    from jumin.restrictions.queries import refuse_hidden

    function = "change.view"
    require_permission(actor, perms.VIEW_RECORD, function)
    change = Change.objects.select_related("entered_by").prefetch_related("subjects").filter(pk=change_id).first()
    if change is None:
        refusal = NotFound(f"異動ID {change_id} は見つかりません。", field="change_id")
        log_refusal(actor, function, (), message=refusal.message)
        raise refusal
    numbers, households = touched_by(change)
    refuse_hidden(actor, numbers, households, function=function, detail={"change_id": change.pk})
    out = change_dict(change)
    out["params"] = _redact_params(change.params)
    log_operation(actor, function, out["subjects"], change_id=change.pk)
    return out


def _redact_params(params):
    if isinstance(params, dict):
        return {k: (MASK if k == "individual_number" and v else _redact_params(v)) for k, v in params.items()}
    if isinstance(params, list):
        return [_redact_params(v) for v in params]
    return params


def _in_force_sql(table: str, persons: str = "") -> str:
    """The ids of the snapshots in force on a day (its parameter), over the history of `persons` (a condition on
    addressee_number, with its own parameters before the day's) or of everybody."""
    where = f" WHERE addressee_number IN ({persons})" if persons else ""
    return (
        f"SELECT h.id FROM {table} h JOIN ("
        f" SELECT addressee_number, MAX(history_number) AS history_number FROM ("
        f"  SELECT addressee_number, history_number,"
        f"   MAX(effective_on) OVER (PARTITION BY addressee_number ORDER BY history_number"
        f"    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS valid_from"
        f"  FROM {table}{where}) s WHERE s.valid_from <= %s GROUP BY addressee_number"
        f") f ON h.addressee_number = f.addressee_number AND h.history_number = f.history_number"
    )


def records_as_of(on: date):
    """Every person's snapshot in force on `on` (by 異動日), as one set query for lists and statistics.

    The same rule as `snapshot_as_of` (a snapshot counts from the latest 異動日 seen so far in history
    order), computed with a window function over all history rows, so EUC and the statistics read the
    register as of a date without folding person by person. Returns a ResidentHistory queryset (filter on
    `status` for residents or 除票). No log and no right check: callers (EUC, statistics) do both.
    """
    from django.db.models.expressions import RawSQL

    in_force = RawSQL(_in_force_sql(ResidentHistory._meta.db_table), [on])
    return ResidentHistory.objects.filter(id__in=in_force)


def records_as_of_parts(on: date):
    """The set of `records_as_of(on)` in two parts that never share a person, so that their UNION ALL is that set
    while reading far less: (current, history).

    `current`: the current records (Resident) of the persons with no snapshot dated after `on`. For them the
    snapshot in force is the latest (its running maximum of 異動日 is the greatest, and still ≤ `on`), and the
    current record is that snapshot — every approved change writes both in one transaction (actions.py). Read
    through an anti-join on the (宛名番号, 異動日) index.
    `history`: `records_as_of` over the history of the other persons only — those with a 異動日 after `on`: none
    today (but a 転出 entered before its day), a few thousand for last month's end — instead of the window over
    every snapshot (Sendai: 7.1 M rows, a minute; docs/performance.md).
    Same columns by name on both (RecordItems), so a caller selects the same fields from each.
    """
    from django.db.models import Exists, OuterRef
    from django.db.models.expressions import RawSQL

    table = ResidentHistory._meta.db_table
    later = ResidentHistory.objects.filter(addressee_number=OuterRef("addressee_number"), effective_on__gt=on)
    current = Resident.objects.filter(~Exists(later))
    persons = f"SELECT addressee_number FROM {table} WHERE effective_on > %s"
    history = ResidentHistory.objects.filter(id__in=RawSQL(_in_force_sql(table, persons), [on, on]))
    return current, history
