"""Pure rules of `jumin extract` (issue #16 items 2 and 3): what a request may ask for, file names, the
manifest's shape, the operation log's gaps. No Django here.

An extraction is one consistent snapshot of the entities a role may extract, one file per entity plus
`manifest.json`. An incremental extraction (`--since`) holds, per entity, the current rows of the keys the
change journal (jumin.core.journal) numbered after the earlier point (upserts, to merge by the entity's key),
and the keys no longer present (deleted rows: 印鑑登録原票 purged after their retention). Merged by key onto the
earlier extraction, it equals a full extraction at the new point (tested).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date

from jumin.core.errors import RuleViolation

PARQUET, CSV = "parquet", "csv"
FORMATS = (PARQUET, CSV)
EXTENSIONS = {PARQUET: "parquet", CSV: "csv"}
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
FULL, INCREMENTAL = "full", "incremental"
ROWS, UPSERTS, DELETED = "rows", "upserts", "deleted"
LOG_ENTITY = "operation_log"   # not journaled: read by its id (append-only), with the gaps listed
AS_OF_ENTITIES = ("residents", "history")
ENTITIES_MAX = 50
# A gap in the operation log's ids below the watermark is a transaction still open at the snapshot (its row will
# appear later) or one rolled back (never). A gap is re-read by every later incremental until the row after it
# is older than this: no transaction in jumin stays open that long (the counter's statement and idle timeouts).
GAP_HORIZON_SECONDS = 3600


def check_format(value) -> str:
    if value not in FORMATS:
        raise RuleViolation(f"出力形式「{str(value)[:20]}」は扱えません。parquet か csv を指定してください。",
                            field="format", code="unknown_format")
    return value


def entity_codes(text: str | None) -> list[str] | None:
    """The codes of `--entities a,b` as given (None: every entity the role may extract). Checked against the
    dictionary by the caller."""
    if text is None:
        return None
    codes = [part.strip() for part in str(text).split(",")]
    codes = [c for c in codes if c]
    if not codes:
        raise RuleViolation("抽出するデータ（--entities）を1つ以上指定してください。", field="entities", code="required")
    if len(codes) > ENTITIES_MAX:
        raise RuleViolation("抽出するデータの指定が多すぎます。", field="entities")
    return list(dict.fromkeys(codes))


def file_name(entity_code: str, fmt: str, kind: str = ROWS) -> str:
    suffix = ".deleted" if kind == DELETED else ""
    return f"{entity_code}{suffix}.{EXTENSIONS[fmt]}"


def partial_name(name: str) -> str:
    """Where a file is written until the whole extraction has succeeded (then renamed; removed on failure)."""
    return f".{name}.partial"


def hidden_digest(pairs, secret: str) -> str:
    """A keyed digest of who is withheld (宛名番号 and 世帯番号 of every 支援措置・照会抑止 person) at a snapshot.

    An incremental extraction that withholds them is exact only while this set stays the same: then a withheld
    person's rows are absent at both points. The digest lets the next run compare the two sets without any
    file naming a withheld person; keyed with the server's secret, so it cannot be tested against a guessed
    宛名番号."""
    mac = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    for number, household in sorted(pairs):
        mac.update(f"{number}:{household}\n".encode("utf-8"))
    return mac.hexdigest()


def ranges(ids) -> list[list[int]]:
    """Sorted integers as closed ranges: [3, 4, 5, 9] → [[3, 5], [9, 9]]."""
    out: list[list[int]] = []
    for value in sorted(set(ids)):
        if out and value == out[-1][1] + 1:
            out[-1][1] = value
        else:
            out.append([value, value])
    return out


def clean_gaps(value) -> list[list[int]]:
    """The operation-log gaps of an earlier manifest ([[lo, hi], …]); anything else is refused."""
    if value in (None, []):
        return []
    if not isinstance(value, list) or len(value) > 100_000:
        raise RuleViolation("前回の manifest.json の operation_log.gaps が正しくありません。", field="since")
    out = []
    for pair in value:
        if (not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                                                    for v in pair) or pair[0] > pair[1]):
            raise RuleViolation("前回の manifest.json の operation_log.gaps が正しくありません。", field="since")
        out.append([pair[0], pair[1]])
    return out


@dataclass
class Since:
    """What an incremental run needs of the earlier extraction (its manifest, or the server's record of it)."""

    point: str
    as_of: date | None = None
    dictionary: str = ""
    individual_number: bool = False
    withheld: bool = True
    hidden_digest: str = ""
    log_watermark: int | None = None
    log_gaps: list[list[int]] = field(default_factory=list)
    source: str = ""


def full_needed(since: Since, *, dictionary: str, as_of: date | None, individual_number: bool, withheld: bool,
                hidden_digest: str) -> str | None:
    """Why the changes since `since` cannot be given as an increment (then the run is a full extraction and the
    manifest says why), or None. Naming nobody: only that the withheld set changed."""
    if since.dictionary and since.dictionary != dictionary:
        return (f"データディクショナリの版が前回（{since.dictionary}）と異なる（{dictionary}）ため、全件を抽出しました。")
    if since.individual_number != individual_number:
        return "個人番号を含めるかどうかが前回と異なるため、全件を抽出しました。"
    if since.withheld != withheld:
        return "支援措置対象者の行を含めるかどうかが前回と異なるため、全件を抽出しました。"
    if withheld and since.hidden_digest != hidden_digest:
        return "前回の抽出の後に支援措置・照会抑止の対象者が変わったため、全件を抽出しました。"
    return None


def check_same_as_of(since: Since, as_of: date | None) -> None:
    if since.as_of != as_of:
        before = since.as_of.isoformat() if since.as_of else "指定なし（現在）"
        now = as_of.isoformat() if as_of else "指定なし（現在）"
        raise RuleViolation(f"基準日（--as-of）が前回の抽出（{before}）と異なります（{now}）。差分は同じ基準日の抽出に"
                            "対してだけ作れます。", field="as_of", code="as_of_differs")
