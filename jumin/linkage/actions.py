"""The outbox (issue #18 item 1): every approved change — a 異動, a 職権修正, a 取消 — writes one linkage event per
person in the change's own transaction (the register's `snapshots_written`, sent by apply_plan), numbered gap-free
per municipality. Drafts write nothing (apply_plan runs on approval only); a rolled-back change leaves no event and
no gap. 抑止 and its 一時解除 are not register changes and are never sent (standard-spec §4.6)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from jumin.core.models import advance_sequence, current_municipality
from jumin.linkage import rules
from jumin.linkage.models import LinkageEvent
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
    LinkageEvent.objects.bulk_create(events)
    return events


@receiver(snapshots_written)
def _on_snapshots_written(sender, change, persons, actor, **kwargs):
    write_events(change, persons, operator=str(getattr(actor, "username", "") or ""))
