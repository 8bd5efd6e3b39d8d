"""EUC never slows the counter (issue #16 item 6, ADR 0003): it reads on its own connection (alias `euc`), in one
read-only snapshot — PostgreSQL REPEATABLE READ READ ONLY, SQLite a deferred read on a query_only connection — so a
row written meanwhile by the counter is not half in a list, and nothing can be written through it; and with a
statement timeout: a runaway query is cancelled, reported in Japanese, logged, and its run kept as failed. Real
connections here (transactional tests), on SQLite and on PostgreSQL."""

import pytest
from django.db import connections

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.euc import actions, queries, reading
from jumin.euc import models as m
from jumin.register.models import Household, Resident

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "euc"])


def add_resident(number: str) -> None:
    house = Household.objects.create(household_number=f"9{number[1:]}")
    Resident.objects.create(addressee_number=number, household_number=house.household_number, household=house,
                            resident_type="japanese", status="resident", name="後藤 新", sex="1",
                            relationship="世帯主", address="宮城県仙台市青葉区一番町一丁目1番1号")


def test_the_read_is_a_read_only_snapshot_on_its_own_connection(city):
    assert reading.read_alias() == reading.ALIAS
    with reading.snapshot(30) as alias:
        assert alias == "euc"
        connection = connections[alias]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW transaction_isolation")
                assert cursor.fetchone()[0] == "repeatable read"
                cursor.execute("SHOW transaction_read_only")
                assert cursor.fetchone()[0] == "on"
                cursor.execute("SHOW statement_timeout")
                assert cursor.fetchone()[0] == "30s"
        before = Resident.objects.using(alias).count()
        add_resident("0999999990")        # the counter writes meanwhile, on its own connection
        assert Resident.objects.using(alias).count() == before
        with pytest.raises(Exception, match="read-only|readonly"):
            with connections[alias].cursor() as cursor:
                cursor.execute("UPDATE register_resident SET name = 'x'")
    assert Resident.objects.count() == before + 1
    assert Resident.objects.filter(name="x").count() == 0


def runaway(monkeypatch):
    """Make every EUC query run away: a condition the database needs seconds for (there is no way to write one in
    the query language — that is the point — so the test adds it below the compiler)."""
    from jumin.euc import compiler

    real = compiler.compile_query

    def slow(*args, **kwargs):
        compiled = real(*args, **kwargs)
        vendor = connections[kwargs["using"]].vendor
        sql = "pg_sleep(5) IS NOT NULL" if vendor == "postgresql" else (
            "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) "
            "SELECT count(*) FROM c) > 0")
        compiled.queryset = compiled.queryset.extra(where=[sql])
        return compiled

    monkeypatch.setattr(queries, "compile_query", slow)


def test_a_runaway_query_is_cancelled_reported_and_the_run_marked_failed(city, analyst, monkeypatch, euc_files):
    config = m.current_settings()
    config.statement_timeout_seconds = 0.2
    config.save()
    runaway(monkeypatch)
    for call in (lambda: actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv", actor=actor(analyst)),
                 lambda: queries.preview({"dataset": "residents", "items": ["name"]}, actor=actor(analyst))):
        with pytest.raises(reading.QueryTimeout, match="上限時間（0.2秒）を超えたため中止しました"):
            call()
    failed = list(m.EucRun.objects.order_by("pk"))
    assert [(r.kind, r.status) for r in failed] == [(m.RUN, m.FAILED), (m.PREVIEW, m.FAILED)]
    assert all("中止しました" in r.failure and r.username == "analyst" and r.query["items"] == ["name"] for r in failed)
    assert not m.EucRunSubject.objects.exists()
    assert not any(euc_files.iterdir())
    assert OperationLog.objects.filter(function="euc.run", outcome=REFUSED, reason__contains="上限時間").exists()
    assert OperationLog.objects.filter(function="euc.preview", outcome=REFUSED, reason__contains="上限時間").exists()

    monkeypatch.undo()            # the connection is usable again, and so is a normal run
    assert actions.do_run_euc({"dataset": "residents", "items": ["name"]}, "csv", actor=actor(analyst)).rows == 5
