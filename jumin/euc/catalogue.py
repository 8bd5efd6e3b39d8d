"""What EUC offers (共通機能 §2.5: the data source is the 基本データリスト's items, named by データ項目名称): the five
datasets, each read from one dictionary entity, with the items a role may extract (`jumin.core.dictionary.
allowed_items`, the one rights decision) plus three derived items every list of residents needs — 年齢 (as of the
query's 基準日), 行政区 and 町丁 (from the 住所コード, `jumin.register.rules.area_of`).

Nothing here lists a column by hand: a field added to a model reaches EUC through the dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

from jumin.core import dictionary
from jumin.core.errors import RuleViolation
from jumin.euc import rules

AGE, WARD, TOWN = "age", "ward", "town"
DERIVED_NAMES = {AGE: "年齢", WARD: "行政区", TOWN: "町丁"}


@dataclass(frozen=True)
class Dataset:
    code: str
    ja: str
    entity: str                     # the dictionary entity its rows and items come from
    needs: tuple[str, ...]          # "as_of" / "period"
    person: str | None              # ORM path of the 宛名番号 a row is about (EucRunSubject); "subjects": a JSON list
    period_path: str | None = None  # the date a period selects on
    key: str = "pk"                 # the default order (stable output)
    derived: tuple[str, ...] = ()
    description: str = ""


DATASETS = {
    rules.RESIDENTS: Dataset(rules.RESIDENTS, rules.DATASET_NAMES[rules.RESIDENTS], "residents", (), "addressee_number",
                             key="addressee_number", derived=(AGE, WARD, TOWN),
                             description="現在の住民票（除票を含めることもできます）。"),
    rules.RESIDENTS_AS_OF: Dataset(rules.RESIDENTS_AS_OF, rules.DATASET_NAMES[rules.RESIDENTS_AS_OF], "history",
                                   ("as_of",), "addressee_number", key="addressee_number", derived=(AGE, WARD, TOWN),
                                   description="基準日（異動日で見た法律上の状態）時点の住民票。"),
    rules.CHANGES: Dataset(rules.CHANGES, rules.DATASET_NAMES[rules.CHANGES], "history", ("period",),
                           "addressee_number", period_path="effective_on", key="pk", derived=(AGE, WARD, TOWN),
                           description="期間内の異動日の異動（本登録されたものだけ）。1人1異動が1行で、異動事由で絞れます。"),
    rules.ISSUANCES: Dataset(rules.ISSUANCES, rules.DATASET_NAMES[rules.ISSUANCES], "issuances", ("period",), "subjects",
                             period_path="day", key="pk", description="期間内の交付日の証明書の交付履歴。"),
    rules.SEALS: Dataset(rules.SEALS, rules.DATASET_NAMES[rules.SEALS], "seals", (), "addressee_number",
                         key="registration_number", derived=(AGE,), description="印鑑登録原票（登録中・廃止）。"),
}


def dataset(code: str) -> Dataset:
    if code not in DATASETS:
        raise RuleViolation(f"「{str(code)[:50]}」というデータセットはありません。", field="dataset",
                                       code="unknown_dataset")
    return DATASETS[code]


@dataclass
class Offer:
    """The items one role may use on one dataset with the query's flags: name (code and Japanese) → info, the
    dictionary item behind each (None for a derived one), and the items left out with the reason."""

    dataset: Dataset
    infos: dict[str, rules.ItemInfo]
    items: dict[str, dictionary.Item | None]
    left_out: list[tuple[str, str, str, str | None]]     # (name, ja, reason, the flag that would allow it)

    def lookup(self) -> dict[str, rules.ItemInfo]:
        out = {}
        for info in self.infos.values():
            out[info.name] = info
            out.setdefault(info.ja, info)
        return out

    def refused(self) -> dict[str, tuple[str, str | None]]:
        out = {}
        for name, ja, reason, flag in self.left_out:
            out[name] = (reason, flag)
            out.setdefault(ja, (reason, flag))
        return out


def _info(item: dictionary.Item) -> rules.ItemInfo:
    return rules.ItemInfo(name=item.name, ja=item.ja, type=item.type, codes=tuple(item.codes))


def offer(code: str, role, *, individual_number: bool = False, protected: bool = False,
          areas: "Areas | None" = None) -> Offer:
    """The items of `code` for `role` (PermissionDenied when the role may not extract the dataset's entity)."""
    found = dataset(code)
    allowance = dictionary.allowed_items(found.entity, role, individual_number=individual_number, protected=protected)
    infos: dict[str, rules.ItemInfo] = {}
    items: dict[str, dictionary.Item | None] = {}
    for item in allowance.items:
        infos[item.name] = _info(item)
        items[item.name] = item
    names = set(infos)
    for derived in found.derived:
        needs = {AGE: "birth_date", WARD: "address_code", TOWN: "address_code"}[derived]
        if needs not in names:
            continue
        codes = ()
        if derived in (WARD, TOWN):
            areas = areas or area_table()
            codes = tuple((areas.wards if derived == WARD else areas.towns).items())
        infos[derived] = rules.ItemInfo(derived, DERIVED_NAMES[derived], "integer" if derived == AGE else "string",
                                        codes=codes, derived=True)
        items[derived] = None
    with_flags = {i.name for i in dictionary.allowed_items(found.entity, role, individual_number=True,
                                                           protected=True).items}
    left_out = [(item.name, item.ja, reason, dictionary.needs_flag(item) if item.name in with_flags else None)
                for item, reason in allowance.left_out]
    return Offer(found, infos, items, left_out)


# ------------------------------------------------------------------ 行政区・町丁 from the data

@dataclass(frozen=True)
class Areas:
    """The 行政区 and 町丁 of the municipality as its residents' 住所コード and addresses name them."""

    wards: dict[str, str]     # 5-digit code → 区名
    towns: dict[str, str]     # 11-digit code → 区名+町丁名

    def ward_name(self, code: str) -> str:
        return self.wards.get(code, "")

    def town_name(self, code: str) -> str:
        return self.towns.get(code, "")


_AREAS: dict[str, tuple[int, Areas]] = {}


def _fold(rows, wards: dict, towns: dict) -> None:
    from jumin.core.models import current_municipality
    from jumin.register.rules import area_of

    town = current_municipality()
    for code, address in rows:
        area = area_of(code, address, prefecture=town.prefecture, municipality=town.name)
        wards.setdefault(area.ward_code, area.ward_name)
        label = (area.ward_name if area.ward_name != town.name else "") + area.town_name
        towns.setdefault(area.town_code, label or area.town_code)


def area_table(using: str = "default", *, fresh: bool = False) -> Areas:
    """One entry per distinct 住所コード, folded by `area_of` into 行政区 and 町丁 names. It holds no person.

    Built once per database (≈ 1.3 s over Sendai's residents), then kept in step with the change journal: the
    residents journaled since it was built add the 住所コード they brought, so a 町丁 that appeared a moment
    ago is named (and can be asked for) at once, without reading every resident again."""
    from django.db import connections
    from django.db.models import Min

    from jumin.core.models import Journal, current_municipality
    from jumin.register.models import Resident

    key = f"{connections[using].settings_dict.get('NAME')}:{current_municipality().instance_id}"
    now = Journal.objects.using(using).order_by("-seq").values_list("seq", flat=True).first() or 0
    hit = _AREAS.get(key)
    if hit and not fresh and hit[0] == now:
        return hit[1]
    residents = Resident.objects.using(using).exclude(address_code="")
    wards: dict[str, str] = {}
    towns: dict[str, str] = {}
    if hit and not fresh and hit[0] < now:
        wards, towns = dict(hit[1].wards), dict(hit[1].towns)
        changed = Journal.objects.using(using).filter(entity="residents", seq__gt=hit[0]).values("key")
        residents = residents.filter(addressee_number__in=changed)
    rows = residents.values("address_code").annotate(address=Min("address")).order_by("address_code")
    _fold(((row["address_code"], row["address"]) for row in rows), wards, towns)
    found = Areas(dict(sorted(wards.items())), dict(sorted(towns.items())))
    _AREAS[key] = (now, found)
    return found


# ------------------------------------------------------------------ the wizard's catalogue

def datasets(user) -> list[dict]:
    """Each dataset this user may extract, with every item they could use (those needing an explicit flag —
    個人番号, 支援措置 — marked with the flag), for the wizard (platform.md §6)."""
    out = []
    for found in DATASETS.values():
        if not dictionary.may_extract(user, found.entity):
            continue
        offered = offer(found.code, user, individual_number=True, protected=True)
        items = []
        for name, info in offered.infos.items():
            item = offered.items[name]
            items.append({"name": info.name, "ja": info.ja, "type": info.type, "codes": [list(c) for c in info.codes],
                          "derived": info.derived, "needs_flag": dictionary.needs_flag(item) if item else None})
        out.append({"code": found.code, "ja": found.ja, "needs": list(found.needs), "description": found.description,
                    "include_removed": found.code in rules.REMOVED_ALLOWED, "items": items})
    return out
