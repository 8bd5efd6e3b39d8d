"""Rebuilding every search key at once: after `jumin generate` or a migration of legacy data.

Streams the register in 宛名番号 order, folds each distinct value once (Folder caches), and loads the keys
with COPY on PostgreSQL (indexes dropped during the load and rebuilt from the catalogue's own DDL, as
`jumin generate` does) or executemany on SQLite.
"""

import time

from django.db import connection, transaction

from jumin.register import choices as c
from jumin.register.models import Resident, ResidentHistory
from jumin.search.actions import SOURCE_ITEMS, Folder, rows_for
from jumin.search.models import SearchKey

CHUNK = 5000
TABLE = "search_searchkey"
COLUMNS = ["addressee_number", "kind", "key", "current", "living", "sort"]


def _copy_text(value) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write(rows: list[SearchKey]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            copy.write("".join("\t".join(_copy_text(getattr(r, col)) for col in COLUMNS) + "\n" for r in rows))
    else:
        SearchKey.objects.bulk_create(rows, batch_size=5000)


def reindex_all(progress=None) -> dict:
    """Replace every search key, all or nothing: one transaction, so an interrupted run leaves the old keys
    and their indexes as they were (the index definitions are never held only in memory across commits)."""
    with transaction.atomic():
        return _reindex_all(progress)


def _reindex_all(progress=None) -> dict:
    from jumin.register.synthetic import _capture_indexes, _drop_indexes, _recreate_indexes

    started = time.perf_counter()
    folder = Folder()
    postgresql = connection.vendor == "postgresql"
    ddl = []
    with transaction.atomic():
        if postgresql:
            with connection.cursor() as cur:
                cur.execute(f"TRUNCATE {TABLE} RESTART IDENTITY")
            ddl = _capture_indexes(connection, [TABLE])
            _drop_indexes(connection, ddl)
        else:
            SearchKey.objects.all().delete()
    persons = keys = 0
    last = ""
    while True:
        with transaction.atomic():
            current = list(Resident.objects.filter(addressee_number__gt=last).order_by("addressee_number")
                           .values("addressee_number", "status", *SOURCE_ITEMS)[:CHUNK])
            if not current:
                break
            numbers = [v["addressee_number"] for v in current]
            snapshots: dict[str, list[dict]] = {}
            for values in ResidentHistory.objects.filter(addressee_number__gte=numbers[0],
                                                         addressee_number__lte=numbers[-1]) \
                    .values("addressee_number", *SOURCE_ITEMS):
                snapshots.setdefault(values["addressee_number"], []).append(values)
            rows = []
            for values in current:
                number = values["addressee_number"]
                rows += rows_for(number, snapshots.get(number, []), values, values["status"] == c.RESIDENT, folder)
            _write(rows)
        persons += len(current)
        keys += len(rows)
        last = numbers[-1]
        if progress:
            progress(persons, keys, time.perf_counter() - started)
    if ddl:
        _recreate_indexes(connection, ddl)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {TABLE}" if postgresql else "ANALYZE")
    return {"persons": persons, "keys": keys, "seconds": round(time.perf_counter() - started, 1)}
