"""The outbox (issue #18 item 1): every approved change — a 異動, a 職権修正, a 取消 — writes one linkage event per
person in the change's own transaction (the register's `snapshots_written`, sent by apply_plan), numbered gap-free
per municipality. Drafts write nothing (apply_plan runs on approval only); a rolled-back change leaves no event and
no gap. 抑止 and its 一時解除 are not register changes and are never sent (standard-spec §4.6)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from jumin.core.db import insert_rows
from jumin.core.models import advance_sequence, current_municipality
from jumin.linkage import rules
from jumin.linkage.models import LinkageEvent
from jumin.core.signals import non_resident_written, person_flags_changed
from jumin.linkage.deliveries import do_record_delivery
from jumin.register.actions.base import snapshots_written
from jumin.register.models import ITEM_FIELDS


def series(municipality: str) -> str:
    """The municipality's event counter (core.NumberSequence): one gap-free sequence per municipality."""
    return f"linkage:{municipality}"


def take_numbers(municipality: str, count: int) -> int:
    """The first of `count` new event numbers of the municipality (the row lock orders them by commit)."""
    return advance_sequence(series(municipality), count) - count + 1


def write_events(change, persons, *, operator: str) -> list[LinkageEvent]:
    """One event per (items before or None, snapshot written) of an approved change. Caller holds the transaction."""
    if not persons:
        return []
    municipality = current_municipality().code
    first = take_numbers(municipality, len(persons))
    now = timezone.now()
    events = [LinkageEvent(
        municipality=municipality, seq=first + i, change_id=change.pk, change_kind=change.kind,
        reason_code=snapshot.reason_code, addressee_number=snapshot.addressee_number,
        household_number=snapshot.household_number, history_number=snapshot.history_number,
        effective_on=snapshot.effective_on, effective_on_text=snapshot.effective_on_text or "", recorded_at=now,
        operator=operator[:150], before=rules.item_values(before, ITEM_FIELDS),
        after=rules.item_values({name: getattr(snapshot, name) for name in ITEM_FIELDS}, ITEM_FIELDS))
        for i, (before, snapshot) in enumerate(persons)]
    # Plain multi-row INSERT (core.db.insert_rows): on PostgreSQL bulk_create binds each column as an array, and
    # quoting the before/after JSON arrays client-side cost ~5 ms of a 4-person 転居's ~40 ms (bench/linkage.py).
    insert_rows(LinkageEvent, [{f.name: getattr(e, f.name) for f in LinkageEvent._meta.concrete_fields
                                if not f.primary_key} for e in events])
    return events


@receiver(snapshots_written)
def _on_snapshots_written(sender, change, persons, actor, **kwargs):
    write_events(change, persons, operator=str(getattr(actor, "username", "") or ""))


def _insert_events(rows: list[dict]) -> None:
    """Number and write events that are not a register change (住登外者, flags): the same counter, the same table."""
    if not rows:
        return
    municipality = current_municipality().code
    first = take_numbers(municipality, len(rows))
    now = timezone.now()
    insert_rows(LinkageEvent, [{"municipality": municipality, "seq": first + i, "change_id": 0, "recorded_at": now,
                                "household_number": "", "effective_on_text": "", **row}
                               for i, row in enumerate(rows)])


@receiver(non_resident_written)
def _on_non_resident_written(sender, persons, actor, **kwargs):
    """住登外者 (issue #18 item 1): one event per snapshot, its items before and after by the dictionary's names of
    the 住登外者 entity (the names the register shares — 氏名, 生年月日, 住所 … — are the same)."""
    from jumin.addressees.models import NonResidentHistory, NonResidentItems

    names = [f.name for f in NonResidentItems._meta.concrete_fields if f.name != "id"]
    # The snapshots written and the ones before them, by 宛名番号 in chunks (an import sends many persons at once: one
    # OR term per person would make one query grow with the file).
    wanted = {(number, h) for number, history in persons for h in (history - 1, history)}
    numbers = sorted({number for number, _ in persons})
    found = {}
    for start in range(0, len(numbers), 900):
        for h in NonResidentHistory.objects.filter(addressee_number__in=numbers[start:start + 900]):
            if (h.addressee_number, h.history_number) in wanted:
                found[(h.addressee_number, h.history_number)] = h
    operator = str(getattr(actor, "username", "") or "")[:150]
    rows = []
    for number, history in persons:
        snapshot, before = found[(number, history)], found.get((number, history - 1))
        rows.append({"subject": LinkageEvent.NON_RESIDENT, "change_kind": "non_resident",
                     "reason_code": snapshot.reason_code, "addressee_number": number, "history_number": history,
                     "effective_on": snapshot.effective_on, "operator": operator,
                     "before": rules.item_values({n: getattr(before, n) for n in names} if before else None,
                                                 names),
                     "after": rules.item_values({n: getattr(snapshot, n) for n in names}, names)})
    _insert_events(rows)


FLAG_LABELS = {"protection": "支援措置", "restriction": "抑止", "seal": "印鑑登録"}


def flag_values(flag: str, numbers: list[str]) -> dict[str, bool]:
    """The flag of each person as it is now, in the caller's transaction (after the change that sent it)."""
    if flag == "protection":
        from jumin.restrictions.queries import active_orders
        from jumin.restrictions.models import ProtectedPerson, ACTIVE

        on = set(active_orders().filter(addressee_number__in=numbers).values_list("addressee_number", flat=True))
        on |= set(ProtectedPerson.objects.filter(order__status=ACTIVE, addressee_number__in=numbers)
                  .values_list("addressee_number", flat=True))
    elif flag == "restriction":
        from jumin.restrictions.queries import restriction_flags

        on = set(restriction_flags(numbers))
    else:
        from jumin.seals.models import SealRegistration
        from jumin.seals.rules import ACTIVE as SEAL_ACTIVE

        on = set(SealRegistration.objects.filter(addressee_number__in=numbers, status=SEAL_ACTIVE)
                 .values_list("addressee_number", flat=True))
    return {n: n in on for n in numbers}


@receiver(person_flags_changed)
def _on_flags_changed(sender, flag, addressee_numbers, reason, actor, operator=None, **kwargs):
    """支援措置・抑止・印鑑登録 (issue #18 item 1): one event per person with the flag as it now is
    ({"支援措置": true}); a 抑止's 一時解除 sends nothing (standard-spec §4.6)."""
    numbers = sorted({n for n in addressee_numbers if n})
    values = flag_values(flag, numbers)
    operator = str(operator or getattr(actor, "username", "") or "")[:150]
    label = FLAG_LABELS[flag]
    _insert_events([{"subject": LinkageEvent.FLAG, "change_kind": f"flag.{flag}", "reason_code": reason[:40],
                     "addressee_number": n, "history_number": 0, "effective_on": timezone.localdate(),
                     "operator": operator, "before": None, "after": {label: values[n]}} for n in numbers])


# ------------------------------------------------------------------ 連携先 (issue #18 item 2)

ADD_CLIENT, REVOKE_CLIENT = "linkage.client.add", "linkage.client.revoke"


def _fernet():
    """The key that seals client secrets, derived from the server's SECRET_KEY (docs/adr/0004)."""
    import base64
    import hashlib

    from cryptography.fernet import Fernet
    from django.conf import settings

    digest = hashlib.sha256(f"jumin-linkage-client-secret:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()


def register_items() -> dict[str, str]:
    """The items a 連携先 may receive: the data dictionary's items of the 住民票 (entity residents)."""
    from jumin.core.dictionary import entity

    return {i.name: i.ja for i in entity("residents").items}


hash_secret = rules.hash_secret


def do_add_linkage_client(data: dict, *, actor) -> tuple:
    """Register a 連携先: its items checked against the dictionary and the 個人番号 against the 番号利用事務 table;
    a client ID ("<業務ID>-<n>") and a secret, returned once (only its hash is kept)."""
    import secrets

    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core import businesses
    from jumin.linkage.models import LinkageClient

    require_permission(actor, perms.MANAGE_LINKAGE, ADD_CLIENT)
    with logged_refusals(actor, ADD_CLIENT, detail={"business": str(data.get("business") or "")[:10]}):
        if data.get("character_map_file") is not None:
            data = {**data, "character_map": read_character_map_file(data["character_map_file"])}
        cleaned = rules.clean_client(data, known_items=register_items(), number_use=businesses.NUMBER_USE,
                                     business_names=businesses.NAMES)
        secret = secrets.token_urlsafe(32)
        with transaction.atomic():
            taken = LinkageClient.objects.select_for_update().filter(business=cleaned["business"]).count()
            client = LinkageClient.objects.create(
                **cleaned, client_id=f"{cleaned['business']}-{taken + 1:02d}", secret_hash=hash_secret(secret),
                secret_sealed=seal(secret),
                created_at=timezone.now(), created_by=str(actor.username)[:150])
            log_operation(actor, ADD_CLIENT, [], detail={"client_id": client.client_id, "items": cleaned["items"],
                                                         "removed": cleaned["receives_removed"],
                                                         "protected": cleaned["receives_protected"],
                                                         "charset": cleaned["charset"],
                                                         "character_map": len(cleaned["character_map"])})
    return client, secret


def read_character_map_file(data: bytes) -> dict[str, str]:
    """A municipality's character map file (CSV: 元の文字,置き換える文字), read whole or refused with each line."""
    import csv
    import io

    lines, problems = rules.decode_file(data)
    mapping, problems = rules.read_character_map(list(csv.reader(io.StringIO("\n".join(lines))))) \
        if not problems else ({}, problems)
    if problems:
        _refuse_file(problems, "文字の対応表")
    return mapping


def do_revoke_linkage_client(client_id: str, *, actor):
    """A revoked 連携先 gets no token and no data from now on; its row and its deliveries stay."""
    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core.errors import NotFound, RuleViolation
    from jumin.linkage.models import LinkageClient

    require_permission(actor, perms.MANAGE_LINKAGE, REVOKE_CLIENT)
    with logged_refusals(actor, REVOKE_CLIENT, detail={"client_id": str(client_id)[:40]}):
        with transaction.atomic():
            client = LinkageClient.objects.select_for_update().filter(client_id=str(client_id)[:40]).first()
            if client is None:
                raise NotFound(f"連携先 {str(client_id)[:40]} は登録されていません。", field="client_id")
            if client.revoked_at:
                raise RuleViolation(f"連携先 {client.client_id} はすでに失効しています。", code="already_revoked")
            client.revoked_at = timezone.now()
            client.save(update_fields=["revoked_at"])
            log_operation(actor, REVOKE_CLIENT, [], detail={"client_id": client.client_id})
    return client


# ------------------------------------------------------------------ file linkage (issue #18 item 4)

EXPORT = "linkage.export"
KIND_LABELS = {False: "通常", True: "支援措置（項目を伏せる）"}


def _last_delivered(client) -> int | None:
    from jumin.linkage.models import LinkageRun

    run = client.runs.filter(ok=True).order_by("-to_seq", "-pk").first()
    return run.to_seq if run else None


def _cell(value):
    return "" if value is None else value


def _write_file(directory: str, name: str, header: list[str], rows: list[list], *,
                charset: str = "utf-8") -> tuple[str, int]:
    """The CSV (core/csvfile: UTF-8 with BOM, CRLF — or CP932 for a 連携先 that needs it, its cells already
    converted by `_to_charset`) written whole into its place — a directory or an S3 bucket (linkage/storage.py) — so a
    reader never sees half a file; then one manifest line (file, rows, SHA-256). Returns the SHA-256."""
    import hashlib

    from jumin.core.csvfile import iter_csv, iter_csv_cp932
    from jumin.linkage import storage

    data = b"".join(iter_csv_cp932(rows, header) if charset == "cp932" else iter_csv(rows, header))
    digest = hashlib.sha256(data).hexdigest()
    storage.put(directory, name, data)
    storage.add_to_manifest(directory, name, len(rows), digest)
    return digest, len(data)


def _to_charset(client, header: list[str], rows: list[list], key_column: int) -> list[list]:
    """The cells of a CP932 連携先's file converted (rules.to_cp932: its own map, the MJ縮退マップ, the base character,
    〓); returns the exceptions file's rows — one per character replaced: the file's line, the event number or
    宛名番号, the item, the original with its code points, the replacement and how. The rows are changed in place."""
    from jumin.search.variants import load_variant_map

    variants = load_variant_map()
    exceptions = []
    for line, row in enumerate(rows, start=2):
        for column, value in enumerate(row):
            if not isinstance(value, str) or not value:
                continue
            text, replaced = rules.to_cp932(value, local_map=client.character_map, variants=variants)
            row[column] = text
            for original, target, how in replaced:
                exceptions.append([line, row[key_column], header[column], original,
                                   " ".join(f"U+{ord(c):04X}" for c in original), target, how])
    return exceptions


EXCEPTIONS_HEADER = ["行", "通番・宛名番号", "項目", "元の文字", "コード", "置き換えた文字", "方法"]


def do_export_files(client_id: str, *, actor, full: bool = False):
    """One file linkage run for a 連携先 (`jumin linkage export`): `full` — every current record (除票 too if the
    連携先 receives them) with its items, as of the newest event number; otherwise the events after the last
    successful run (rules.delivered decides each line, as in the REST feed). Written to the 連携先's directory;
    an unreachable directory records a failed run and advances nothing, so the next run sends it all again.
    Returns the run (rows 0 and no file when there is nothing new)."""
    from django.db import connection, transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core.dictionary import entity
    from jumin.core.errors import NotFound, RuleViolation
    from jumin.linkage.models import LinkageClient, LinkageEvent, LinkageRun
    from jumin.linkage.queries import EVENT_FIELDS, entries_for, protected_numbers
    from jumin.register.models import Resident

    require_permission(actor, perms.MANAGE_LINKAGE, EXPORT)
    with logged_refusals(actor, EXPORT, detail={"client_id": str(client_id)[:40], "full": full}):
        client = LinkageClient.objects.filter(client_id=str(client_id)[:40], revoked_at__isnull=True).first()
        if client is None:
            raise NotFound(f"有効な連携先 {str(client_id)[:40]} はありません。", field="client_id")
        if "file" not in client.methods or not client.directory:
            raise RuleViolation(f"連携先 {client.client_id} はファイル連携の設定がありません。", field="client_id",
                                code="no_file_linkage")
    labels = {i.name: i.ja for i in entity("residents").items}
    municipality = current_municipality().code
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:   # the records and the event number from one snapshot
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        last = LinkageEvent.objects.filter(municipality=municipality).order_by("-seq") \
            .values_list("seq", flat=True).first() or 0
        start = 0 if full else (_last_delivered(client) or 0)
        if full:
            records = Resident.objects.order_by("addressee_number")
            if not client.receives_removed:
                records = records.filter(status="resident")
            values = list(records.values("addressee_number", *client.items))
            hidden = protected_numbers({v["addressee_number"] for v in values})
            header = ["区分", "宛名番号", *[labels[i] for i in client.items]]
            rows = []
            for v in values:
                masked = v["addressee_number"] in hidden
                if masked and not client.receives_protected:
                    continue
                items = rules.item_values(v, client.items)
                rows.append([KIND_LABELS[masked], v["addressee_number"],
                             *[("" if masked else _cell(items[i])) for i in client.items]])
            shown = []
        else:
            events = list(LinkageEvent.objects.filter(municipality=municipality, seq__gt=start).order_by("seq")
                          .values(*EVENT_FIELDS))
            header = ["通番", "区分", "異動の種類", "異動事由", "宛名番号", "異動年月日", "記録日時",
                      *[labels[i] for i in client.items]]
            rows, shown = [], []
            for d in entries_for(client, events):        # each line decided as the REST feed decides it
                if d["withheld"]:
                    rows.append([d["seq"], "対象外", "", "", "", "", "", *[""] * len(client.items)])
                    continue
                shown.append(d["addressee_number"])
                after = d["after"] or {}
                rows.append([d["seq"], KIND_LABELS[d["restricted"]], d["kind"], d["reason_code"],
                             d["addressee_number"], _cell(d["effective_on"]), d["recorded_at"],
                             *[_cell(after.get(i)) for i in client.items]])
    now = timezone.now()
    run = LinkageRun(client=client, kind=LinkageRun.FULL if full else LinkageRun.DIFFERENTIAL, from_seq=start,
                     to_seq=last, rows=len(rows), at=now)
    if not full and not rows:
        run.ok = True
        run.save()
        return run
    run.file_name = f"{client.client_id}_{run.kind}_{start:012d}-{last:012d}_{now:%Y%m%d%H%M%S}.csv"
    exceptions = _to_charset(client, header, rows, 1 if full else 0) if client.charset == "cp932" else []
    try:
        run.sha256, _ = _write_file(client.directory, run.file_name, header, rows, charset=client.charset)
        if exceptions:
            _write_file(client.directory, run.file_name.replace(".csv", ".exceptions.csv"), EXCEPTIONS_HEADER,
                        exceptions)
        run.ok = True
    except OSError as error:
        run.message = f"ファイルを書けませんでした（{client.directory}）: {error.strerror or error}"[:500]
        run.file_name = ""
    run.save()
    detail = {"client": client.client_id, "run": run.pk, "kind": run.kind, "from": start, "to": last,
              "rows": run.rows, "sha256": run.sha256, "ok": run.ok}
    if run.ok:
        do_record_delivery(client, "file", from_seq=start, to_seq=last, events=len(rows),
                           sha256=run.sha256, acknowledged=last)
        log_operation(actor, EXPORT, sorted(set(shown)), individual_number_shown="individual_number" in client.items,
                      detail=detail)
    else:
        from jumin.audit.actions import log_refusal

        log_refusal(actor, EXPORT, message=run.message, detail=detail)
    return run


ROTATE_CLIENT = "linkage.client.rotate"


def do_rotate_linkage_secret(client_id: str, *, actor) -> tuple:
    """A new secret for a 連携先 (printed once); the old one stops working at once, with every token it obtained."""
    import secrets

    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core.errors import NotFound
    from jumin.linkage.models import LinkageClient

    require_permission(actor, perms.MANAGE_LINKAGE, ROTATE_CLIENT)
    with logged_refusals(actor, ROTATE_CLIENT, detail={"client_id": str(client_id)[:40]}):
        with transaction.atomic():
            client = LinkageClient.objects.select_for_update().filter(client_id=str(client_id)[:40],
                                                                      revoked_at__isnull=True).first()
            if client is None:
                raise NotFound(f"有効な連携先 {str(client_id)[:40]} はありません。", field="client_id")
            secret = secrets.token_urlsafe(32)
            client.secret_hash, client.secret_sealed = hash_secret(secret), seal(secret)
            client.save(update_fields=["secret_hash", "secret_sealed"])
            client.tokens.filter(revoked=False).update(revoked=True)
            log_operation(actor, ROTATE_CLIENT, [], detail={"client_id": client.client_id})
    return client, secret


# ------------------------------------------------------------------ 住基ネット CS files (issue #18 item 7)

LOAD_CODES, READ_KOSEKI = "linkage.cs.resident_codes", "linkage.cs.koseki_notices"


def _refuse_file(problems, what: str):
    from jumin.core.errors import FileRefused

    raise FileRefused(f"{what}に {len(problems)} 件の誤りがあるため、ファイル全体を取り込みませんでした。"
                      "誤りを直したファイルをもう一度取り込んでください。", problems)


def do_load_resident_codes(data: bytes, *, source: str, actor) -> tuple[int, int]:
    """住民票コードの在庫 from CS's file (standard-spec §4.3): every line checked (11 digits, check digit, no
    duplicate in the file, in the pool or on any record) before one code is stored; any fault refuses the whole
    file with every line's fault. Returns (codes loaded, free codes now)."""
    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core.check_digits import is_valid_resident_code
    from jumin.register.actions.resident_codes import colliding_codes, free_codes, stock_resident_codes

    require_permission(actor, perms.MANAGE_CS, LOAD_CODES)
    with logged_refusals(actor, LOAD_CODES, detail={"source": source[:200]}):
        codes, problems = rules.read_code_file(data, is_valid=is_valid_resident_code)
        with transaction.atomic():
            if not problems:
                taken = colliding_codes(codes)
                line_of = {code: n for n, code in _code_lines(data)}
                problems = [(line_of.get(code, 0), code, why) for code, why in taken.items()]
                problems.sort()
            if problems:
                _refuse_file(problems, "住民票コードのファイル")
            loaded = stock_resident_codes(codes, source=source, loaded_by=str(actor.username))
            left = free_codes()
            log_operation(actor, LOAD_CODES, [], detail={"source": source[:200], "codes": loaded, "free": left,
                                                         "sha256": _sha256(data)})
    return loaded, left


def _code_lines(data: bytes):
    for number, raw in enumerate(data.decode("utf-8-sig").splitlines(), start=1):
        yield number, raw.strip()


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _notice_params(notice: dict) -> tuple[str, dict]:
    """The register change a 戸籍届出通知 becomes (rules.NOTICE_KINDS), as the counter would enter it: 職権, with the
    notice named in the reason, keyed so a notice read twice is one draft."""
    kind = notice["届出の種類"]
    change_kind = rules.NOTICE_KINDS[kind][0]
    reason = f"戸籍届出通知（{kind}、通知番号 {notice['通知番号']}）による職権{'消除' if change_kind == 'death' else '修正'}"
    if notice["備考"]:
        reason += f"　{notice['備考']}"
    params = {"addressee_number": notice["宛名番号"], "effective_on": notice["効力発生日"],
              "notified_on": notice["届出年月日"], "reason": reason[:500], "ex_officio": True,
              "idempotency_key": f"koseki:{notice['通知番号']}"}
    if change_kind == "correction":
        params["correction_kind"] = "ex_officio_correction"
        params["items"] = {item: notice[column] for column, item in rules.NOTICE_ITEMS.items() if notice[column]}
    return change_kind, params


def _csv_rows(data: bytes):
    """(CSV rows, problems) of a UTF-8 file; undecodable bytes are one problem and no rows."""
    import csv
    import io

    lines, problems = rules.decode_file(data)
    return (list(csv.reader(io.StringIO("\n".join(lines)))) if not problems else []), problems


def _draft_notices(units: list[dict], *, source_kind: str, source: str, digest: str, actor, function: str) -> list:
    """Each unit of a read file (a notice: its number, kind, 宛名番号, line, content, and the change it becomes) as a
    draft for a clerk, or 要確認 with the register's message; a number already read is skipped. One transaction;
    the read is logged with what it made. Returns the InboundNotice rows written."""
    from django.db import transaction

    from jumin.audit.actions import log_operation
    from jumin.core.errors import RuleViolation
    from jumin.linkage.models import InboundNotice
    from jumin.register.actions.base import submit

    done = set(InboundNotice.objects.filter(notice_number__in=[u["number"] for u in units])
               .values_list("notice_number", flat=True))
    written = []
    now = timezone.now()
    with transaction.atomic():
        for unit in units:
            if unit["number"] in done:
                continue
            row = InboundNotice(notice_number=unit["number"], source_kind=source_kind, kind=unit["kind"],
                                addressee_number=unit["addressee_number"], source=source[:200], source_sha256=digest,
                                line=unit["line"], content=unit["content"], read_at=now,
                                read_by=str(actor.username)[:150])
            try:
                unit["check"]()
                change = submit(unit["change_kind"], unit["params"], actor=actor, draft=True)
                row.status, row.change_id = InboundNotice.DRAFT, change.pk
            except RuleViolation as refusal:
                alerts = "／".join(alert.message for alert in getattr(refusal, "alerts", ()))
                row.status = InboundNotice.NEEDS_CLERK
                row.message = (f"{refusal.message}（{alerts}）" if alerts else refusal.message)[:500]
            row.save()
            written.append(row)
        log_operation(actor, function, [r.addressee_number for r in written if r.addressee_number], detail={
            "source": source[:200], "sha256": digest, "drafts": sum(r.status == InboundNotice.DRAFT for r in written),
            "needs_clerk": sum(r.status == InboundNotice.NEEDS_CLERK for r in written), "already_read": len(done)})
    return written


def do_read_koseki_notices(data: bytes, *, source: str, actor) -> list:
    """戸籍届出通知 from the 戸籍 system's file (法第9条第2項; issue #18 item 7c) become drafts for a clerk to review —
    never applied. A malformed file is refused whole with every line's fault and nothing kept. A well-formed notice
    the register cannot take as it stands (the person is not a resident here, the 生年月日 differs, the change needs
    a clerk's choice) is kept as 要確認 with the register's own message. A notice already read is skipped, so the
    same file read twice makes no second draft. Returns the InboundNotice rows written by this read."""
    from jumin.accounts import rules as perms
    from jumin.audit.actions import logged_refusals, require_permission
    from jumin.core.check_digits import is_valid_addressee_number
    from jumin.core.errors import RuleViolation
    from jumin.linkage.models import InboundNotice
    from jumin.register.models import Resident

    require_permission(actor, perms.CHANGE_RECORD, READ_KOSEKI)
    digest = _sha256(data)
    with logged_refusals(actor, READ_KOSEKI, detail={"source": source[:200], "sha256": digest}):
        rows, problems = _csv_rows(data)
        notices, problems = rules.read_notice_file(rows, is_valid_number=is_valid_addressee_number) \
            if not problems else ([], problems)
        if problems:
            _refuse_file(problems, "戸籍届出通知のファイル")

        def check(notice):
            def run():
                person = Resident.objects.filter(addressee_number=notice["宛名番号"]).first()
                if person is None:
                    raise RuleViolation(f"宛名番号 {notice['宛名番号']} の方は住民記録にありません。"
                                        "戸籍の届出地・住所を確かめてください。", code="not_found")
                if person.birth_date is None or person.birth_date.isoformat() != notice["生年月日"]:
                    raise RuleViolation("通知の生年月日が住民票の生年月日と異なります。別の方の通知でないか確かめてください。",
                                        code="birth_date_mismatch")
            return run

        units = []
        for notice in notices:
            change_kind, params = _notice_params(notice)
            units.append({"number": notice["通知番号"], "kind": notice["届出の種類"], "addressee_number": notice["宛名番号"],
                          "line": notice["line"], "content": {k: v for k, v in notice.items() if k != "line"},
                          "change_kind": change_kind, "params": params, "check": check(notice)})
        return _draft_notices(units, source_kind=InboundNotice.KOSEKI, source=source, digest=digest, actor=actor,
                              function=READ_KOSEKI)


READ_MOVE_OUT = "linkage.cs.move_out_info"


def _move_in_params(number: str, persons: list[dict]) -> dict:
    """The 特例転入 a household's 転出証明書情報 becomes, as the counter would enter it: a 国内転入 from the 転出前住所 to
    the 転入先住所 on the 転出予定年月日 (the clerk corrects the day the household actually moved in), every person
    with the items the 転出地 sent."""
    from django.utils import timezone

    first = persons[0]
    today = timezone.localdate().isoformat()
    return {
        "move_in_kind": "domestic", "effective_on": first["転出予定年月日"], "notified_on": max(today, first["転出予定年月日"]),
        "address": {"postcode": first["転入先郵便番号"], "address": first["転入先住所"]},
        "previous_address": {"postcode": first["転出前郵便番号"], "address": first["転出前住所"]},
        "reason": f"転出証明書情報（{number}）による特例転入",
        "idempotency_key": f"move_out:{number}",
        "members": [{"name": p["氏名"], "name_kana": p["氏名フリガナ"], "birth_date": p["生年月日"], "sex": p["性別"],
                     "relationship": p["世帯主との続柄"], "domicile_status": "recorded" if p["本籍"] else "unknown",
                     "domicile": p["本籍"], "domicile_head": p["筆頭者"], "resident_code": p["住民票コード"],
                     "individual_number": p["個人番号"]} for p in persons],
    }


def do_read_move_out_info(data: bytes, *, source: str, actor) -> list:
    """転出証明書情報 from CS (特例転出; issue #18 item 7c): each household's persons become one 特例転入 draft for the
    clerk who receives them at the counter — never applied; a draft the register cannot make (the move-in day has not
    come, a person is already a resident here, no 世帯主 for a new household …) is kept as 要確認 with its message.
    A malformed file is refused whole with every line; a household already read is skipped."""
    from jumin.accounts import rules as perms
    from jumin.audit.actions import logged_refusals, require_permission
    from jumin.core.check_digits import (is_valid_individual_number, is_valid_municipality_code,
                                         is_valid_resident_code)
    from jumin.linkage.models import InboundNotice

    require_permission(actor, perms.CHANGE_RECORD, READ_MOVE_OUT)
    digest = _sha256(data)
    with logged_refusals(actor, READ_MOVE_OUT, detail={"source": source[:200], "sha256": digest}):
        rows, problems = _csv_rows(data)
        households, problems = rules.read_move_out_file(
            rows, valid_code=is_valid_resident_code, valid_number=is_valid_individual_number,
            valid_municipality=is_valid_municipality_code) if not problems else ({}, problems)
        if problems:
            _refuse_file(problems, "転出証明書情報のファイル")
        units = []
        for household, persons in households.items():
            number = f"{persons[0]['転出地の団体コード']}-{household}"[:30]
            units.append({"number": number, "kind": "特例転入", "addressee_number": "", "line": persons[0]["line"],
                          "content": {"persons": [{k: v for k, v in p.items() if k != "line"} for p in persons]},
                          "change_kind": "move_in", "params": _move_in_params(number, persons), "check": lambda: None})
        return _draft_notices(units, source_kind=InboundNotice.MOVE_OUT, source=source, digest=digest, actor=actor,
                              function=READ_MOVE_OUT)


WRITE_CS_NOTICES = "linkage.cs.notices"


def do_write_cs_notices(directory: str, *, actor, resend: tuple[int, int] | None = None) -> list:
    """本人確認情報 for CS, 戸籍の附票 記載事項通知 and 転入通知 (issue #18 item 7b), written in event order into `directory`:
    for each kind, the events after its last successful run (or, with `resend`, the events after `from` up to `to`
    again, under a new name, advancing nothing). Each file gets its manifest line (`_write_file`); a person CS cannot
    be told about (no 住民票コード) goes to `<file>.exceptions.csv`. An unreachable directory records a failed run
    and advances nothing, so the next run writes it all. Returns the runs (one per kind)."""
    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, log_refusal, logged_refusals, require_permission
    from jumin.core.errors import RuleViolation
    from jumin.linkage.models import CsRun, LinkageEvent
    from jumin.linkage.queries import EVENT_FIELDS, protected_numbers

    require_permission(actor, perms.MANAGE_CS, WRITE_CS_NOTICES)
    municipality = current_municipality()
    with logged_refusals(actor, WRITE_CS_NOTICES, detail={"resend": list(resend) if resend else None}):
        last = LinkageEvent.objects.filter(municipality=municipality.code).order_by("-seq") \
            .values_list("seq", flat=True).first() or 0
        if resend is not None:
            low, high = resend
            if not (0 <= low < high <= last):
                raise RuleViolation(f"再送の範囲は 0 ≦ 開始 < 終了 ≦ {last}（最新の通番）で指定してください。",
                                    field="resend", code="out_of_range")
    runs = []
    for kind in (CsRun.IDENTITY, CsRun.FUHYO, CsRun.MOVE_IN):
        if resend is not None:
            start, end = resend
        else:
            done = CsRun.objects.filter(kind=kind, ok=True, resend=False).order_by("-to_seq").first()
            start, end = (done.to_seq if done else 0), last
        events = list(LinkageEvent.objects.filter(municipality=municipality.code, seq__gt=start, seq__lte=end,
                                                  subject=LinkageEvent.RESIDENT).order_by("seq").values(*EVENT_FIELDS))
        for event in events:
            event["effective_on"] = event["effective_on"].isoformat() if event["effective_on"] else ""
        protected = protected_numbers({e["addressee_number"] for e in events})
        if kind == CsRun.IDENTITY:
            rows, exceptions = rules.identity_notices(events, protected=protected)
            header = rules.IDENTITY_HEADER
        elif kind == CsRun.MOVE_IN:
            rows, exceptions = rules.move_in_notices(events, protected=protected)
            header = rules.MOVE_IN_HEADER
        else:
            rows, exceptions = rules.fuhyo_notices(
                events, protected=protected, municipality=municipality.prefecture + municipality.name), []
            header = rules.FUHYO_HEADER
        now = timezone.now()
        run = CsRun(kind=kind, from_seq=start, to_seq=end, rows=len(rows), exceptions=len(exceptions),
                    resend=resend is not None, at=now, by=str(actor.username)[:150])
        if rows or exceptions or resend is not None:
            run.file_name = f"{municipality.code}_{kind}_{start:012d}-{end:012d}_{now:%Y%m%d%H%M%S}" \
                            f"{'_resend' if resend else ''}.csv"
            try:
                run.sha256, _ = _write_file(directory, run.file_name, header, rows)
                if exceptions:
                    _write_file(directory, run.file_name.replace(".csv", ".exceptions.csv"),
                                ["通番", "宛名番号", "理由"], [list(e) for e in exceptions])
                run.ok = True
            except OSError as error:
                run.message = f"ファイルを書けませんでした（{directory}）: {error.strerror or error}"[:500]
                run.file_name = ""
        else:
            run.ok = True
        run.save()
        runs.append(run)
        detail = {"kind": kind, "from": start, "to": end, "rows": run.rows, "exceptions": run.exceptions,
                  "sha256": run.sha256, "resend": run.resend, "ok": run.ok}
        sent = {row[0] for row in rows}
        numbers = sorted({e["addressee_number"] for e in events if e["seq"] in sent})
        if run.ok:
            log_operation(actor, WRITE_CS_NOTICES, numbers, individual_number_shown=kind == CsRun.IDENTITY and bool(rows),
                          detail=detail)
        else:
            log_refusal(actor, WRITE_CS_NOTICES, message=run.message, detail=detail)
    return runs


CLOSE_KOSEKI = "linkage.cs.koseki_close"


def do_close_koseki_notice(notice_number: str, *, actor, note: str):
    """A 要確認 戸籍届出通知 handled by a clerk (the change entered at the counter, or found not to concern this
    register): closed with what was done, kept, and off the list. Only a 要確認 notice can be closed."""
    from django.db import transaction

    from jumin.accounts import rules as perms
    from jumin.audit.actions import log_operation, logged_refusals, require_permission
    from jumin.core.errors import NotFound, RuleViolation
    from jumin.linkage.models import InboundNotice

    number = str(notice_number)[:30]
    require_permission(actor, perms.CHANGE_RECORD, CLOSE_KOSEKI)
    with logged_refusals(actor, CLOSE_KOSEKI, detail={"notice_number": number}):
        note = (note or "").strip() if isinstance(note, str) else ""
        if not note or len(note) > 500:
            raise RuleViolation("処理の内容（入力した異動の異動ID、または対象外とした理由）を500文字以内で入力してください。",
                                field="note", code="required")
        with transaction.atomic():
            notice = InboundNotice.objects.select_for_update().filter(notice_number=number).first()
            if notice is None:
                raise NotFound(f"通知番号 {number} の戸籍届出通知はありません。", field="notice_number")
            if notice.status != InboundNotice.NEEDS_CLERK:
                raise RuleViolation(f"通知番号 {number} は要確認ではありません（{notice.get_status_display()}）。",
                                    code="not_waiting")
            notice.status, notice.closed_at = InboundNotice.CLOSED, timezone.now()
            notice.closed_by, notice.closed_note = str(actor.username)[:150], note
            notice.save(update_fields=["status", "closed_at", "closed_by", "closed_note"])
            log_operation(actor, CLOSE_KOSEKI, [notice.addressee_number], reason=note,
                          detail={"notice_number": number, "kind": notice.kind})
    return notice
