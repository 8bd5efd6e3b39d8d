"""Incremental extraction for roles that do not get 支援措置 persons' rows (issue #16 item 3, decisions in
jumin.extract.rules.full_needed):

- while the set of withheld persons is unchanged, the increment is exact (merged by key it equals a full
  extraction now), the operation log included — read by id after the earlier watermark (it is not journaled);
- once someone becomes protected, an increment could only remove that person's rows by naming them; instead
  the run is a full extraction, the manifest says why (naming nobody), and no file holds the person.
- an operation-log id that had no row at the earlier snapshot (a transaction still open) is listed as a gap
  and read again by the next increment, so its row is not lost when it commits later.
"""

import pytest

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.core.models import current_municipality
from jumin.extract.tests.conftest import extract, manifest, merged, read_rows, tables

pytestmark = pytest.mark.django_db


def day_of_work(yamada, clerk, approver):
    from jumin.certificates.actions import do_void_issuance
    from jumin.certificates.tests.conftest import issue, request_for
    from jumin.register.actions import do_approve_change, do_relocate

    municipality = current_municipality()
    municipality.draft_required = True
    municipality.save()
    change = do_relocate({"household_number": yamada["household"], "effective_on": "R6.6.1", "notified_on": "R6.6.1",
                          "address": {"address": "宮城県仙台市青葉区一番町一丁目2番3号"}}, actor=actor(clerk))
    do_approve_change(change.pk, actor=actor(approver))
    issued = issue(clerk, request_for(yamada["head"], layout="individual")).issuance
    do_void_issuance(issued.pk, reason="記載誤り", actor=actor(approver))


def test_while_nobody_new_is_protected_the_increment_is_exact(yamada, clerk, approver, analyst, auditor, tmp_path):
    for user in (analyst, auditor):
        extract(user, tmp_path / f"{user.username}_t0")
    day_of_work(yamada, clerk, approver)
    for user in (analyst, auditor):
        increment = extract(user, tmp_path / f"{user.username}_inc",
                            since=str(tmp_path / f"{user.username}_t0" / "manifest.json"))
        assert increment["mode"] == "incremental", increment["full_because"]
        extract(user, tmp_path / f"{user.username}_t1")
        got, want = merged(tmp_path / f"{user.username}_t0", tmp_path / f"{user.username}_inc"), \
            tables(tmp_path / f"{user.username}_t1")
        if user is auditor:   # the increment's own log row was written after its snapshot, before the full one's
            watermark = increment["operation_log"]["watermark"]
            assert [r["function"] for k, r in want["operation_log"].items() if int(k[0]) > watermark] == ["extract.run"]
            want["operation_log"] = {k: r for k, r in want["operation_log"].items() if int(k[0]) <= watermark}
        assert got == want, user.username


def test_a_newly_protected_person_makes_the_run_a_full_extraction_without_them(yamada, clerk, approver, analyst,
                                                                             supervisor, tmp_path):
    from jumin.restrictions.actions import do_register_protection

    extract(analyst, tmp_path / "t0")
    wife = yamada["wife"]
    do_register_protection({"addressee_number": wife.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    run = extract(analyst, tmp_path / "t1", since=str(tmp_path / "t0" / "manifest.json"))
    assert run["mode"] == "full" and "支援措置・照会抑止の対象者が変わった" in run["full_because"]
    assert {f["kind"] for f in run["files"]} == {"rows"}
    assert wife.addressee_number not in (tmp_path / "t1" / "manifest.json").read_text(encoding="utf-8")
    for entry in run["files"]:
        assert all(row.get("addressee_number") != wife.addressee_number for row in read_rows(tmp_path / "t1", entry))
    nothing_new = extract(analyst, tmp_path / "t2", since=str(tmp_path / "t1" / "manifest.json"))
    assert nothing_new["mode"] == "incremental"               # the same withheld set again: exact increments


def a_gap() -> int:
    """An operation-log id taken by a transaction that has not committed yet, with a committed row after it:
    PostgreSQL's sequence hands the id out (nextval) and the next row gets the one after; SQLite gives the next id
    after the highest row, so the row after the gap is written with its id."""
    from django.db import connection

    from jumin.audit.actions import Actor, log_operation

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [OperationLog._meta.db_table])
            late = cursor.fetchone()[0]
        log_operation(Actor(user=None, terminal="t"), "record.view", ["0000000019"])
    else:
        late = (OperationLog.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        OperationLog.objects.bulk_create([OperationLog(id=late + 1, username="clerk", function="record.view")])
    assert OperationLog.objects.latest("id").id == late + 1
    return late


def test_an_operation_log_id_without_a_row_at_the_snapshot_is_read_again_next_time(family, auditor, tmp_path):
    late = a_gap()
    extract(auditor, tmp_path / "t0")
    assert [late, late] in manifest(tmp_path / "t0")["operation_log"]["gaps"]
    OperationLog.objects.bulk_create([OperationLog(id=late, username="clerk", function="record.view",
                                                   reason="遅れて確定")])   # the transaction commits
    increment = extract(auditor, tmp_path / "inc", since=str(tmp_path / "t0" / "manifest.json"))
    entry = next(f for f in increment["files"] if f["entity"] == "operation_log")
    assert late in [row["id"] for row in read_rows(tmp_path / "inc", entry)]
    assert [late, late] not in increment["operation_log"]["gaps"]
