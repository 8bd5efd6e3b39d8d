"""Delivery you can prove (issue #18 item 6): the message log and each 連携先's delivered and acknowledged numbers,
the failed runs in a row and when the schedule tries again, and how far the change notices have been published.
Its own module because the feed (queries), the file linkage (actions) and the publisher (notify) all record here:
it imports none of them (docs/linkage/delivery.md)."""

from __future__ import annotations

from django.utils import timezone

from jumin.linkage import rules


def nats_prefix() -> str:
    """The subject and stream prefix of the change notices (settings.JUMIN_NATS_PREFIX)."""
    from django.conf import settings

    return getattr(settings, "JUMIN_NATS_PREFIX", "jumin")


def notice_counter(municipality: str) -> str:
    """The NumberSequence row of the last notice the broker acknowledged (its name holds 30 characters)."""
    return f"n:{nats_prefix()[:18]}:{municipality}"


def published(municipality: str) -> int:
    from jumin.core.models import NumberSequence

    row = NumberSequence.objects.filter(name=notice_counter(municipality)).values_list("last_body", flat=True).first()
    return int(row or 0)


def do_record_delivery(client, method: str, *, from_seq: int, to_seq: int, events: int, sha256: str,
                       acknowledged: int | None = None):
    """One line of the message log, and the 連携先's delivered / acknowledged numbers moved forward (never back: two
    pulls at once each move them only up). `acknowledged` is what the 連携先 has confirmed: for REST the `after` it
    asked for, for a file the file's last number once it is in place."""
    from django.db.models import F
    from django.db.models.functions import Greatest

    from jumin.linkage.models import LinkageClient, LinkageDelivery

    now = timezone.now()
    LinkageDelivery.objects.create(client=client, method=method, from_seq=from_seq, to_seq=to_seq, events=events,
                                   sha256=sha256, at=now)
    if client is None:
        return
    rows = LinkageClient.objects.filter(pk=client.pk)
    rows.filter(delivered_seq__lt=to_seq).update(delivered_seq=Greatest(F("delivered_seq"), to_seq))
    if acknowledged is not None:
        rows.filter(acknowledged_seq__lt=acknowledged).update(acknowledged_seq=acknowledged, acknowledged_at=now)


def failures_in_a_row(client) -> tuple[int, object]:
    """Failed file runs since the last successful one, and the last of them (or None)."""
    last_ok = client.runs.filter(ok=True).order_by("-pk").values_list("pk", flat=True).first() or 0
    failed = client.runs.filter(ok=False, pk__gt=last_ok)
    return failed.count(), failed.order_by("-pk").first()


def retry_wait(client, *, now=None) -> str:
    """Why the scheduled file linkage leaves this 連携先 out this time (rules.retry_delay_minutes, rules.DEAD_AFTER),
    or "" when it is due. Nothing is lost while it waits: the next run that succeeds carries every event since."""
    from datetime import timedelta

    failures, last = failures_in_a_row(client)
    if not failures:
        return ""
    if failures >= rules.DEAD_AFTER:
        return (f"{failures} 回続けて失敗したため自動の再試行を止めています。置き場所を直してから、連携の状況の画面で"
                "「再送」するか、--client を指定して実行してください。")
    due = last.at + timedelta(minutes=rules.retry_delay_minutes(failures))
    if (now or timezone.now()) < due:
        return f"{failures} 回続けて失敗しています。次の再試行は {timezone.localtime(due):%H:%M} 以降です。"
    return ""
