"""Rebuilding every search key at once: after `jumin generate` or a migration of legacy data.

Streams the register in 宛名番号 order, folds each distinct value once (Folder caches), and loads the keys
with COPY on PostgreSQL (indexes dropped during the load and rebuilt from the catalogue's own DDL, as
`jumin generate` does; the folding in worker processes) or executemany on SQLite.
"""

import multiprocessing
import os
import time

from django.db import connection, connections, transaction

from jumin.register import choices as c
from jumin.register.models import Resident, ResidentHistory
from jumin.search.actions import KEY_COLUMNS, SOURCE_ITEMS, Folder, key_rows
from jumin.search.models import SearchKey

CHUNK = 5000
TABLE = "search_searchkey"


def _copy_text(value) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write(rows: list[tuple]) -> None:
    """Key rows (tuples in KEY_COLUMNS order) straight to the table: no model instances for 20 M rows."""
    if not rows:
        return
    columns = ", ".join(KEY_COLUMNS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
            copy.write("".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows))
    else:
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {TABLE} ({columns}) VALUES ({', '.join(['%s'] * len(KEY_COLUMNS))})", rows)


def reindex_all(progress=None, *, workers: int | None = None) -> dict:
    """Replace every search key, all or nothing: one transaction, so an interrupted run leaves the old keys
    and their indexes as they were (the index definitions are never held only in memory across commits).

    On PostgreSQL the reading and folding — Python, the slow part — runs in `workers` processes (default: the
    cores), each on its own connection over a range of 宛名番号; this process only COPYs their text into the
    one transaction. The processes are forked before that transaction opens, with no connection to inherit.
    Inside a caller's transaction (tests) the same work runs in this process."""
    postgresql = connection.vendor == "postgresql"
    workers = workers or (os.cpu_count() or 1)
    pool = None
    # Workers read committed data on their own connections: only when no transaction is open here (a caller's
    # transaction — a test's, say — holds rows they could not see, and closing its connection would end it).
    if postgresql and workers > 1 and not connection.in_atomic_block:
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    try:
        with transaction.atomic():
            return _reindex_all(progress, pool)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def _worker_start() -> None:
    global _FOLDER
    _FOLDER = Folder()


_FOLDER: Folder | None = None


def _chunk_rows(first: str, last: str, folder: Folder) -> list[tuple]:
    """Key rows of the persons with 宛名番号 in [first, last], from their record and every snapshot."""
    snapshots: dict[str, list[dict]] = {}
    for values in ResidentHistory.objects.filter(addressee_number__gte=first, addressee_number__lte=last) \
            .values("addressee_number", *SOURCE_ITEMS):
        snapshots.setdefault(values["addressee_number"], []).append(values)
    rows = []
    for values in Resident.objects.filter(addressee_number__gte=first, addressee_number__lte=last) \
            .order_by("addressee_number").values("addressee_number", "status", *SOURCE_ITEMS):
        number = values["addressee_number"]
        rows += key_rows(number, snapshots.get(number, []), values, values["status"] == c.RESIDENT, folder)
    return rows


def _chunk_text(bounds: tuple[str, str, int]) -> tuple[str, int, int]:
    """In a worker: (COPY text, persons, keys) of one range."""
    first, last, persons = bounds
    rows = _chunk_rows(first, last, _FOLDER)
    text = "".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows)
    return text, persons, len(rows)


def _ranges(numbers: list[str]) -> list[tuple[str, str, int]]:
    return [(numbers[i], numbers[min(i + CHUNK, len(numbers)) - 1], min(CHUNK, len(numbers) - i))
            for i in range(0, len(numbers), CHUNK)]


def _reindex_all(progress=None, pool=None) -> dict:
    from jumin.register.synthetic import _capture_indexes, _drop_indexes, _recreate_indexes

    started = time.perf_counter()
    postgresql = connection.vendor == "postgresql"
    ddl = []
    if postgresql:
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {TABLE} RESTART IDENTITY")
        ddl = _capture_indexes(connection, [TABLE])
        _drop_indexes(connection, ddl)
    else:
        SearchKey.objects.all().delete()
    numbers = list(Resident.objects.order_by("addressee_number").values_list("addressee_number", flat=True))
    persons = keys = 0
    if pool is not None:
        with connection.cursor() as cur:
            for text, count, written in pool.imap(_chunk_text, _ranges(numbers)):
                with cur.copy(f"COPY {TABLE} ({', '.join(KEY_COLUMNS)}) FROM STDIN") as copy:
                    copy.write(text)
                persons += count
                keys += written
                if progress:
                    progress(persons, keys, time.perf_counter() - started)
    else:
        folder = Folder()
        for first, last, count in _ranges(numbers):
            rows = _chunk_rows(first, last, folder)
            _write(rows)
            persons += count
            keys += len(rows)
            if progress:
                progress(persons, keys, time.perf_counter() - started)
    if ddl:
        _recreate_indexes(connection, ddl)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {TABLE}" if postgresql else "ANALYZE")
    return {"persons": persons, "keys": keys, "seconds": round(time.perf_counter() - started, 1)}
