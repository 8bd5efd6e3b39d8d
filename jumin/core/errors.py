"""Refusals raised by the pure domain rules.

A rule that refuses an input raises one of these instead of returning a flag, so that a view, an
API handler or a CSV import cannot silently ignore the refusal. The message is written for the
clerk at the counter (polite Japanese); `field` lets a form put it next to the right input, and
`code` is a short, stable machine code for API clients and tests. Errors must state the cause and
the fix (standard-spec §8.1, エラー・アラート).
"""

from dataclasses import dataclass


class RuleViolation(Exception):
    """A refusal by a domain rule.

    `message` is Japanese and shown to the clerk; `field` names the offending input field (code
    name) or None; `code` is a short machine code.
    """

    default_code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code if code is not None else self.default_code

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r}, code={self.code!r})"


class ConflictError(RuleViolation):
    """Someone else changed the data since it was read (optimistic or exclusive locking)."""

    default_code = "conflict"


class PermissionDenied(RuleViolation):
    """The user's role does not allow the operation (standard-spec §6.1 操作権限)."""

    default_code = "forbidden"


class NotFound(RuleViolation):
    """The requested record does not exist, or is not visible to this user."""

    default_code = "not_found"


@dataclass(frozen=True)
class Alert:
    """An アラート (standard-spec §8.1): something the clerk must see and confirm, not a refusal. It lives here,
    beside the refusals, so every app (the change engine, the restrictions, certificates) can raise one
    without importing another app's actions."""

    code: str
    message: str
    field: str | None = None


class FileRefused(RuleViolation):
    """A file that is read whole or not at all (a 住基ネット file, a 戸籍 notice file, a migration file): `problems`
    lists every fault as (line, value, message), so the sender can fix them all at once. Nothing of it is written."""

    default_code = "file_refused"

    def __init__(self, message: str, problems: list[tuple[int, str, str]]):
        super().__init__(message)
        self.problems = problems
