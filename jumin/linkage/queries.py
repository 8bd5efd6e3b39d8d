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
    log_operation(actor, CHANGES, shown, individual_number_shown="individual_number" in client.items and bool(shown),
                  detail={"after": after, "to": to, "events": len(rows), "client": client.client_id})
    return {"after": after, "next": to, "last": last, "more": to < last, "events": entries}


EVENT_FIELDS = ("seq", "change_kind", "reason_code", "addressee_number", "household_number", "effective_on",
                "recorded_at", "before", "after")


def entries_for(client, rows: list[dict]) -> list[dict]:
    """The feed entries of these events for this 連携先 (rules.delivered), dates as ISO text."""
    protected = protected_numbers({r["addressee_number"] for r in rows})
    for r in rows:
        r["effective_on"] = r["effective_on"].isoformat() if r["effective_on"] else None
        r["recorded_at"] = r["recorded_at"].isoformat()
    return [rules.delivered(r, items=client.items, receives_removed=client.receives_removed,
                            receives_protected=client.receives_protected,
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
    """Which of these persons are under 支援措置 or 照会抑止 now (restrictions.queries, the one enforcement module)."""
    from jumin.register.models import Resident
    from jumin.restrictions.queries import hidden_q

    if not numbers:
        return set()
    return set(Resident.objects.filter(hidden_q(), addressee_number__in=sorted(numbers))
               .values_list("addressee_number", flat=True))
