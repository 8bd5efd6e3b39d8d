"""`do_extract_data`: one extraction (full or incremental) into a folder, as one action (issue #16 items 2–3).

Order of work, so that a refusal writes nothing and a failure leaves nothing behind:
1. Rights and input (the dictionary decides which entities and items the role may extract: `allowed_items`;
   個人番号 and 支援措置 rows need the right *and* the flag), the folder (empty unless --force), the earlier point.
   Any refusal: a Japanese RuleViolation, logged as `extract.run` refused, nothing written.
2. One snapshot (queries.snapshot): the journal point, who is withheld, every entity streamed into a hidden
   partial file per entity.
3. Only when every file is complete: the manifest is written, the partial files are renamed into place, the
   manifest last. A failure at any step (a full disk: OSError ENOSPC) removes every partial file, writes no
   manifest, leaves an earlier extraction in the folder (--force) as it was, and is logged.
4. The run is logged (`extract.run`): who, the point, the mode, rows per entity, the manifest's digest, and
   what the next incremental run needs (the withheld set's digest, the operation log's watermark and gaps).

The operation log row names no person: a full extraction holds every person the role may see, so the row
says which entities, how many rows and which files (sha256), not 4 million 宛名番号.
"""

from __future__ import annotations

import errno
import json
import os
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
from django.conf import settings
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal
from jumin.core import dictionary, journal
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.core.reference import sha256_of
from jumin.core.wareki import parse_exact_date
from jumin.extract import queries as q
from jumin.extract import rules
from jumin.extract.writers import open_sink

FUNCTION = "extract.run"
SINCE_FILE_MAX_BYTES = 64 << 20
# Entities read at once on PostgreSQL, each by its own connection on the one exported snapshot: the server makes
# one COPY's rows on one core, so two entities in parallel use two (the largest first). 1 = one after another.
WORKERS = max(1, int(os.environ.get("JUMIN_EXTRACT_WORKERS", min(4, os.cpu_count() or 1))))

Progress = Callable[[str, str, str, int], None]   # (event "start"|"rows"|"done", entity code, Japanese, rows)


class ExtractionFailed(RuleViolation):
    default_code = "extract_failed"


class _Stopped(Exception):
    """Another worker failed: this one stops (the first failure is the one raised)."""


# ------------------------------------------------------------------ step 1: what may be extracted


def _plan(actor: Actor, codes: list[str] | None, *, individual_number: bool, protected: bool):
    """[(entity, allowance)] to extract, and the entities left out with why (only when none were named)."""
    role = actor.user
    chosen, left_out = [], []
    named = codes is not None
    for found in ([dictionary.entity(c) for c in codes] if named else dictionary.entities()):
        try:
            allowance = dictionary.allowed_items(found.code, role, individual_number=individual_number,
                                                 protected=protected)
        except PermissionDenied as refusal:
            if named:
                raise
            left_out.append({"entity": found.code, "ja": found.ja, "reason": refusal.message})
            continue
        if not allowance.items:
            reason = "抽出できる項目がありません（" + "、".join(sorted({r for _, r in allowance.left_out})) + "）"
            if named:
                raise RuleViolation(f"「{found.ja}」は{reason}。", field="entities", code="nothing_to_extract")
            left_out.append({"entity": found.code, "ja": found.ja, "reason": reason})
            continue
        chosen.append((found, allowance))
    if not chosen:
        raise PermissionDenied("抽出できるデータがありません（データ抽出の権限と、各データの照会の権限が必要です）。",
                               code="forbidden")
    return chosen, left_out


def _check_flags(actor: Actor, *, individual_number: bool, protected: bool) -> None:
    """Asking for items the role may never extract is refused, not silently dropped."""
    if individual_number and not actor.user.may(perms.VIEW_INDIVIDUAL_NUMBER):
        raise PermissionDenied("個人番号を抽出する権限がありません（--include-individual-number は使えません）。",
                               code="forbidden")
    if protected and not actor.user.may(perms.VIEW_PROTECTED):
        raise PermissionDenied("支援措置対象者を照会する権限がないため、その行・項目は抽出できません"
                               "（--include-protected は使えません）。", code="forbidden")


def _check_out(out, force: bool) -> tuple[Path, bool]:
    """The output folder: created when missing; an existing one must be empty unless --force."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise RuleViolation(f"出力先 {path} はフォルダではありません。", field="out", code="out_not_folder")
    if path.exists():
        if any(path.iterdir()) and not force:
            raise RuleViolation(f"出力先 {path} は空ではありません。空のフォルダを指定するか、上書きしてよいときは"
                                " --force を付けてください。", field="out", code="out_not_empty")
        return path, False
    try:
        path.mkdir(parents=True)
    except OSError as error:
        raise RuleViolation(f"出力先 {path} を作れません（{error.strerror}）。", field="out", code="out_unwritable") \
            from error
    return path, True


def _since_from_manifest(path: Path) -> rules.Since:
    try:
        if path.stat().st_size > SINCE_FILE_MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != rules.FORMAT_VERSION or not isinstance(data.get("snapshot_point"), str):
            raise ValueError("not a manifest")
        as_of = date.fromisoformat(data["as_of"]) if data.get("as_of") else None
        log = data.get("operation_log") or {}
        protected = data.get("protected") or {}
        return rules.Since(
            point=data["snapshot_point"], as_of=as_of, dictionary=str(data.get("dictionary_version") or ""),
            individual_number=bool(data.get("individual_number")), withheld=bool(protected.get("withheld", True)),
            hidden_digest=str(protected.get("digest") or ""),
            log_watermark=log.get("watermark") if isinstance(log.get("watermark"), int) else None,
            log_gaps=rules.clean_gaps(log.get("gaps")),
            source=str(path)), set(data.get("entities") or [])
    except RuleViolation:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise RuleViolation(f"--since の manifest.json（{path}）を読めません。前回の抽出の manifest.json を指定して"
                            "ください。", field="since", code="invalid_since") from error


def _since_from_log(point: str) -> tuple[rules.Since, set[str]]:
    """A bare point: the server's own record of the run that produced it."""
    from jumin.audit.models import OK, OperationLog

    row = OperationLog.objects.filter(function=FUNCTION, outcome=OK, detail__point=point).order_by("-id") \
        .values_list("detail", flat=True).first()
    if not row or row.get("log_gaps_complete") is False:
        raise RuleViolation("この抽出点を作った抽出の記録が見つかりません。前回の抽出の manifest.json を --since に"
                            "指定してください。", field="since", code="unknown_point")
    return rules.Since(
        point=point, as_of=date.fromisoformat(row["as_of"]) if row.get("as_of") else None,
        dictionary=row.get("dictionary") or "", individual_number=bool(row.get("individual_number")),
        withheld=bool(row.get("withheld", True)), hidden_digest=row.get("hidden_digest") or "",
        log_watermark=row.get("log_watermark"), log_gaps=rules.clean_gaps(row.get("log_gaps")),
        source="operation_log"), set(row.get("entity_codes") or [])


def _read_since(value: str) -> tuple[rules.Since, set[str], journal.Point]:
    text = str(value).strip()
    if text.endswith(".json") or Path(text).is_file():
        since, codes = _since_from_manifest(Path(text))
    else:
        since, codes = None, set()
    point = journal.parse_point(since.point if since else text)   # another database or the future: refused
    if since is None:
        since, codes = _since_from_log(str(point))
    return since, codes, point


# ------------------------------------------------------------------ step 2: the snapshot into partial files


class _Run:
    def __init__(self, out: Path, fmt: str, point: str, version: str, progress: Progress | None):
        self.out, self.fmt, self.point, self.version = out, fmt, point, version
        self.progress = progress
        self.partials: list[tuple[Path, Path]] = []     # (partial, final)
        self.files: list[dict] = []
        self.lock = threading.Lock()                    # workers write their files at the same time
        self.stopped = threading.Event()                # set when one of them failed: the others stop too

    def write(self, found: dictionary.Entity, columns: list[q.Column], batches, kind: str) -> int:
        name = rules.file_name(found.code, self.fmt, kind)
        final = self.out / name
        partial = self.out / rules.partial_name(name)
        with self.lock:
            self.partials.append((partial, final))
        metadata = {"jumin.entity": found.code, "jumin.entity_ja": found.ja, "jumin.dictionary": self.version,
                    "jumin.snapshot_point": self.point, "jumin.kind": kind}
        sink = open_sink(self.fmt, partial, columns, metadata)
        label = found.ja + ("（削除）" if kind == rules.DELETED else "")
        if self.progress:
            self.progress("start", found.code, label, 0)
        try:
            for batch in batches:
                if self.stopped.is_set():
                    raise _Stopped()
                sink.write(batch)
                if self.progress:
                    self.progress("rows", found.code, label, sink.rows)
            sink.close()
        except BaseException:
            # Close the stream first: an unfinished COPY holds the connection (psycopg's lock) until it is closed,
            # and the transaction could not even be rolled back.
            close = getattr(batches, "close", None)
            if close is not None:
                close()
            sink.abort()
            raise
        if self.progress:
            self.progress("done", found.code, label, sink.rows)
        entry = {
            "entity": found.code, "ja": found.ja, "file": name, "format": self.fmt, "kind": kind,
            "key": list(found.key), "rows": sink.rows,
            "sha256": sha256_of(partial),
            "columns": [{"name": c.name, "ja": c.ja, "type": c.item.type, "basic": c.item.basic,
                         "sensitivity": c.item.sensitivity} for c in columns],
        }
        with self.lock:
            self.files.append(entry)
        return sink.rows

    def run(self, tasks: list, snapshot: q.Snapshot) -> None:
        """Run the entity tasks: in parallel workers on the exported snapshot where there is one, else here, one
        after another. The first failure stops the others and is raised."""
        if snapshot.exported is None or WORKERS == 1 or len(tasks) == 1:
            for task in tasks:
                task()
            return

        def worker(task):
            with q.joined(snapshot.exported):
                return task()

        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="extract") as pool:
            futures = [pool.submit(worker, task) for task in tasks]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            if any(f.exception() for f in done):
                self.stopped.set()
                for f in futures:
                    f.cancel()
            wait(futures)
        errors = [f.exception() for f in futures if not f.cancelled() and f.exception() is not None]
        first = next((e for e in errors if not isinstance(e, _Stopped)), errors[0] if errors else None)
        if first is not None:
            raise first

    def remove_partials(self) -> None:
        for partial, _ in self.partials:
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass


def _deleted_batch(found: dictionary.Entity, columns: list[q.Column], keys: list[str]) -> pa.RecordBatch:
    arrays = []
    for i, column in enumerate(columns):
        values = [journal.key_values(k, len(columns))[i] for k in keys]
        if column.item.type == "integer":
            values = [int(v) for v in values]
        arrays.append(pa.array(values, type=column.arrow_type))
    return pa.RecordBatch.from_arrays(arrays, schema=q.schema_of(columns))


def _columns(found: dictionary.Entity, allowance, as_of: date | None) -> tuple[list[q.Column], list]:
    if as_of is not None and found.code == "residents":
        return q.as_of_columns(found, allowance.items)
    return [q.Column(item, item.path) for item in allowance.items], []


# ------------------------------------------------------------------ the action


def do_extract_data(out, *, actor: Actor, fmt: str = rules.PARQUET, as_of: str | None = None,
                    entities: str | None = None, since: str | None = None, include_individual_number: bool = False,
                    include_protected: bool = False, force: bool = False, progress: Progress | None = None) -> dict:
    """Extract the entities this user may extract into `out` (see the module docstring); returns the manifest."""
    asked = {"out": str(out)[:200], "format": str(fmt)[:20], "as_of": str(as_of)[:20] if as_of else None,
             "entities": str(entities)[:200] if entities else None, "since": str(since)[:200] if since else None,
             "include_individual_number": bool(include_individual_number),
             "include_protected": bool(include_protected), "force": bool(force)}
    created_dir = False
    try:
        actor.user.require(perms.EXTRACT_DATA)
        fmt = rules.check_format(fmt)
        day = parse_exact_date(as_of, field="as_of", label="基準日") if as_of else None
        _check_flags(actor, individual_number=include_individual_number, protected=include_protected)
        chosen, left_entities = _plan(actor, rules.entity_codes(entities), individual_number=include_individual_number,
                                      protected=include_protected)
        since_info, since_codes, since_point = _read_since(since) if since else (None, set(), None)
        if since_info is not None:
            rules.check_same_as_of(since_info, day)
        instance = journal.instance_id()
        out_dir, created_dir = _check_out(out, force)
    except RuleViolation as refusal:
        log_refusal(actor, FUNCTION, (), message=refusal.message, detail=asked)
        raise

    version = dictionary.version()
    withheld = not dictionary.may_include_protected(actor.user, include_protected)
    individual_number = any(i.sensitivity == dictionary.INDIVIDUAL_NUMBER for _, a in chosen for i in a.items)
    run = None
    try:
        with q.snapshot() as snapshot:
            now = timezone.now()
            point = journal.point()
            seq = journal.current_seq()
            run = _Run(out_dir, fmt, point, version, progress)
            pairs = q.withheld_pairs(now) if withheld else []
            hidden = {number for number, _ in pairs}
            digest = rules.hidden_digest(pairs, settings.SECRET_KEY)
            full_because = None
            if since_info is not None:
                full_because = rules.full_needed(since_info, dictionary=version, as_of=day,
                                                 individual_number=individual_number, withheld=withheld,
                                                 hidden_digest=digest)
            incremental = since_info is not None and full_because is None
            log_info: dict = {}
            items_left_out = []
            tasks = []
            for found, allowance in sorted(chosen, key=lambda pair: -q.estimated_rows(pair[0])):
                columns, as_of_left = _columns(found, allowance, day)
                items_left_out += [{"entity": found.code, "item": i.name, "ja": i.ja, "reason": reason}
                                   for i, reason in list(allowance.left_out) + as_of_left]
                base = q.entity_rows(found, as_of=day, withheld=withheld, actor=actor, hidden=hidden, now=now)
                if found.code == rules.LOG_ENTITY:
                    log_since = since_info if incremental and rules.LOG_ENTITY in since_codes else None
                    tasks.append(lambda found=found, columns=columns, base=base, log_since=log_since: log_info.update(
                        _write_log(run, found, columns, base, now=now, since=log_since)))
                elif incremental and found.code in since_codes:
                    tasks.append(lambda found=found, columns=columns, base=base:
                                 _write_changes(run, found, columns, base, since_point.seq, seq))
                else:   # unordered: the table's own order is the fastest read, and consumers join by the key
                    tasks.append(lambda found=found, columns=columns, base=base:
                                 run.write(found, columns, q.batches(base, columns), rules.ROWS))
            run.run(tasks, snapshot)
            order = {found.code: i for i, (found, _) in enumerate(chosen)}
            run.files.sort(key=lambda f: (order[f["entity"]], f["kind"] == rules.DELETED))
            items_left_out.sort(key=lambda i: order[i["entity"]])
            log_info = log_info or None
            manifest = {
                "format_version": rules.FORMAT_VERSION,
                "dictionary_version": version,
                "database": instance,
                "snapshot_point": point,
                "mode": rules.INCREMENTAL if incremental else rules.FULL,
                "since": str(since_point) if since_point else None,
                "full_because": full_because,
                "as_of": day.isoformat() if day else None,
                "as_of_applies_to": list(rules.AS_OF_ENTITIES) if day else [],
                "created_at": timezone.localtime(now).isoformat(),
                "user": actor.username,
                "role": actor.role,
                "format": fmt,
                "individual_number": individual_number,
                "entities": [found.code for found, _ in chosen],
                "files": run.files,
                "operation_log": log_info,
                "protected": {"withheld": withheld, "excluded_persons": len(hidden), "digest": digest},
                "left_out": {
                    "entities": left_entities,
                    "items": items_left_out,
                    "protected_persons": {
                        "count": len(hidden),
                        "reason": ("支援措置・照会抑止の対象者の行は、支援措置対象者を照会する権限と --include-protected の"
                                   "指定がないため除きました。" if withheld else
                                   "支援措置・照会抑止の対象者の行を含めました（--include-protected）。"),
                    },
                },
            }
        manifest_sha = _commit(run, manifest)
    except RuleViolation as refusal:
        _clean_up(run, out_dir, created_dir)
        log_refusal(actor, FUNCTION, (), message=refusal.message, detail=asked)
        raise
    except OSError as error:
        _clean_up(run, out_dir, created_dir)
        message = (f"出力先 {out_dir} の空き容量が足りないため、抽出を中止しました。書きかけのファイルは削除し、"
                   "manifest.json は作っていません。空き容量を確保してから、もう一度実行してください。"
                   if error.errno == errno.ENOSPC or "No space left" in str(error) else
                   f"出力先 {out_dir} に書き込めないため、抽出を中止しました（{error.strerror or error}）。"
                   "書きかけのファイルは削除し、manifest.json は作っていません。")
        log_refusal(actor, FUNCTION, (), message=message, detail=asked)
        raise ExtractionFailed(message, field="out") from error
    except BaseException:
        _clean_up(run, out_dir, created_dir)
        raise

    gaps = (log_info or {}).get("gaps") or []
    log_operation(actor, FUNCTION, (), individual_number_shown=individual_number, detail={
        **asked, "point": point, "mode": manifest["mode"], "full_because": full_because,
        "as_of": manifest["as_of"], "dictionary": version, "individual_number": individual_number,
        "withheld": withheld, "hidden_digest": digest, "excluded_persons": len(hidden),
        "entity_codes": manifest["entities"],
        "rows": {f"{f['entity']}{'.deleted' if f['kind'] == rules.DELETED else ''}": f["rows"] for f in run.files},
        "log_watermark": (log_info or {}).get("watermark"), "log_gaps": gaps[:100],
        "log_gaps_complete": len(gaps) <= 100, "manifest_sha256": manifest_sha})
    return manifest


def _write_changes(run: _Run, found, columns, base, after: int, upto: int) -> None:
    """An incremental file: the current rows of the keys journaled in (after, upto], and the keys with no row."""
    keys = journal.changed_keys(found.code, after, upto)

    def rows():
        for match in q.key_filters(found, keys):
            yield from q.batches(q.ordered(base.filter(match), found), columns)

    run.write(found, columns, rows(), rules.UPSERTS)
    gone = sorted(set(keys) - q.present_keys(found, keys))
    if gone:
        key_columns = [q.Column(dictionary.item(found.code, name), dictionary.item(found.code, name).path)
                       for name in found.key]
        run.write(found, key_columns, iter([_deleted_batch(found, key_columns, gone)]), rules.DELETED)


def _write_log(run: _Run, found, columns, base, *, now: datetime, since: rules.Since | None) -> dict:
    """The operation log: every row (full) or the rows after the earlier watermark and in its gaps."""
    watermark = q.log_watermark()
    if since is None or since.log_watermark is None:
        run.write(found, columns, q.batches(base, columns), rules.ROWS)
        spans = [[q.log_recent_low(now, rules.GAP_HORIZON_SECONDS), watermark]]
        mode = rules.FULL
    else:
        rows = base.filter(q.log_since_q(since.log_watermark, since.log_gaps))
        run.write(found, columns, q.batches(q.ordered(rows, found), columns), rules.UPSERTS)
        spans = since.log_gaps + [[since.log_watermark + 1, watermark]]
        mode = rules.INCREMENTAL
    gaps = q.log_gaps(spans, now, rules.GAP_HORIZON_SECONDS)
    return {"mode": mode, "watermark": watermark, "since_watermark": since.log_watermark if since else None,
            "gaps": gaps, "gap_horizon_seconds": rules.GAP_HORIZON_SECONDS,
            "note": "操作ログは追記のみのため通番ではなくIDで差分を取る。gaps はスナップショット時点で行のないID"
                    "（未確定の処理か取り消された処理）で、次の差分抽出で読み直す。"}


def _commit(run: _Run, manifest: dict) -> str:
    """The manifest (partial), then every file renamed into place, the manifest last."""
    name = rules.MANIFEST
    partial = run.out / rules.partial_name(name)
    run.partials.append((partial, run.out / name))
    text = json.dumps(manifest, ensure_ascii=False, indent=2)
    with open(partial, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    final_manifest = run.out / name
    final_manifest.unlink(missing_ok=True)      # an earlier extraction (--force): no stale manifest meanwhile
    for source, target in run.partials[:-1]:
        os.replace(source, target)
    os.replace(partial, final_manifest)
    run.partials = []
    return sha256_of(final_manifest)


def _clean_up(run: _Run | None, out_dir: Path, created_dir: bool) -> None:
    if run is not None:
        run.remove_partials()
    if created_dir:
        try:
            out_dir.rmdir()
        except OSError:
            pass
