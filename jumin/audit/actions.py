"""Writing the operation log. The one place that creates OperationLog rows."""

import logging
from dataclasses import dataclass, field

from django.db import OperationalError
from django.utils import timezone

from jumin.audit.models import OK, REFUSED, OperationLog
from jumin.core.db import insert_rows

logger = logging.getLogger("jumin.audit")


@dataclass
class Actor:
    """Who is acting and from where: passed to every action (design.md `actor, terminal, reason`)."""

    user: object
    terminal: str = ""
    reason: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def username(self) -> str:
        return getattr(self.user, "username", "") or "system"

    @property
    def role(self) -> str:
        return getattr(self.user, "role", "") or ""


def log_operation(actor: Actor, function: str, addressee_numbers=(), *, outcome: str = OK,
                  individual_number_shown: bool = False, change_id: int | None = None,
                  reason: str = "", detail: dict | None = None) -> None:
    """One row per 宛名番号 (or one row without a person, e.g. a refused search), written as plain INSERTs
    (`core.db.insert_rows`): every read writes here, and bulk_create's BEGIN … COMMIT and per-row preparation
    were ~1.5 ms of a 5 ms search."""
    user = actor.user if getattr(actor.user, "pk", None) else None
    shared = {"at": timezone.now(), "user": user.pk if user else None, "username": actor.username,
              "role": actor.role, "terminal": actor.terminal[:50], "function": function, "outcome": outcome,
              "individual_number_shown": individual_number_shown, "change_id": change_id,
              "reason": (reason or actor.reason)[:500], "detail": detail or {}}
    numbers = list(dict.fromkeys(addressee_numbers)) or [""]
    insert_rows(OperationLog, [{**shared, "addressee_number": number} for number in numbers])


def log_refusal(actor: Actor, function: str, addressee_numbers=(), *, message: str, detail=None) -> None:
    """Refusals are logged too. When the refusal is that the database is locked by another clerk (SQLite),
    the row cannot be written either: the refusal goes to the application log instead of being lost."""
    try:
        log_operation(actor, function, addressee_numbers, outcome=REFUSED, reason=message, detail=detail)
    except OperationalError:
        logger.warning("operation log unavailable; refused %s by %s at %s for %s: %s", function, actor.username,
                       actor.terminal, ",".join(addressee_numbers), message)


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

