"""住民票コードの在庫と付番 (standard-spec §4.3; issue #18 item 7a).

住民票コード are never made locally: 住基ネット's CS hands the municipality a pool of new codes, the register keeps
them (ResidentCodeStock) and a person who has never had a code — a newborn (出生) or a person entering from abroad
(国外転入等) who brings none — takes the next one when the change is approved, in the change's own transaction, so
the record, its snapshot and its linkage event carry the code together.

DECISIONS where the standard is silent or the issue decides:
- The order is the file's order (the issue: "taken in order"). The standard asks that codes be assigned "at random
  from the pool"; CS's codes are already random numbers, so taking them in the order given reveals nothing more.
- An empty pool does not stop a birth from being recorded — the register's first duty is the record. The person is
  written without a code, the change's result lists them under `resident_code_missing`, the operation log says so,
  and a clerk gives the code later by 住民票コードの職権記載 (`resident_code` change, action "entry") once CS has
  sent more. Below the municipality's threshold (Municipality.resident_code_alert_below) the result carries
  `resident_code_stock_low` with what is left, so the clerk is told at the change that caused it.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from jumin.core.models import current_municipality
from jumin.register.models import Resident, ResidentCodeStock

__all__ = ["NEEDS_CODE", "take_resident_codes", "stock_resident_codes", "free_codes", "colliding_codes"]

NEEDS_CODE = frozenset({"birth", "move_in_abroad"})


def free_codes() -> int:
    return ResidentCodeStock.objects.filter(used_by="").count()


def take_resident_codes(numbers: list[str], *, change_id: int) -> tuple[dict[str, str], int | None]:
    """The next codes of the pool for these 宛名番号, marked taken; and what is left when that is below the
    municipality's threshold (else None). Caller holds the change's transaction; concurrent changes skip each other's
    locked rows (PostgreSQL), so two births at once take two different codes without waiting."""
    if not numbers:
        return {}, None
    rows = ResidentCodeStock.objects.filter(used_by="").order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    rows = list(rows[:len(numbers)])
    now = timezone.now()
    given = {}
    for number, row in zip(numbers, rows):
        row.used_by, row.used_at, row.change_id = number, now, change_id
        given[number] = row.code
    ResidentCodeStock.objects.bulk_update(rows, ["used_by", "used_at", "change_id"])
    left = free_codes()
    threshold = current_municipality().resident_code_alert_below
    return given, (left if left < threshold else None)


def colliding_codes(codes: list[str]) -> dict[str, str]:
    """Codes already in the pool or on any record (住民票 or 除票), with why: such a file is refused whole."""
    found: dict[str, str] = {}
    for start in range(0, len(codes), 900):
        part = codes[start:start + 900]
        for code in ResidentCodeStock.objects.filter(code__in=part).values_list("code", flat=True):
            found[code] = "すでに在庫として取り込まれています"
        for code in Resident.objects.filter(resident_code__in=part).values_list("resident_code", flat=True):
            found[code] = "すでに住民票（または除票）に記載されています"
    return found


def stock_resident_codes(codes: list[str], *, source: str, loaded_by: str) -> int:
    """Add checked codes to the pool in the given order. Caller holds the transaction and has checked them."""
    now = timezone.now()
    ResidentCodeStock.objects.bulk_create(
        [ResidentCodeStock(code=code, source=source[:200], loaded_at=now, loaded_by=loaded_by[:150])
         for code in codes], batch_size=2000)
    return len(codes)
