"""The differential feed of the linkage API (issue #18 item 3; 住民記録 §7: differential data, real time): the
events after a sequence number, in order, for one 連携先 — its items only, 支援措置 and 除票 persons as its settings
say (rules.delivered). Idempotent and replayable from any number still kept; each page is logged with the persons
it named."""

from __future__ import annotations

from jumin.audit.actions import log_operation, logged_refusals
from jumin.core.errors import ConflictError, RuleViolation
from jumin.core.models import current_municipality
from jumin.linkage import rules
from jumin.linkage.models import LinkageEvent

CHANGES = "linkage.changes"
MAX_LIMIT = 1000


class Gone(RuleViolation):
    """An `after` older than what is kept: the consumer must resynchronise from a full extraction."""

    http_status = 410


def changes(client, *, after: int, limit: int, actor) -> dict:
    from django.db.models import Max, Min

    municipality = current_municipality().code
    with logged_refusals(actor, CHANGES, detail={"after": after, "limit": limit}):
        if not 1 <= limit <= MAX_LIMIT:
            raise RuleViolation(f"limit は1〜{MAX_LIMIT}で指定してください。", field="limit", code="out_of_range")
        if after < 0:
            raise RuleViolation("after は0以上の通番で指定してください。", field="after", code="out_of_range")
        kept = LinkageEvent.objects.filter(municipality=municipality).aggregate(low=Min("seq"), high=Max("seq"))
        last = kept["high"] or 0
        if after > last:
            raise ConflictError(f"通番 {after} はまだありません（最新は {last}）。前回の続きから取得するか、全件データから"
                                "再同期してください。")
        if kept["low"] is not None and after < kept["low"] - 1:
            raise Gone(f"通番 {after} の次の異動は保存期間を過ぎています（保存している最初の通番は {kept['low']}）。"
                       "全件データから再同期してください。", field="after", code="resynchronise")
    rows = list(LinkageEvent.objects.filter(municipality=municipality, seq__gt=after).order_by("seq")
                .values(*EVENT_FIELDS)[:limit])
    entries = entries_for(client, rows)
    shown = sorted({e["addressee_number"] for e in entries if not e["withheld"]})
    to = rows[-1]["seq"] if rows else after
    from jumin.linkage.deliveries import do_record_delivery

    do_record_delivery(client, "pull", from_seq=after, to_seq=to, events=len(entries),
                       sha256=rules.entry_digest(entries), acknowledged=after)
    log_operation(actor, CHANGES, shown, individual_number_shown="individual_number" in client.items and bool(shown),
                  detail={"after": after, "to": to, "events": len(rows), "client": client.client_id})
    return {"after": after, "next": to, "last": last, "more": to < last, "events": entries}


EVENT_FIELDS = ("seq", "subject", "change_kind", "reason_code", "addressee_number", "household_number", "effective_on",
                "recorded_at", "before", "after")


def entries_for(client, rows: list[dict]) -> list[dict]:
    """The feed entries of these events for this 連携先 (rules.delivered), dates as ISO text."""
    protected = protected_numbers({r["addressee_number"] for r in rows})
    for r in rows:
        r["effective_on"] = r["effective_on"].isoformat() if r["effective_on"] else None
        r["recorded_at"] = r["recorded_at"].isoformat()
    return [rules.delivered(r, items=client.items, receives_removed=client.receives_removed,
                            receives_protected=client.receives_protected, business=client.business,
                            protected=r["addressee_number"] in protected) for r in rows]


RECONCILIATION = "linkage.reconciliation"


def reconciliation(client, *, day, actor) -> dict:
    """The day's account for one 連携先 (issue #18 item 6): the events recorded that day (in Japan), the first and
    last numbers, the persons named, and the checksum of the entries as this 連携先 receives them
    (rules.entry_digest) — the consumer computes the same over what it got and compares."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from jumin.core.wareki import parse_date

    with logged_refusals(actor, RECONCILIATION, detail={"date": str(day)[:20]}):
        on = parse_date(str(day or ""), field="date", label="日付").date
        if on is None or on > timezone.localdate():
            raise RuleViolation("日付は今日までの日で指定してください。", field="date", code="out_of_range")
    start = timezone.make_aware(datetime.combine(on, time.min))
    rows = list(LinkageEvent.objects.filter(municipality=current_municipality().code, recorded_at__gte=start,
                                            recorded_at__lt=start + timedelta(days=1)).order_by("seq")
                .values(*EVENT_FIELDS))
    entries = entries_for(client, rows)
    persons = {e["addressee_number"] for e in entries if not e["withheld"]}
    out = {"date": on.isoformat(), "client_id": client.client_id, "events": len(entries),
           "first": entries[0]["seq"] if entries else None, "last": entries[-1]["seq"] if entries else None,
           "withheld": sum(e["withheld"] for e in entries), "persons": len(persons),
           "checksum": rules.entry_digest(entries)}
    log_operation(actor, RECONCILIATION, [], detail={k: v for k, v in out.items() if k != "client_id"})
    return out


def protected_numbers(numbers: set[str]) -> set[str]:
    """Which of these persons — residents, 除票 or 住登外者 — are under 支援措置 or 照会抑止 now (restrictions.queries,
    the one enforcement module)."""
    from jumin.addressees.models import NonResident
    from jumin.register.models import Resident
    from jumin.restrictions.queries import hidden_q

    if not numbers:
        return set()
    wanted = sorted(numbers)
    return set(Resident.objects.filter(hidden_q(), addressee_number__in=wanted)
               .values_list("addressee_number", flat=True)) | \
        set(NonResident.objects.filter(hidden_q(), addressee_number__in=wanted).values_list("addressee_number", flat=True))


PERSON, PERSONS = "linkage.person", "linkage.persons"
AS_OF_BASES = ("effective", "recorded")


def _as_of_day(as_of, *, field: str = "as_of"):
    from django.utils import timezone

    from jumin.core.wareki import parse_date

    if as_of in (None, ""):
        return timezone.localdate()
    on = parse_date(str(as_of)[:20], field=field, label="基準日").date
    if on is None or on > timezone.localdate():
        raise RuleViolation("基準日は今日までの日で指定してください。", field=field, code="out_of_range")
    return on


def _person_entry(client, values: dict, *, protected: bool) -> dict:
    """One person as of a day for this 連携先: the same decision as the feed (rules.delivered) on a snapshot."""
    event = {"seq": 0, "change_kind": "", "reason_code": values.get("reason_code", ""),
             "addressee_number": values["addressee_number"], "household_number": values.get("household_number", ""),
             "effective_on": None, "recorded_at": None, "before": None,
             "after": rules.item_values(values, client.items + ["status"])}
    entry = rules.delivered(event, items=client.items, receives_removed=client.receives_removed,
                            receives_protected=client.receives_protected, protected=protected)
    if entry["withheld"]:
        return {"addressee_number": values["addressee_number"], "withheld": True}
    return {"addressee_number": entry["addressee_number"], "withheld": False, "restricted": entry["restricted"],
            "household_number": entry["household_number"], "items": entry["after"]}


def person_as_of(client, addressee_number: str, *, as_of, basis: str, actor) -> dict:
    """One person's items as of a day (issue #18 item 3: "the person as of a time"), by 異動日 (effective) or by
    the day it was recorded (recorded): the register's own as-of rule (register.queries.snapshot_as_of). A person
    this 連携先 does not receive is `withheld`, as in the feed; one with no record on that day is 404."""
    from jumin.core.check_digits import is_valid_addressee_number
    from jumin.core.errors import NotFound
    from jumin.register.queries import snapshot_as_of
    from jumin.register.models import ITEM_FIELDS

    number = str(addressee_number)[:10]
    with logged_refusals(actor, PERSON, [number], detail={"as_of": str(as_of)[:20], "basis": str(basis)[:20]}):
        if basis not in AS_OF_BASES:
            raise RuleViolation("basis は effective（異動日）か recorded（記録日）を指定してください。", field="basis")
        if not is_valid_addressee_number(number):
            raise RuleViolation("宛名番号は10桁の数字（検査用数字つき）で指定してください。", field="addressee_number")
        on = _as_of_day(as_of)
        snapshot = snapshot_as_of(number, on, basis)
        if snapshot is None:
            raise NotFound(f"宛名番号 {number} の {on.isoformat()} 時点の記録はありません。", field="addressee_number")
    values = {name: getattr(snapshot, name) for name in ITEM_FIELDS}
    entry = _person_entry(client, values, protected=bool(protected_numbers({number})))
    log_operation(actor, PERSON, [] if entry["withheld"] else [number],
                  individual_number_shown="individual_number" in client.items and not entry["withheld"],
                  detail={"as_of": on.isoformat(), "basis": basis, "client": client.client_id})
    return {"as_of": on.isoformat(), "basis": basis, **entry}


def persons_as_of(client, *, as_of, after: str, limit: int, actor) -> dict:
    """Full data as of a day (issue #18 item 3), paged by 宛名番号: every person on the register that day (除票 too if
    the 連携先 receives them) after `after`, `limit` at a time, with `next` to continue. Read through
    register.queries.records_as_of_parts (the current records of persons with no later change, and the history of
    the others), each part by the 宛名番号 index; the two never share a person, so merging them is the page."""
    from jumin.register.models import ITEM_FIELDS
    from jumin.register.queries import records_as_of_parts

    with logged_refusals(actor, PERSONS, detail={"as_of": str(as_of)[:20], "after": str(after)[:10], "limit": limit}):
        if not 1 <= limit <= MAX_LIMIT:
            raise RuleViolation(f"limit は1〜{MAX_LIMIT}で指定してください。", field="limit", code="out_of_range")
        if after and not (len(after) == 10 and after.isascii() and after.isdigit()):
            raise RuleViolation("after は前のページの next（10桁の宛名番号）で指定してください。", field="after")
        on = _as_of_day(as_of)
    statuses = ["resident", "removed"] if client.receives_removed else ["resident"]
    fields = ["addressee_number", *[f for f in ITEM_FIELDS if f != "addressee_number"]]
    rows = []
    for part in records_as_of_parts(on):
        rows += list(part.filter(addressee_number__gt=after or "", status__in=statuses)
                     .order_by("addressee_number").values(*fields)[:limit + 1])
    rows.sort(key=lambda r: r["addressee_number"])
    more = len(rows) > limit
    rows = rows[:limit]
    protected = protected_numbers({r["addressee_number"] for r in rows})
    persons = [_person_entry(client, r, protected=r["addressee_number"] in protected) for r in rows]
    shown = [p["addressee_number"] for p in persons if not p["withheld"]]
    log_operation(actor, PERSONS, shown, individual_number_shown="individual_number" in client.items and bool(shown),
                  detail={"as_of": on.isoformat(), "after": after, "rows": len(rows), "client": client.client_id})
    return {"as_of": on.isoformat(), "after": after, "next": rows[-1]["addressee_number"] if rows else after,
            "more": more, "persons": persons}


STATUS = "linkage.status"


def delivery_status(*, actor) -> dict:
    """連携の状況 (issue #18 item 6) for the administrator: per 連携先 the newest event number, what was delivered and
    acknowledged, how far behind it is (events, and how long the oldest unacknowledged one has waited), the failed
    file runs in a row and the next retry — those stopped after rules.DEAD_AFTER failures are the dead letters a
    supervisor re-sends; the change notices' progress; the latest deliveries with their SHA-256. No person."""
    from datetime import timedelta

    from django.utils import timezone

    from jumin.accounts import rules as perms
    from jumin.audit.actions import require_permission
    from jumin.linkage.deliveries import failures_in_a_row, published
    from jumin.linkage.models import LinkageClient, LinkageDelivery

    require_permission(actor, perms.MANAGE_LINKAGE, STATUS)
    municipality = current_municipality().code
    events = LinkageEvent.objects.filter(municipality=municipality)
    last = events.order_by("-seq").values_list("seq", flat=True).first() or 0
    now = timezone.now()
    clients = []
    for client in LinkageClient.objects.filter(revoked_at__isnull=True).order_by("client_id"):
        failures, failed = failures_in_a_row(client)
        behind = max(last - client.acknowledged_seq, 0)
        oldest = events.filter(seq__gt=client.acknowledged_seq).order_by("seq") \
            .values_list("recorded_at", flat=True).first() if behind else None
        retry = None
        if failures and failures < rules.DEAD_AFTER:
            retry = failed.at + timedelta(minutes=rules.retry_delay_minutes(failures))
        clients.append({
            "client": client, "methods": [rules.METHODS.get(m, m) for m in client.methods],
            "delivered": client.delivered_seq, "acknowledged": client.acknowledged_seq,
            "acknowledged_at": client.acknowledged_at, "behind": behind,
            "waiting_seconds": int((now - oldest).total_seconds()) if oldest else 0,
            "failures": failures, "last_failure": failed, "retry_at": retry,
            "dead": "file" in client.methods and failures >= rules.DEAD_AFTER,
            "state": rules.delivery_state(methods=client.methods, last_seq=last,
                                          acknowledged_seq=client.acknowledged_seq, failures=failures)})
    notices = published(municipality)
    deliveries = list(LinkageDelivery.objects.select_related("client").order_by("-pk")[:50])
    log_operation(actor, STATUS, [], detail={"clients": len(clients), "last": last})
    return {"last": last, "clients": clients, "dead": [c for c in clients if c["dead"]],
            "notices": {"published": notices, "behind": max(last - notices, 0)}, "deliveries": deliveries,
            "codes": resident_code_stock()}


def resident_code_stock() -> dict:
    """住民票コードの在庫 (standard-spec §4.3): free and used codes and the municipality's threshold; `low` when fewer
    are free than the threshold (a new file from CS is needed)."""
    from jumin.register.actions.resident_codes import free_codes
    from jumin.register.models import ResidentCodeStock

    free = free_codes()
    threshold = current_municipality().resident_code_alert_below
    return {"free": free, "used": ResidentCodeStock.objects.exclude(used_by="").count(), "threshold": threshold,
            "low": free < threshold}


def koseki_notices_waiting(*, actor) -> list:
    """The 戸籍届出通知 kept as 要確認 (issue #18 item 7c) for the clerks' draft list: none for a role that may not
    enter changes; a protected person's notice only for a role that may see protected persons (the one enforcement
    module). Each shows its number, kind, 宛名番号, the register's reason and when it was read."""
    from jumin.accounts import rules as perms
    from jumin.linkage.models import InboundNotice
    from jumin.restrictions.queries import hide_protected

    if not actor.user.may(perms.CHANGE_RECORD):
        return []
    rows = InboundNotice.objects.filter(status=InboundNotice.NEEDS_CLERK).order_by("read_at", "line")
    return list(hide_protected(rows, actor)[:200])
