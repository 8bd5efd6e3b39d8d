"""The files of an extraction: Parquet (pyarrow) or CSV (jumin.core.csvfile), one per entity.

Parquet: the dictionary's code names as column names; each field's metadata carries the Japanese name, the
基本データリスト name, the type and the sensitivity class, and the file's metadata the entity, the dictionary
version and the snapshot point — so DuckDB, pandas or Spark read a self-describing file. Row groups of about
`ROW_GROUP_ROWS` rows, zstd-compressed. Dictionary encoding only for the items with a code table and the booleans:
on names, addresses and numbers it is tried, found too large and dropped for plain encoding page after page, which
costs time for nothing (history at Sendai scale: 20 % faster to write and 12 % smaller, docs/performance.md).

CSV: through the project's one CSV writer (RFC 4180, CRLF, formula-safe cells), UTF-8 **without a BOM** — these
files are for programs (DuckDB, pandas, a DWH loader), which read a BOM as part of the first header; the
downloads a person opens in Excel (EUC) carry one. The header row is the dictionary's Japanese names. Dates are
ISO 8601, times ISO 8601 in Japan time with their offset, booleans true/false, JSON items as JSON text. IVS
(異体字セレクタ) and every other character are written as they are, in UTF-8.

Each file is written under a hidden partial name and only renamed once the whole extraction has succeeded
(actions.py), so a failure — a full disk — leaves neither a half file nor a manifest.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.utils import timezone

from jumin.core.csvfile import write_csv
from jumin.core.reference import sha256_of
from jumin.extract.queries import Column, schema_of

ROW_GROUP_ROWS = 256_000
COMPRESSION = "zstd"


def _field_metadata(column: Column) -> dict[bytes, bytes]:
    item = column.item
    meta = {"ja": item.ja, "type": item.type, "sensitivity": item.sensitivity, "source": item.source}
    if item.basic:
        meta["basic"] = item.basic
    return {k.encode(): v.encode("utf-8") for k, v in meta.items()}


class ParquetSink:
    def __init__(self, path: Path, columns: list[Column], metadata: dict[str, str]):
        fields = [pa.field(c.name, c.arrow_type, metadata=_field_metadata(c)) for c in columns]
        self.schema = pa.schema(fields, metadata={k.encode(): v.encode("utf-8") for k, v in metadata.items()})
        self.path = path
        self.rows = 0
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        coded = [c.name for c in columns if c.item.codes or c.item.type == "boolean"]
        self._writer = pq.ParquetWriter(str(path), self.schema, compression=COMPRESSION, use_dictionary=coded)

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self.rows += batch.num_rows
        if self._pending_rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            table = pa.Table.from_batches(self._pending).cast(self.schema)
            self._writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
            self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def abort(self) -> None:
        try:
            self._writer.close()
        except Exception:  # noqa: BLE001 - the file is removed anyway
            pass


def _cell(value, kind: str):
    """One CSV cell as the module docstring says (then made formula-safe by core.csvfile)."""
    if value is None:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "datetime":
        return timezone.localtime(value).isoformat() if isinstance(value, datetime) else str(value)
    if kind == "date":
        return value.isoformat()
    if kind in ("integer", "number"):
        return value
    return str(value)


class CsvSink:
    def __init__(self, path: Path, columns: list[Column], metadata: dict[str, str]):
        self.path = path
        self.rows = 0
        self._kinds = [c.item.type for c in columns]
        self._file = open(path, "w", encoding="utf-8", newline="")
        write_csv([], [c.ja for c in columns], self._file)

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        kinds = self._kinds
        rows = ([_cell(columns[i][r], kinds[i]) for i in range(len(columns))] for r in range(batch.num_rows))
        write_csv(rows, None, self._file)
        self.rows += batch.num_rows

    def close(self) -> None:
        self._file.close()

    def abort(self) -> None:
        try:
            self._file.close()
        except OSError:
            pass


SINKS = {"parquet": ParquetSink, "csv": CsvSink}


def open_sink(fmt: str, path: Path, columns: list[Column], metadata: dict[str, str]):
    return SINKS[fmt](path, columns, metadata)


__all__ = ["open_sink", "schema_of", "ParquetSink", "CsvSink"]
