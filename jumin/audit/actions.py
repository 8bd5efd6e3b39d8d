"""Writing the operation log. The one place that creates OperationLog rows."""

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import OperationalError, connections, router, transaction
from django.utils import timezone

from jumin.audit.models import OK, REFUSED, OperationLog

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


LOG_COLUMNS = ("at", "user", "username", "role", "terminal", "function", "addressee_number", "outcome",
               "individual_number_shown", "change_id", "reason", "detail")


def log_operation(actor: Actor, function: str, addressee_numbers=(), *, outcome: str = OK,
                  individual_number_shown: bool = False, change_id: int | None = None,
                  reason: str = "", detail: dict | None = None) -> None:
    """One row per 宛名番号 (or one row without a person, e.g. a refused search).

    Every read writes here, so the rows go in as one plain multi-row INSERT: the shared values (time, user,
    detail as JSON) are prepared once, not per row, and no BEGIN … COMMIT is added around a statement that is
    atomic by itself (bulk_create does both; on a search page of 20 persons that was ~1.5 ms of 5)."""
    user = actor.user if getattr(actor.user, "pk", None) else None
    numbers = list(dict.fromkeys(addressee_numbers)) or [""]
    db = router.db_for_write(OperationLog)
    connection = connections[db]
    fields = [OperationLog._meta.get_field(name) for name in LOG_COLUMNS]
    shared = dict(zip(LOG_COLUMNS, (
        timezone.now(), user.pk if user else None, actor.username, actor.role, actor.terminal[:50], function, None,
        outcome, individual_number_shown, change_id, (reason or actor.reason)[:500], detail or {})))
    prepared = {name: field.get_db_prep_save(shared[name], connection) for name, field in zip(LOG_COLUMNS, fields)
                if name != "addressee_number"}
    table = connection.ops.quote_name(OperationLog._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, connection.ops.bulk_batch_size(fields, numbers))
    several = transaction.atomic(using=db) if len(numbers) > batch else nullcontext()
    with several, connection.cursor() as cursor:
        for start in range(0, len(numbers), batch):
            chunk = numbers[start:start + batch]
            values = [prepared[name] if name != "addressee_number" else number
                      for number in chunk for name in LOG_COLUMNS]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}", values)


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

