"""Reading for `jumin extract`: one consistent snapshot of every entity, as the data dictionary describes it.

- `snapshot()`: PostgreSQL — one `REPEATABLE READ READ ONLY` transaction for all entities, the journal point and
  the withheld set (no lock taken, nothing writable, every entity as of the same instant); SQLite — one deferred
  read transaction (WAL: the writers go on, the reader sees one snapshot). A caller already inside a transaction
  (a test) reads in it.
- `entity_rows()`: the rows an extraction holds — the entity's own rows (`Entity.rows()`: e.g. only approved
  changes), as of a day for residents and history, without the rows of 支援措置・照会抑止 persons unless the role
  may see them and asked to (`jumin.restrictions.queries`, the one enforcement module, decides who).
- `batches()`: the rows as Arrow record batches, streamed: on PostgreSQL `COPY (SELECT …) TO STDOUT` parsed by
  Arrow's CSV reader (C++ end to end, a few MB in memory at a time), elsewhere the ORM's chunked iterator.
- the operation log's watermark and gaps (it is not journaled: incremental by id).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from jumin.core.dictionary import Entity, Item
from jumin.core.journal import key_values

CHUNK_ROWS = 20_000          # rows per batch on the ORM path
COPY_BLOCK_BYTES = 8 << 20   # bytes per Arrow CSV block on the COPY path
KEY_BATCH = 2_000            # keys per query of an incremental read

ARROW_TYPES = {
    "string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
    "date": pa.date32(), "datetime": pa.timestamp("us", tz="UTC"), "json": pa.string(), "binary": pa.binary(),
}


@dataclass(frozen=True)
class Column:
    """One output column: the dictionary's item, and the ORM path that reads it from the row source."""

    item: Item
    path: str

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def ja(self) -> str:
        return self.item.ja

    @property
    def arrow_type(self):
        return ARROW_TYPES[self.item.type]


# ------------------------------------------------------------------ the snapshot

@dataclass(frozen=True)
class Snapshot:
    """The open snapshot. `exported`: PostgreSQL's id of it (pg_export_snapshot), with which other connections
    read exactly the same data (`joined`), so entities can be read in parallel; None where that is not possible
    (SQLite, or inside a caller's transaction)."""

    exported: str | None = None


@contextmanager
def snapshot():
    """One consistent read of everything, for the whole extraction (see the module docstring)."""
    if connection.in_atomic_block:      # a caller's transaction (tests): read inside it
        with transaction.atomic():
            yield Snapshot()
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                exported = cursor.fetchone()[0]
            yield Snapshot(exported)
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:   # autocommit mode: our own deferred BEGIN (IMMEDIATE would lock writers)
        cursor.execute("BEGIN DEFERRED")
    try:
        yield Snapshot()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")      # a read transaction: nothing to keep


@contextmanager
def joined(exported: str):
    """In a worker thread (its own connection): a transaction on the exporting transaction's snapshot, so what it
    reads is what the main transaction reads. The exporting transaction stays open until every worker is done."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [exported])
            yield
    finally:
        connection.close()


def estimated_rows(entity: Entity) -> float:
    """The planner's estimate of the entity's table size (PostgreSQL; 0 elsewhere), to start the largest first."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [entity.model._meta.db_table])
        row = cursor.fetchone()
    return float(row[0]) if row else 0.0


# ------------------------------------------------------------------ who is withheld

def withheld_pairs(now: datetime) -> list[tuple[str, str]]:
    """(宛名番号, 世帯番号) of every person a role without VIEW_PROTECTED never sees, at the snapshot."""
    from jumin.register.models import Resident
    from jumin.restrictions.queries import hidden_q

    return list(Resident.objects.filter(hidden_q(now=now)).values_list("addressee_number", "household_number"))


class _WithoutProtectedView:
    """The acting user, seen as one without VIEW_PROTECTED: a role that may see 支援措置 persons but did not ask
    for their rows (no --include-protected) gets the extraction such a role would get, decided by the
    enforcement module's own functions rather than a copy of its rule."""

    def __init__(self, user):
        self._user = user

    def may(self, permission: str) -> bool:
        from jumin.accounts import rules as perms

        return permission != perms.VIEW_PROTECTED and self._user.may(permission)

    def __getattr__(self, name):
        return getattr(self._user, name)


def _json_list(entity: Entity) -> bool:
    field = entity.model._meta.get_field(entity.protected_rows.split("__")[0])
    return field.get_internal_type() == "JSONField"


def withhold(entity: Entity, queryset, *, actor, hidden: set[str], now: datetime):
    """The queryset without the rows of withheld persons (jumin.restrictions.queries decides who)."""
    from jumin.audit.actions import Actor
    from jumin.restrictions.queries import hidden_q, hide_changes

    if entity.code == "changes":   # a change touching a withheld person, or their household, does not exist
        hiding = Actor(user=_WithoutProtectedView(actor.user), terminal=actor.terminal)
        return hide_changes(queryset, hiding, now=now)
    if not entity.protected_rows:
        return queryset
    if _json_list(entity):         # 交付履歴: the 宛名番号 are a JSON list (subjects)
        if not hidden:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.exclude(**{f"{entity.protected_rows}__has_any_keys": sorted(hidden)})
        match = Q()
        for number in sorted(hidden):
            match |= Q(**{f"{entity.protected_rows}__icontains": f'"{number}"'})
        return queryset.exclude(match)
    return queryset.exclude(hidden_q(entity.protected_rows, now=now))


# ------------------------------------------------------------------ the rows of one entity

def history_in_force(on: date):
    """History snapshots that had come into force by `on`: a snapshot counts from the latest 異動日 seen so far in
    the person's history (the rule of register.queries.records_as_of, which gives the one in force on the day)."""
    from jumin.register.models import ResidentHistory

    table = ResidentHistory._meta.db_table
    in_force = RawSQL(
        f"SELECT s.id FROM (SELECT id, MAX(effective_on) OVER (PARTITION BY addressee_number ORDER BY history_number"
        f" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS valid_from FROM {table}) s WHERE s.valid_from <= %s",
        [on],
    )
    return ResidentHistory.objects.filter(id__in=in_force)


AS_OF_LEFT_OUT = "基準日の抽出では、その日の住民票を履歴から作るため、この項目はありません。"


def as_of_columns(entity: Entity, items: list[Item]) -> tuple[list[Column], list[tuple[Item, str]]]:
    """Residents as of a day come from history snapshots: each residents item read from the snapshot's field of
    the same name (the 世帯 link from its 世帯番号); the items a snapshot does not have are left out."""
    from jumin.register.models import ResidentHistory

    have = {f.name for f in ResidentHistory._meta.concrete_fields}
    columns, left_out = [], []
    for item in items:
        if entity.code == "residents" and item.name == "household":
            columns.append(Column(item, "household_number"))
        elif entity.code == "residents" and item.name in ("id",):
            left_out.append((item, AS_OF_LEFT_OUT))
        elif item.name in have:
            columns.append(Column(item, item.path))
        else:
            left_out.append((item, AS_OF_LEFT_OUT))
    return columns, left_out


def entity_rows(entity: Entity, *, as_of: date | None, withheld: bool, actor, hidden: set[str], now: datetime):
    if as_of is not None and entity.code == "residents":
        from jumin.register.queries import records_as_of

        rows = records_as_of(as_of)
    elif as_of is not None and entity.code == "history":
        rows = history_in_force(as_of)
    else:
        rows = entity.rows()
    if withheld:
        rows = withhold(entity, rows, actor=actor, hidden=hidden, now=now)
    return rows


def key_fields(entity: Entity) -> list:
    return [entity.model._meta.get_field(name) for name in entity.key]


def _typed(field, text: str):
    return int(text) if field.get_internal_type() in (
        "AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField") else text


def key_filters(entity: Entity, keys: list[str]) -> Iterator[Q]:
    """Conditions selecting the rows of these journaled keys, a batch of keys at a time."""
    fields = key_fields(entity)
    for start in range(0, len(keys), KEY_BATCH):
        chunk = keys[start:start + KEY_BATCH]
        if len(fields) == 1:
            yield Q(**{f"{fields[0].name}__in": [_typed(fields[0], k) for k in chunk]})
            continue
        match = Q()
        for key in chunk:
            values = key_values(key, len(fields))
            match |= Q(**{f.name: _typed(f, v) for f, v in zip(fields, values)})
        yield match


def present_keys(entity: Entity, keys: list[str]) -> set[str]:
    """Which of these keys still have a row at all (in the model's table, whatever the entity's filters)."""
    from jumin.core.journal import key_text

    names = [f.name for f in key_fields(entity)]
    found: set[str] = set()
    for match in key_filters(entity, keys):
        for values in entity.model._default_manager.filter(match).values_list(*names):
            found.add(key_text(values if len(values) > 1 else values[0]))
    return found


def ordered(rows, entity: Entity):
    return rows.order_by(*entity.key)


# ------------------------------------------------------------------ streaming as Arrow batches

def schema_of(columns: list[Column]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow_type) for c in columns])


class _CopyStream(io.RawIOBase):
    """A readable file over a psycopg COPY … TO STDOUT, for Arrow's streaming CSV reader."""

    def __init__(self, copy):
        self._chunks = iter(copy)
        self._left = b""

    def empty(self) -> bool:
        """Whether the COPY sends no row at all (Arrow's reader refuses an empty file)."""
        while not self._left:
            try:
                self._left = bytes(next(self._chunks))
            except StopIteration:
                return True
        return False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._left:
            try:
                self._left = bytes(next(self._chunks))
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def copy_sql(rows, columns: list[Column]) -> tuple[str, list]:
    """The `COPY (SELECT <the columns>) TO STDOUT` of these rows (PostgreSQL), with its parameters."""
    sql, params = rows.values_list(*[c.path for c in columns]).query.sql_with_params()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", list(params)


def batches(rows, columns: list[Column]) -> Iterator[pa.RecordBatch]:
    """The rows as Arrow record batches of the columns' types, streamed (never a whole entity in memory)."""
    if connection.vendor == "postgresql":
        yield from _copy_batches(rows, columns)
    else:
        yield from _orm_batches(rows, columns)


def _copy_batches(rows, columns: list[Column]) -> Iterator[pa.RecordBatch]:
    sql, params = copy_sql(rows, columns)
    schema = schema_of(columns)
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        stream = _CopyStream(copy)
        if stream.empty():
            return
        reader = pacsv.open_csv(
            io.BufferedReader(stream, buffer_size=1 << 20),
            read_options=pacsv.ReadOptions(column_names=[c.name for c in columns], block_size=COPY_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            # check_utf8 off: the server sends UTF-8 it has validated (server and client encoding UTF8), and the
            # check is 10 % of the parse.
            convert_options=pacsv.ConvertOptions(
                check_utf8=False, column_types={f.name: f.type for f in schema}, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=False, true_values=["t"], false_values=["f"]))
        for batch in reader:
            yield batch.cast(schema) if batch.schema != schema else batch


def _python(value, kind: str):
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if kind == "binary":
        return bytes(value)
    return value


def _orm_batches(rows, columns: list[Column]) -> Iterator[pa.RecordBatch]:
    schema = schema_of(columns)
    kinds = [c.item.type for c in columns]
    chunk: list[tuple] = []

    def batch():
        arrays = [pa.array([_python(row[i], kinds[i]) for row in chunk], type=schema.field(i).type)
                  for i in range(len(columns))]
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    for row in rows.values_list(*[c.path for c in columns]).iterator(chunk_size=CHUNK_ROWS):
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield batch()
            chunk = []
    if chunk:
        yield batch()


# ------------------------------------------------------------------ the operation log (by id, with gaps)

def log_watermark() -> int:
    from jumin.audit.models import OperationLog

    return int(OperationLog.objects.order_by("-id").values_list("id", flat=True).first() or 0)


def log_gaps(spans: list[list[int]], now: datetime, horizon_seconds: int) -> list[list[int]]:
    """The ids in these closed ranges with no row at the snapshot, as closed ranges, less those whose next row
    was written longer ago than the horizon (no transaction is open that long: such an id was rolled back and
    stays empty)."""
    from jumin.audit.models import OperationLog

    table = connection.ops.quote_name(OperationLog._meta.db_table)
    found: list[list[int]] = []
    for low, high in spans:
        if high < low:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id + 1, next_id - 1 FROM (SELECT id, LEAD(id) OVER (ORDER BY id) AS next_id FROM {table}"
                f" WHERE id >= %s AND id <= %s) s WHERE next_id > id + 1 ORDER BY id", [low, high])
            inner = [[int(a), int(b)] for a, b in cursor.fetchall()]
            cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table} WHERE id >= %s AND id <= %s", [low, high])
            first, last = cursor.fetchone()
        if first is None:
            found.append([low, high])
            continue
        if first > low:
            found.append([low, int(first) - 1])
        found += inner
        if last < high:
            found.append([int(last) + 1, high])
    if not found:
        return []
    cutoff = now - timedelta(seconds=horizon_seconds)
    kept = []
    for low, high in found:
        after = OperationLog.objects.filter(id__gt=high).order_by("id").values_list("at", flat=True).first()
        if after is None or after >= cutoff:
            kept.append([low, high])
    return kept


def log_recent_low(now: datetime, horizon_seconds: int) -> int:
    """The first id of the rows written within the horizon before the snapshot: below it, no id can belong to a
    transaction still open (the full extraction lists the gaps from here)."""
    from jumin.audit.models import OperationLog

    cutoff = now - timedelta(seconds=horizon_seconds)
    first = OperationLog.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    return int(first) if first is not None else log_watermark() + 1


def log_since_q(watermark: int, gaps: list[list[int]]) -> Q:
    """Operation-log rows after the earlier watermark, or in one of its gaps."""
    match = Q(id__gt=watermark)
    for low, high in gaps:
        match |= Q(id__gte=low, id__lte=high)
    return match
