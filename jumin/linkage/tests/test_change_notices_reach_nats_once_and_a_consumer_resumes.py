"""Change notices (issue #18 item 5) on the real NATS JetStream at 127.0.0.1:4222: every event is published in
order with its number as the deduplication key, advanced only after the broker's acknowledgement; publishing again
sends nothing twice; a 支援措置 person's notice carries no 宛名番号; a durable consumer reads part, stops, and resumes
after its last acknowledged notice. The test uses a stream of its own and deletes it."""

import asyncio
import json
import uuid

import pytest

from conftest import actor
from jumin.linkage.notify import publish_pending, published, stream_name, subject
from jumin.register.actions import do_relocate
from jumin.register.models import Resident

URL = "nats://127.0.0.1:4222"


@pytest.fixture
def own_stream(settings):
    settings.JUMIN_NATS_PREFIX = f"jumintest{uuid.uuid4().hex[:8]}"
    yield stream_name()

    async def drop():
        import nats

        client = await nats.connect(URL, allow_reconnect=False)
        try:
            await client.jetstream().delete_stream(stream_name())
        except nats.js.errors.NotFoundError:
            pass                                       # the test made none (the broker was "down")
        finally:
            await client.close()

    asyncio.run(drop())


def _consume(stream: str, subject_: str, durable: str, count: int) -> list[dict]:
    async def run():
        import nats

        client = await nats.connect(URL, allow_reconnect=False)
        try:
            js = client.jetstream()
            sub = await js.pull_subscribe(subject_, durable=durable, stream=stream)
            got = []
            try:
                for msg in await sub.fetch(count, timeout=3):
                    got.append(json.loads(msg.data))
                    await msg.ack_sync()
            except nats.errors.TimeoutError:
                pass
            return got
        finally:
            await client.close()

    return asyncio.run(run())


def test_notices_are_published_once_and_a_consumer_resumes(family, clerk, supervisor_user, own_stream):
    from jumin.restrictions.actions import do_register_protection

    hanako = Resident.objects.get(name="山田 花子")
    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv"}, actor=actor(supervisor_user))
    assert publish_pending(url=URL) == 4                                   # 3 転入 and the 支援措置 flag
    assert publish_pending(url=URL) == 0                                   # nothing twice
    household = Resident.objects.get(name="山田 太郎").household_number
    do_relocate({"household_number": household, "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "address": {"postcode": "9813204", "address": "宮城県仙台市泉区寺岡一丁目1番1号"}}, actor=actor(clerk))
    assert publish_pending(url=URL) == 3 and published(family_code()) == 7

    topic = subject(family_code())
    first = _consume(own_stream, topic, "tax-010", 4)
    assert [n["seq"] for n in first] == [1, 2, 3, 4]
    assert all(n["withheld"] == (n.get("addressee_number") is None) for n in first)
    rest = _consume(own_stream, topic, "tax-010", 10)                     # stopped, then back: from the 5th
    assert [n["seq"] for n in rest] == [5, 6, 7]
    everything = first + rest
    assert hanako.addressee_number not in json.dumps(everything) and sum(n["withheld"] for n in everything) == 3
    assert rest[0]["link"] == "/api/linkage/v1/changes?after=4&limit=1"


def test_a_broker_that_is_down_advances_nothing(family, own_stream):
    with pytest.raises(Exception):
        publish_pending(url="nats://127.0.0.1:1")
    assert published(family_code()) == 0


def family_code():
    from jumin.core.models import current_municipality

    return current_municipality().code


@pytest.fixture
def supervisor_user(db):
    from conftest import _user
    from jumin.accounts import rules as perms

    return _user("supervisor", perms.SUPERVISOR, "支援 五郎")
