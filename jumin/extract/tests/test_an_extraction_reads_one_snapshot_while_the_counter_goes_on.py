"""One consistent snapshot (issue #16 item 2): a change committed at the counter while the extraction is running is
in none of its files — not in one entity and missing from another — and the manifest's point is before it; the
next incremental extraction brings it. Real concurrent transactions: the change is made by another thread with
its own connection, once the extraction has started writing. On PostgreSQL the entities are read by parallel
workers on the exported snapshot (REPEATABLE READ READ ONLY); on SQLite by one deferred read transaction (WAL)."""

import threading

import pytest

from conftest import actor
from jumin.core import journal
from jumin.core.models import Journal
from jumin.extract.tests.conftest import extract, manifest, read_rows
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True)

NEW_ADDRESS = "宮城県仙台市泉区泉中央一丁目1番1号"


def test_a_change_committed_during_the_extraction_is_in_none_of_its_files(family, clerk, approver, tmp_path):
    from django.db import connection

    from jumin.register.actions import do_relocate

    household = Resident.objects.get(name="山田 太郎").household_number
    committed = threading.Event()
    outcome = {}

    def counter():
        try:
            outcome["change"] = do_relocate({"household_number": household, "effective_on": "R6.5.1",
                                             "notified_on": "R6.5.2", "address": {"address": NEW_ADDRESS}},
                                            actor=actor(clerk))
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["error"] = exc
        finally:
            connection.close()
            committed.set()

    def progress(event, code, label, rows):
        if event == "start" and not committed.is_set() and "started" not in outcome:
            outcome["started"] = code
            threading.Thread(target=counter).start()
            committed.wait(30)

    before = journal.current_seq()
    got = extract(approver, tmp_path / "t0", entities="residents,history,households,changes", progress=progress)
    assert "error" not in outcome, outcome.get("error")
    assert Journal.objects.filter(seq__gt=before).exists()                       # the change did commit
    assert got["snapshot_point"] == f"{journal.instance_id()}:{before}"
    files = {f["entity"]: f for f in got["files"]}
    assert NEW_ADDRESS not in {r["address"] for r in read_rows(tmp_path / "t0", files["residents"])}
    assert NEW_ADDRESS not in {r["address"] for r in read_rows(tmp_path / "t0", files["history"])}
    assert outcome["change"].pk not in {r["id"] for r in read_rows(tmp_path / "t0", files["changes"])}

    increment = extract(approver, tmp_path / "inc", since=str(tmp_path / "t0" / "manifest.json"),
                        entities="residents,history,households,changes")
    files = {f["entity"]: f for f in manifest(tmp_path / "inc")["files"]}
    assert increment["mode"] == "incremental"
    assert {r["address"] for r in read_rows(tmp_path / "inc", files["residents"])} == {NEW_ADDRESS}
    assert [r["id"] for r in read_rows(tmp_path / "inc", files["changes"])] == [outcome["change"].pk]
