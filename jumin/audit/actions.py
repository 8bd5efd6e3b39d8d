"""Writing the operation log. The one place that creates OperationLog rows."""

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import OperationalError
from django.utils import timezone

from jumin.audit.models import OK, REFUSED, OperationLog
from jumin.core.db import insert_rows

logger = logging.getLogger("jumin.audit")

ADDRESSEE_NUMBER_LENGTH = OperationLog._meta.get_field("addressee_number").max_length
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Actor:
    """Who is acting and from where: passed to every action (design.md `actor, terminal, reason`)."""

    user: object
    terminal: str = ""
    reason: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def username(self) -> str:
        if getattr(self.user, "is_anonymous", False):
            return "anonymous"  # a refused request without valid credentials
        return getattr(self.user, "username", "") or "system"

    @property
    def role(self) -> str:
        return getattr(self.user, "role", "") or ""


def _text(value, limit: int) -> str:
    """A text value the operation log can always store: NUL removed (PostgreSQL refuses it in text and JSON),
    other control characters shown as U+FFFD, cut to the column's length."""
    text = str(value or "").replace("\x00", "")
    return _CONTROL.sub("\ufffd", text)[:limit]


def _clean(value, depth: int = 0):
    """The detail dict with every string made storable (NUL dropped, bounded), whatever the request sent."""
    if isinstance(value, str):
        return _text(value, 500)
    if isinstance(value, dict) and depth < 5:
        return {_text(k, 100): _clean(v, depth + 1) for k, v in list(value.items())[:100]}
    if isinstance(value, (list, tuple)) and depth < 5:
        return [_clean(v, depth + 1) for v in list(value)[:100]]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _text(repr(value), 500)


def _numbers(addressee_numbers) -> tuple[list[str], list[str]]:
    """The 宛名番号 to log one row each, and what was sent that cannot be one (too long, not text): those go
    into the detail, so a refusal of an over-long number is still logged and no real number is faked by cutting."""
    numbers, unusable = [], []
    for number in addressee_numbers:
        text = _text(number, 1000)
        if len(text) <= ADDRESSEE_NUMBER_LENGTH and text == str(number):
            numbers.append(text)
        else:
            unusable.append(text[:40] + ("…" if len(text) > 40 else ""))
    return list(dict.fromkeys(numbers)), unusable


def log_operation(actor: Actor, function: str, addressee_numbers=(), *, outcome: str = OK,
                  individual_number_shown: bool = False, change_id: int | None = None,
                  reason: str = "", detail: dict | None = None) -> None:
    """One row per 宛名番号 (or one row without a person, e.g. a refused search), written as plain INSERTs
    (`core.db.insert_rows`): every read writes here, and bulk_create's BEGIN … COMMIT and per-row preparation
    were ~1.5 ms of a 5 ms search. Every text is bounded to its column and cleaned of NUL, so a refusal of bad
    input (an over-long number, a NUL in a reason) always leaves its row (issue #15)."""
    user = actor.user if getattr(actor.user, "pk", None) else None
    numbers, unusable = _numbers(addressee_numbers)
    detail = _clean(detail or {})
    if unusable:
        detail = {**detail, "unusable_addressee_numbers": unusable}
    shared = {"at": timezone.now(), "user": user.pk if user else None, "username": _text(actor.username, 150),
              "role": _text(actor.role, 20), "terminal": _text(actor.terminal, 50), "function": _text(function, 50),
              "outcome": outcome, "individual_number_shown": individual_number_shown, "change_id": change_id,
              "reason": _text(reason or actor.reason, 500), "detail": detail}
    insert_rows(OperationLog, [{**shared, "addressee_number": number} for number in numbers or [""]])


def log_refusal(actor: Actor, function: str, addressee_numbers=(), *, message: str, detail=None) -> None:
    """Refusals are logged too. When the refusal is that the database is locked by another clerk (SQLite),
    the row cannot be written either: the refusal goes to the application log instead of being lost."""
    try:
        log_operation(actor, function, addressee_numbers, outcome=REFUSED, reason=message, detail=detail)
    except OperationalError:
        logger.warning("operation log unavailable; refused %s by %s at %s for %s: %s", function, actor.username,
                       _text(actor.terminal, 50), ",".join(_text(n, 20) for n in addressee_numbers),
                       _text(message, 500))


def require_permission(actor: Actor, permission: str, function: str, numbers=()) -> None:
    """The actor's right, or a logged refusal: every read and action checks rights through here."""
    from jumin.core.errors import RuleViolation

    try:
        actor.user.require(permission)
    except RuleViolation as refusal:
        log_refusal(actor, function, numbers, message=refusal.message)
        raise


def refuse(actor: Actor, function: str, refusal, numbers=(), *, detail: dict | None = None):
    """Log a refusal (operation log, outcome refused) and raise it: the one way an action or a read says no."""
    log_refusal(actor, function, [n for n in numbers if n], message=refusal.message, detail=detail)
    raise refusal


@contextmanager
def logged_refusals(actor: Actor, function: str, numbers=(), detail: dict | None = None):
    """A refusal raised inside is logged (operation log, outcome refused) with what was asked and the refusal's code
    and field, then raised again. Wrapped around a transaction, the row is written after its rollback."""
    from jumin.core.errors import RuleViolation

    try:
        yield
    except RuleViolation as refusal:
        log_refusal(actor, function, [n for n in numbers if n], message=refusal.message,
                    detail={**(detail or {}), "code": refusal.code, "field": refusal.field})
        raise

