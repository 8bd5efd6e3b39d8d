"""差戻し: an approver sends a 仮登録 back to the counter with a reason (standard-spec §3.1: a draft is
checked and either registered or returned for correction). The draft stays a draft — editable by
`do_update_draft`, still blocking a second change of the same persons — and carries the return in
`Change.result["returned"]` (a draft's result is otherwise empty; 本登録 replaces it with the applied result).
The return counts as open while the draft's version is the one the return gave it: a correction bumps the
version, so the draft list then shows it as corrected."""

import unicodedata

from django.db import transaction
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal
from jumin.core.errors import ConflictError, NotFound, RuleViolation
from jumin.register import choices as c
from jumin.register.models import Change

REASON_MAX = 200


def check_return_reason(reason: str) -> str:
    """The reason the clerk will read: required, one short text, no control characters."""
    text = (reason or "").strip()
    if not text:
        raise RuleViolation("差戻しの理由を入力してください。", field="reason", code="required")
    if len(text) > REASON_MAX:
        raise RuleViolation(f"差戻しの理由は{REASON_MAX}文字以内で入力してください。", field="reason")
    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n"), None)
    if bad is not None:
        raise RuleViolation(f"差戻しの理由に使えない文字（U+{ord(bad):04X}）が含まれています。", field="reason")
    return text


def open_return(change: Change) -> dict | None:
    """The return a draft is waiting on, or None (never returned, corrected since, or no longer a draft)."""
    returned = (change.result or {}).get("returned") if change.status == c.DRAFT else None
    if returned and returned.get("version") == change.version:
        return returned
    return None


def do_return_draft(change_id: int, *, actor: Actor, reason: str, expected_version: int | None = None) -> Change:
    function = "change.return"
    try:
        actor.user.require(perms.APPROVE_CHANGE)
        text = check_return_reason(reason)
        with transaction.atomic():
            change = Change.objects.select_for_update().filter(pk=change_id).first()
            if change is None:
                raise NotFound(f"異動ID {change_id} は見つかりません。", field="change_id")
            if change.status != c.DRAFT:
                raise RuleViolation(f"異動ID {change_id} は仮登録ではないため差し戻せません"
                                    f"（{change.get_status_display()}）。", code="not_draft")
            if expected_version is not None and expected_version != change.version:
                raise ConflictError("この仮登録は他の職員が更新しました。最新の内容を確認してください。")
            change.version += 1
            change.result = {**(change.result or {}), "returned": {
                "reason": text, "by": actor.user.username, "at": timezone.now().isoformat(),
                "version": change.version}}
            change.save(update_fields=["version", "result"])
            log_operation(actor, function, change.subjects.exclude(addressee_number="")
                          .values_list("addressee_number", flat=True), change_id=change.pk, reason=text)
        return change
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"change_id": change_id})
        raise
