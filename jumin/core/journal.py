"""The change journal (issue #16, platform design §2): which entity rows changed, gap-free and in commit order.

Every action that changes a row of an extracted entity calls `record(entity_code, keys)` inside its transaction,
as its last step before commit. `record` takes the next numbers from one counter row (`NumberSequence`
"journal"), with a single `UPDATE … RETURNING` that locks the row until the transaction ends, and inserts one
`Journal` row per key. Because the lock is held until commit, the transaction that took numbers 5–6 commits
before the one that takes 7 can even start numbering: sequence order is commit order, a rolled-back action
gives its numbers back (no gap), and any snapshot sees a prefix 1…N of the journal. So "what changed after
point N" is exactly `seq > N` (incremental extraction; the linkage outbox of issue #18 reads the same rows).

Taking the lock last keeps it short: from the call to the commit, a few statements. It is the one place every
writing transaction meets, in the same position (after every other lock), so it adds no deadlock.

A snapshot point is `"<instance_id>:<seq>"`: the database's identity (`Municipality.instance_id`, a UUID made
when the database was migrated) and the newest journal row the snapshot sees. `parse_point` refuses a point
from another database (another municipality, or a copy restored elsewhere) or one this database has not
reached yet.

Keys are the entity's key values as text; a composite key (住民票履歴: 宛名番号 and 履歴番号) is its values
joined by `KEY_SEPARATOR` ("|": no key value contains it — they are numbers and codes). The operation log is
not journaled: it is append-only and read incrementally by its id (jumin.extract).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from jumin.core.db import insert_rows
from jumin.core.errors import RuleViolation
from jumin.core.models import Journal, NumberSequence, current_municipality

SERIES = "journal"
KEY_SEPARATOR = "|"
KEY_MAX = Journal._meta.get_field("key").max_length
_POINT = re.compile(r"^([0-9a-fA-F-]{36}):(\d{1,18})$")


def key_text(key) -> str:
    """One key as the journal stores it: a single value as text, a composite key's values joined by "|"."""
    if isinstance(key, (tuple, list)):
        text = KEY_SEPARATOR.join(str(part) for part in key)
    else:
        text = str(key)
    if not text or len(text) > KEY_MAX:
        raise ValueError(f"journal key {text[:40]!r} is empty or longer than {KEY_MAX}")
    return text


def key_values(text: str, parts: int) -> tuple[str, ...]:
    """The values of a key as stored (`key_text`'s inverse, as text)."""
    values = tuple(text.split(KEY_SEPARATOR)) if parts > 1 else (text,)
    if len(values) != parts:
        raise ValueError(f"journal key {text!r} does not have {parts} parts")
    return values


def _take(count: int) -> int:
    """The last of `count` new sequence numbers; the counter row stays locked until the transaction ends."""
    from jumin.core.models import advance_sequence

    return advance_sequence(SERIES, count)


# Keys gathered by an open `collecting()` block, written when it closes (None: record() writes at once).
_collected: ContextVar[dict | None] = ContextVar("journal_collected", default=None)


@contextmanager
def collecting():
    """Gather every `record()` made inside the block (by the action and by whatever it calls — the register's
    signal receivers, shared helpers) and write them all once, when the block closes without an error: the
    action's last step, one counter UPDATE and one INSERT. Open it inside the action's transaction
    (`with transaction.atomic(), journal.collecting():`), so it closes before the commit. Nested blocks join
    the outermost one."""
    if _collected.get() is not None:
        yield
        return
    gathered: dict[str, list] = {}
    token = _collected.set(gathered)
    try:
        yield
    except BaseException:
        _collected.reset(token)
        raise
    _collected.reset(token)
    _write(gathered)


def record_many(changes: Mapping[str, Iterable]) -> int:
    """Journal the keys of several entities at once ({entity_code: keys}): one counter UPDATE and one INSERT.
    Inside an open `collecting()` block the keys join it (written when it closes). Returns how many keys were
    taken. Must run inside the caller's transaction, as its last step."""
    assert connection.in_atomic_block, "journal.record needs the action's transaction"
    gathered = _collected.get()
    if gathered is not None:
        count = 0
        for entity_code, keys in changes.items():
            texts = [key_text(k) for k in keys]
            gathered.setdefault(entity_code, []).extend(texts)
            count += len(texts)
        return count
    return _write(changes)


def _write(changes: Mapping[str, Iterable]) -> int:
    assert connection.in_atomic_block, "the journal is written inside the action's transaction"
    texts = []
    for entity_code, keys in changes.items():
        seen = dict.fromkeys(key_text(k) for k in keys)
        texts += [(entity_code, k) for k in seen]
    if not texts:
        return 0
    last = _take(len(texts))
    first = last - len(texts) + 1
    at = timezone.now()
    insert_rows(Journal, [{"seq": first + i, "entity": entity, "key": key, "at": at}
                          for i, (entity, key) in enumerate(texts)])
    return len(texts)


def record(entity_code: str, keys: Iterable) -> int:
    """Journal that these rows of `entity_code` changed (inserted, updated or deleted), by their key values.
    Inside the action's transaction, as its last step (see the module docstring)."""
    return record_many({entity_code: keys})


def instance_id() -> str:
    return str(current_municipality().instance_id)


def current_seq() -> int:
    """The newest journal number visible to the current transaction (0 for an empty journal)."""
    last = Journal.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def point() -> str:
    """The snapshot point of the current transaction: `"<instance_id>:<seq>"`."""
    return f"{instance_id()}:{current_seq()}"


@dataclass(frozen=True)
class Point:
    instance_id: str
    seq: int

    def __str__(self) -> str:
        return f"{self.instance_id}:{self.seq}"


def parse_point(text, *, field: str = "since") -> Point:
    """A snapshot point given back by a user, checked against this database. Refused (Japanese RuleViolation)
    when malformed, taken from another database, or newer than anything this database has journaled."""
    match = _POINT.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise RuleViolation("抽出点の形式が正しくありません。前回の抽出の manifest.json にある snapshot_point"
                            "（「データベース識別子:通番」）を指定してください。", field=field, code="invalid_point")
    try:
        given = str(uuid.UUID(match.group(1)))
    except ValueError:
        raise RuleViolation("抽出点のデータベース識別子が正しくありません。", field=field, code="invalid_point") from None
    ours = instance_id()
    if given != ours:
        raise RuleViolation(f"この抽出点は別のデータベース（識別子 {given}）のものです。このデータベース（{ours}）"
                            "で作った抽出の manifest.json を指定してください。", field=field, code="other_database")
    seq = int(match.group(2))
    newest = current_seq()
    if seq > newest:
        raise RuleViolation(f"この抽出点（通番 {seq}）はまだありません（このデータベースの最新は {newest}）。"
                            "未来の抽出点は指定できません。", field=field, code="future_point")
    return Point(given, seq)


def changed_keys(entity_code: str, after: int, upto: int) -> list[str]:
    """The distinct keys of `entity_code` journaled in (after, upto], in journal order of first appearance."""
    rows = (Journal.objects.filter(entity=entity_code, seq__gt=after, seq__lte=upto)
            .order_by("seq").values_list("key", flat=True).iterator(chunk_size=5000))
    return list(dict.fromkeys(rows))
