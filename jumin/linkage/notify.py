"""Change notices for push consumers (issue #18 item 5): a thin notice per event — its number, the person's
宛名番号, the kind and the time, and the link to GET the entry — published to NATS JetStream (127.0.0.1:4222 here;
Debian's `nats-server` in production) by `jumin linkage notify`, in event order, each with `Nats-Msg-Id` =
`<municipality>-<seq>` so the broker drops a repeat; the number advances only after the broker's acknowledgement.
At-least-once: after a crash between the acknowledgement and the advance, a notice may come twice, and a consumer
deduplicates by `seq`. A 支援措置 person's notice carries no 宛名番号 (the broker is shared by every 連携先; each
one reads its own view through the feed). A consumer — a durable JetStream consumer — may fall behind, stop and
resume from its last acknowledged notice."""

from __future__ import annotations

import asyncio
import json

from django.conf import settings

from jumin.core.models import NumberSequence, current_municipality
from jumin.linkage.deliveries import do_record_delivery, nats_prefix, notice_counter, published  # noqa: F401
from jumin.linkage.models import LinkageEvent

DEFAULT_URL = "nats://127.0.0.1:4222"


prefix = nats_prefix


def stream_name() -> str:
    return prefix().upper().replace(".", "_").replace("-", "_") + "_CHANGES"


def subject(municipality: str) -> str:
    return f"{prefix()}.{municipality}.changes"


def notice(event: dict, *, protected: bool) -> dict:
    out = {"seq": event["seq"], "recorded_at": event["recorded_at"].isoformat(),
           "link": f"/api/linkage/v1/changes?after={event['seq'] - 1}&limit=1"}
    if protected:
        return {**out, "withheld": True}
    return {**out, "withheld": False, "addressee_number": event["addressee_number"], "kind": event["change_kind"]}


async def _send(url: str, stream: str, subjects: list[str], messages: list[tuple[int, str, bytes]]) -> int:
    """Publish in order, each acknowledged before the next; returns the last acknowledged number (0 for none)."""
    import nats
    from nats.js.api import StreamConfig

    client = await nats.connect(url, connect_timeout=3, allow_reconnect=False)
    acked = 0
    try:
        js = client.jetstream()
        try:
            await js.stream_info(stream)
        except nats.js.errors.NotFoundError:
            await js.add_stream(StreamConfig(name=stream, subjects=subjects, duplicate_window=300))
        for seq, msg_id, body in messages:
            await js.publish(subjects[0].replace("*", msg_id.rsplit("-", 1)[0]), body, timeout=5,
                             headers={"Nats-Msg-Id": msg_id})
            acked = seq
    finally:
        await client.close()
    return acked


def publish_pending(*, url: str | None = None, limit: int = 500) -> int:
    """Publish the events not yet acknowledged by the broker, up to `limit`; returns how many were acknowledged."""
    from jumin.linkage.queries import protected_numbers

    url = url or getattr(settings, "JUMIN_NATS_URL", DEFAULT_URL)
    municipality = current_municipality().code
    done = published(municipality)
    events = list(LinkageEvent.objects.filter(municipality=municipality, seq__gt=done).order_by("seq")
                  .values("seq", "addressee_number", "change_kind", "recorded_at")[:limit])
    if not events:
        return 0
    hidden = protected_numbers({e["addressee_number"] for e in events})
    messages = [(e["seq"], f"{municipality}-{e['seq']}",
                 json.dumps(notice(e, protected=e["addressee_number"] in hidden), ensure_ascii=False).encode())
                for e in events]
    acked = asyncio.run(asyncio.wait_for(_send(url, stream_name(), [f"{prefix()}.*.changes"], messages),
                                         timeout=60))
    if acked > done:
        import hashlib

        sent = [(seq, body) for seq, _, body in messages if seq <= acked]
        NumberSequence.objects.get_or_create(name=notice_counter(municipality))
        NumberSequence.objects.filter(name=notice_counter(municipality), last_body__lt=acked).update(last_body=acked)
        do_record_delivery(None, "notify", from_seq=done, to_seq=acked, events=len(sent),
                           sha256=hashlib.sha256(b"\n".join(body for _, body in sent)).hexdigest())
    return sum(1 for seq, _, _ in messages if seq <= acked)
