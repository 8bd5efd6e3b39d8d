"""Reads of a 住登外者: the current record with its history, and the record as of a day. Each read checks
VIEW_NON_RESIDENT and writes its operation-log row; a 支援措置 or 照会抑止 person's 住登外 record is refused to a role
without VIEW_PROTECTED with the same neutral message as a resident's (jumin.restrictions, the one enforcement
module); the 個人番号 is masked unless the role may see it and the caller asked, and its showing is logged.
"""

from __future__ import annotations

from datetime import date

from jumin.accounts import rules as perms
from jumin.addressees import rules
from jumin.addressees.actions import ITEM_NAMES
from jumin.addressees.models import NonResident, NonResidentHistory
from jumin.audit.actions import Actor, log_operation, log_refusal, refuse, require_permission
from jumin.core import businesses
from jumin.core.errors import NotFound

MASK = "************"
VIEW = "addressees.view"


def _hidden(actor: Actor, number: str) -> bool:
    from jumin.restrictions.queries import hidden_q, hides

    return hides(actor) and NonResident.objects.filter(hidden_q(), addressee_number=number).exists()


def _items(row, *, show_number: bool) -> dict:
    out = {name: getattr(row, name) for name in ITEM_NAMES}
    out["birth_date"] = out["birth_date"].isoformat() if out["birth_date"] else None
    out["notified_on"] = out["notified_on"].isoformat() if out["notified_on"] else None
    if out["individual_number"] and not show_number:
        out["individual_number"] = MASK
    out["kind_label"] = dict(rules.KIND_CHOICES).get(row.kind, row.kind)
    out["state_label"] = dict(rules.STATE_CHOICES).get(row.state, row.state)
    out["business_label"] = businesses.business_name(row.business)
    return out


def _snapshot_dict(row: NonResidentHistory, *, show_number: bool) -> dict:
    return {**_items(row, show_number=show_number), "history_number": row.history_number,
            "reason_code": row.reason_code, "reason_label": rules.REASONS.get(row.reason_code, row.reason_code),
            "effective_on": row.effective_on.isoformat(), "reason": row.reason,
            "recorded_at": row.recorded_at.isoformat(), "recorded_by": row.recorded_by}


def get_non_resident(number: str, *, actor: Actor, show_individual_number: bool = False) -> dict:
    """One 住登外者: the current items, 版, and every snapshot (newest first)."""
    number = str(number)[:10]
    require_permission(actor, perms.VIEW_NON_RESIDENT, VIEW, [number])
    if show_individual_number:
        require_permission(actor, perms.VIEW_INDIVIDUAL_NUMBER, VIEW, [number])
    record = NonResident.objects.filter(addressee_number=number).first()
    if record is None:
        refuse(actor, VIEW, NotFound(f"宛名番号 {number} の住登外者は見つかりません。", field="addressee_number"))
    if _hidden(actor, number):
        from jumin.restrictions.queries import NEUTRAL_MESSAGE, Restricted

        log_refusal(actor, VIEW, [number], message="支援措置対象者・照会抑止（照会権限なし）", detail={"guard": "hidden"})
        raise Restricted(NEUTRAL_MESSAGE)
    shown = bool(show_individual_number and record.individual_number)
    out = record_dict(record, show_individual_number=shown)
    log_operation(actor, VIEW, [number], individual_number_shown=shown)
    return out


def record_dict(record: NonResident, *, show_individual_number: bool = False) -> dict:
    """The answer for one record (current items, 版, every snapshot newest first), without a check or a log: for
    an action that has just written it, and logged that, or for `get_non_resident`."""
    history = NonResidentHistory.objects.filter(addressee_number=record.addressee_number).order_by("-history_number")
    return {**_items(record, show_number=show_individual_number), "version": record.version,
            "history_number": record.history_number,
            "history": [_snapshot_dict(h, show_number=show_individual_number) for h in history]}


def snapshot_as_of(number: str, on: date) -> NonResidentHistory | None:
    """The snapshot in force on `on` — the register's rule (a snapshot counts from the latest 異動日 seen so far in
    history order; register.queries.snapshot_as_of). No right check or log: callers do both."""
    from jumin.register.rules import in_force

    return in_force(NonResidentHistory.objects.filter(addressee_number=number).order_by("history_number"), on)
