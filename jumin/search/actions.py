"""Keeping the search keys in step with the register (issue #3 item 5: maintained by the change actions).

The register's change engine sends `records_written` inside the change's transaction with the 宛名番号 it
wrote; the keys of those persons are rebuilt from all their snapshots, so past names and past addresses stay
searchable (standard-spec §6.1) and a rolled-back change leaves no key behind.
"""

from django.dispatch import receiver

from jumin.register import choices as c
from jumin.register.actions.base import records_written
from jumin.register.models import Resident, ResidentHistory
from jumin.search import models as m

SOURCE_ITEMS = ("name", "name_alphabet", "name_kana", "former_surname", "alias", "alias_kana", "address",
                "address_supplement")


class Folder:
    """Folds item values into keys, remembering each distinct value (names repeat a lot in bulk runs)."""

    def __init__(self):
        from jumin.search.variants import load_variant_map

        self.variants = load_variant_map()
        self.cache: dict[tuple[str, str], str] = {}

    def fold(self, how: str, value: str) -> str:
        from jumin.search import rules

        cached = self.cache.get((how, value))
        if cached is None:
            cached = rules.fold(how, value, self.variants)
            if len(self.cache) < 500_000:
                self.cache[(how, value)] = cached
        return cached

    def keys(self, values: dict) -> set[tuple[str, str]]:
        """(kind, key) pairs of one record's values."""
        from jumin.search.rules import split_given_name

        out = set()

        def add(kind, how, text):
            if text:
                key = self.fold(how, text)
                if key:
                    out.add((kind, key[:200]))

        add(m.NAME, "name", values.get("name"))
        add(m.NAME, "name", values.get("name_alphabet"))
        add(m.NAME_GIVEN, "name", split_given_name(values.get("name") or "") or "")
        add(m.KANA, "kana", values.get("name_kana"))
        add(m.KANA_GIVEN, "kana", split_given_name(values.get("name_kana") or "") or "")
        add(m.FORMER_SURNAME, "name", values.get("former_surname"))
        add(m.ALIAS, "name", values.get("alias"))
        add(m.ALIAS_KANA, "kana", values.get("alias_kana"))
        address = (values.get("address") or "") + (values.get("address_supplement") or "")
        add(m.ADDRESS, "address", address)
        return out


KEY_COLUMNS = ("addressee_number", "kind", "key", "current", "living", "sort")


def key_rows(number: str, snapshots: list[dict], current: dict, living: bool, folder: Folder) -> list[tuple]:
    """One person's key rows as tuples in KEY_COLUMNS order: every key of the current record and of every
    snapshot (past names and addresses stay searchable), each with the person's current フリガナ to sort by."""
    now = folder.keys(current)
    past = set()
    for values in snapshots:
        past |= folder.keys(values)
    sort = (current.get("name_kana") or "")[:200]
    return [(number, kind, key, (kind, key) in now, living, sort) for kind, key in sorted(now | past)]


def rows_for(number: str, snapshots: list[dict], current: dict, living: bool, folder: Folder) -> list[m.SearchKey]:
    return [m.SearchKey(**dict(zip(KEY_COLUMNS, row))) for row in key_rows(number, snapshots, current, living, folder)]


def index_people(numbers, folder: Folder | None = None) -> None:
    """Rebuild the keys of these persons from their current record and every snapshot."""
    numbers = sorted(set(numbers))
    if not numbers:
        return
    folder = folder or Folder()
    snapshots: dict[str, list[dict]] = {}
    for values in ResidentHistory.objects.filter(addressee_number__in=numbers).values("addressee_number", *SOURCE_ITEMS):
        snapshots.setdefault(values["addressee_number"], []).append(values)
    rows = []
    for values in Resident.objects.filter(addressee_number__in=numbers).values("addressee_number", "status",
                                                                               *SOURCE_ITEMS):
        number = values["addressee_number"]
        rows += rows_for(number, snapshots.get(number, []), values, values["status"] == c.RESIDENT, folder)
    m.SearchKey.objects.filter(addressee_number__in=numbers).delete()
    m.SearchKey.objects.bulk_create(rows, batch_size=2000)


@receiver(records_written)
def _on_records_written(sender, addressee_numbers, **kwargs):
    index_people(addressee_numbers)
