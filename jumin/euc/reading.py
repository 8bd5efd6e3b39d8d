"""Where and how EUC reads (issue #16 item 6, docs/adr/0003-euc-read-isolation.md): never in the way of the counter.

Every EUC read runs inside `snapshot(...)`:
- on its own connection alias `euc` (settings: `JUMIN_EUC_DATABASE_URL`, a read replica; by default a second
  connection to the same database), so a long list never sits in a counter request's connection or transaction;
- PostgreSQL: one `REPEATABLE READ READ ONLY` transaction — one consistent snapshot for the count, the rows and
  the lookups, no row lock taken, no write possible — with `SET LOCAL statement_timeout`, so a runaway statement is
  cancelled by the server (SQLSTATE 57014);
- SQLite: a deferred read transaction on a `query_only` connection (WAL: readers never block the writer, and the
  transaction sees one snapshot), with a progress-handler deadline that interrupts the read when it is passed.

A caller already inside a transaction on the same database (a test, a script that wraps the call) reads in that
transaction instead (a savepoint, with the same timeout): a second connection could not see its uncommitted rows.
A request is never inside one (the project does not use ATOMIC_REQUESTS), so the counter's case is always the first.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import OperationalError, connections, transaction

from jumin.core.errors import RuleViolation

ALIAS = "euc"


class QueryTimeout(RuleViolation):
    """The extraction ran past the municipality's limit and was cancelled."""

    default_code = "timeout"


def timeout_message(seconds: float) -> str:
    return (f"抽出が上限時間（{seconds:g}秒）を超えたため中止しました。条件を絞る（期間・地区・年齢など）か、"
            "件数で集計してからもう一度お試しください。続くときはシステム管理者に上限時間の設定を相談してください。")


def _same_database(alias: str) -> bool:
    mine, default = connections[alias].settings_dict, connections["default"].settings_dict
    return all(mine.get(k) == default.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT"))


def read_alias() -> str:
    """The alias a read uses now: `euc`, or `default` when the caller is inside a transaction on the same database."""
    if ALIAS not in connections.settings:
        return "default"
    if connections["default"].in_atomic_block and _same_database(ALIAS):
        return "default"
    return ALIAS


def is_timeout(error: BaseException) -> bool:
    cause = getattr(error, "__cause__", None)
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state == "57014" or "interrupted" in str(error).lower()


@contextmanager
def snapshot(timeout_seconds: float):
    """Yield the alias to read from, inside the read-only snapshot transaction with the timeout. A timeout raises
    QueryTimeout (a RuleViolation with the Japanese message), after the transaction is rolled back."""
    alias = read_alias()
    joined = alias == "default"
    connection = connections[alias]
    timeout_ms = max(1, int(timeout_seconds * 1000))
    try:
        with transaction.atomic(using=alias):
            restore = _begin(connection, joined, timeout_ms)
            try:
                yield alias
            finally:
                restore()
    except OperationalError as error:
        if is_timeout(error):
            raise QueryTimeout(timeout_message(timeout_seconds), field="query") from error
        raise


def _begin(connection, joined: bool, timeout_ms: int):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if not joined:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # jit off: an EUC statement is a one-off scan, and compiling it costs more than it saves (a count-by
            # over Sendai's residents: 140 ms of 400, bench/euc.py).
            wanted = {"statement_timeout": str(timeout_ms), "jit": "off"}
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('jit')")
            previous = dict(zip(wanted, cursor.fetchone()))
            for name, value in wanted.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])

        def restore():
            if joined and not connection.needs_rollback:
                try:
                    with connection.cursor() as cursor:
                        for name, value in previous.items():
                            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
                except Exception:   # the transaction is aborted: the savepoint's rollback restores the setting
                    pass
        return restore
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + timeout_ms / 1000
        raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)

        def restore():
            raw.set_progress_handler(None, 0)
        return restore
    return lambda: None
