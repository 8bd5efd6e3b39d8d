"""Delivery you can prove (issue #18 item 6): per 連携先 the last number delivered and acknowledged (a REST page's
`next` delivered, the `after` asked next acknowledged; a file acknowledged once in place), how far behind it is, and
a message log of every delivery with the SHA-256 of what was delivered — for a REST page the same checksum the
consumer computes over the entries it got. A file place that fails is retried with a growing wait; after five
failures in a row the scheduled run stops trying (a dead letter) until a supervisor re-sends, and nothing is lost:
the re-send carries every event since the last good file."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import actor
from jumin.linkage import actions, deliveries, rules
from jumin.linkage.models import LinkageClient, LinkageDelivery, LinkageRun
from jumin.linkage.queries import delivery_status
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import (MOVE, _feed, _register,
                                                                                             _token)
from jumin.register.actions import do_relocate
from jumin.register.models import Resident


def test_a_pull_is_delivered_then_acknowledged_by_the_next_ask(family, admin, clerk):
    client_id, secret = _register("--business", "010", "--name", "個人住民税", "--items", "name,address")
    token = _token(client_id, secret)
    page = _feed(token).json()
    client = LinkageClient.objects.get(client_id=client_id)
    assert (client.delivered_seq, client.acknowledged_seq) == (3, 0)
    logged = LinkageDelivery.objects.get(client=client)
    assert (logged.method, logged.from_seq, logged.to_seq, logged.events) == ("pull", 0, 3, 3)
    assert logged.sha256 == rules.entry_digest(page["events"])          # what the consumer can compute itself
    [row] = delivery_status(actor=actor(admin))["clients"]
    assert (row["behind"], row["state"]) == (3, "未確認あり") and row["waiting_seconds"] >= 0

    _feed(token, after=page["next"])                                    # asking for what follows acknowledges it
    client.refresh_from_db()
    assert client.acknowledged_seq == 3 and client.acknowledged_at is not None
    [row] = delivery_status(actor=actor(admin))["clients"]
    assert (row["behind"], row["state"]) == (0, "遅延なし")
    _feed(token, after=1)                                               # a replay moves nothing back
    client.refresh_from_db()
    assert client.acknowledged_seq == 3


def test_a_failing_file_place_waits_longer_stops_after_five_and_a_resend_loses_nothing(family, admin, clerk, tmp_path):
    blocked = tmp_path / "share"
    blocked.write_text("not a folder")
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name,address",
                             "--methods", "file", "--directory", str(blocked))
    client = LinkageClient.objects.get(client_id=client_id)
    err = io.StringIO()
    with pytest.raises(Exception):
        call_command("linkage", "export", stderr=err)                   # the scheduled run: fails
    assert deliveries.failures_in_a_row(client)[0] == 1
    out = io.StringIO()
    call_command("linkage", "export", stdout=out, stderr=err)           # ten minutes have not passed: not tried
    assert "次の再試行は" in err.getvalue() and LinkageRun.objects.count() == 1
    assert [rules.retry_delay_minutes(n) for n in range(1, 8)] == [10, 20, 40, 80, 160, 320, 360]

    for _ in range(4):                                                  # as if the waits had passed
        LinkageRun.objects.filter(ok=False).update(at=timezone.now() - timedelta(hours=7))
        with pytest.raises(Exception):
            call_command("linkage", "export", stderr=io.StringIO())
    status = delivery_status(actor=actor(admin))
    assert [row["client"].client_id for row in status["dead"]] == [client_id]
    assert status["clients"][0]["state"] == "停止（再送待ち）"
    LinkageRun.objects.filter(ok=False).update(at=timezone.now() - timedelta(days=1))
    err = io.StringIO()
    call_command("linkage", "export", stderr=err)                       # stopped: the schedule leaves it alone
    assert "自動の再試行を止めています" in err.getvalue() and LinkageRun.objects.count() == 5

    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, **MOVE}, actor=actor(clerk))
    blocked.unlink()
    blocked.mkdir()
    run = actions.do_export_files(client_id, actor=actor(admin))        # the supervisor's 再送
    assert run.ok and (run.from_seq, run.to_seq, run.rows) == (0, 6, 6)   # every event since the start: none lost
    client.refresh_from_db()
    assert (client.delivered_seq, client.acknowledged_seq) == (6, 6)
    assert LinkageDelivery.objects.get(client=client).sha256 == run.sha256
    assert delivery_status(actor=actor(admin))["dead"] == []


def test_only_the_administrator_sees_the_delivery_status(family, admin, clerk):
    from jumin.audit.models import OperationLog
    from jumin.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        delivery_status(actor=actor(clerk))
    assert OperationLog.objects.filter(function="linkage.status", outcome="refused", username="clerk").exists()
    delivery_status(actor=actor(admin))
    assert OperationLog.objects.filter(function="linkage.status", outcome="ok", username="admin").exists()
