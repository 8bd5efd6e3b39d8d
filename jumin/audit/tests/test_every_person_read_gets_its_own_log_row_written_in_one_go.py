"""The operation log (standard-spec §6.1 アクセスログ): a read of many persons leaves one row per 宛名番号 with
the same time, user, terminal and detail — written as plain multi-row INSERTs (several on SQLite, whose
statements take at most 999 parameters) that either all land or none does."""

import pytest
from django.db import IntegrityError, connection, transaction

from conftest import actor
from jumin.audit.actions import log_operation
from jumin.audit.models import OK, REFUSED, OperationLog


def test_a_read_of_250_persons_leaves_250_rows_with_the_same_detail(clerk):
    numbers = [f"{n:010d}" for n in range(1, 251)]
    log_operation(actor(clerk, "T-LOG"), "search", numbers + numbers[:3], individual_number_shown=True,
                  detail={"criteria": {"name": "髙橋"}, "hits": 250})
    rows = list(OperationLog.objects.filter(terminal="T-LOG").order_by("addressee_number"))
    assert [r.addressee_number for r in rows] == numbers  # duplicates logged once
    assert {(r.user_id, r.username, r.role, r.function, r.outcome, r.individual_number_shown) for r in rows} == {
        (clerk.pk, clerk.username, clerk.role, "search", OK, True)}
    assert {r.at for r in rows} == {rows[0].at} and rows[0].at is not None
    assert all(r.detail == {"criteria": {"name": "髙橋"}, "hits": 250} for r in rows)


def test_a_read_without_a_person_still_leaves_one_row(clerk):
    log_operation(actor(clerk, "T-LOG"), "search", [], outcome=REFUSED, reason="x" * 600)
    row = OperationLog.objects.get(terminal="T-LOG")
    assert row.addressee_number == "" and row.outcome == REFUSED and len(row.reason) == 500 and row.detail == {}


@pytest.mark.django_db(transaction=True)
def test_when_a_later_batch_fails_no_row_of_the_read_is_left(clerk, monkeypatch):
    numbers = [f"{n:010d}" for n in range(1, 301)]
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 100)  # as on SQLite, 3 statements
    calls = []
    real_execute = connection.cursor().__class__.execute

    def failing_third(self, sql, params=None):
        if sql.startswith("INSERT INTO") and "audit_operationlog" in sql:
            calls.append(len(params))
            if len(calls) == 3:
                raise IntegrityError("the third batch fails")
        return real_execute(self, sql, params)

    monkeypatch.setattr(connection.cursor().__class__, "execute", failing_third)
    with pytest.raises(IntegrityError):
        log_operation(actor(clerk, "T-LOG"), "search", numbers)
    monkeypatch.undo()
    assert len(calls) == 3
    assert not OperationLog.objects.filter(terminal="T-LOG").exists()
    assert not transaction.get_connection().in_atomic_block
