"""The checked EUC query → a Django ORM queryset on the dictionary's columns (platform.md §6). There is no SQL text
from the user anywhere: every column is a dictionary item's ORM path (`Item.path`) or one of three derived items,
every value a bound parameter, every condition one of the operators `rules.py` allows for the item's type.

- 年齢 as of the 基準日 is computed by the database: a condition on age becomes a range on 生年月日
  (`rules.birth_range`, answered from the birth-date index), the age column and an age count-by an expression of
  EXTRACT(year/month/day) — never a row-by-row loop in Python.
- 行政区 = 住所コード[:5], 町丁 = 住所コード[:11] (`jumin.register.rules.area_of`); a condition on either is a prefix
  of the 住所コード; names come from the data (`catalogue.area_table`).
- 支援措置 persons (and persons under a 照会抑止) are left out by `jumin.restrictions.queries` (`hidden_q`,
  `hide_changes`) unless the role has VIEW_PROTECTED and the query asks (`dictionary.may_include_protected`) — in
  SQL, so totals and counts leave them out too.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from jumin.core import dictionary
from jumin.euc import catalogue, rules
from jumin.euc.catalogue import AGE, TOWN, WARD

COUNT = "件数"
_ANNOTATION = {AGE: "euc_age", WARD: "euc_ward", TOWN: "euc_town"}


@dataclass
class Column:
    name: str
    ja: str
    info: rules.ItemInfo
    item: dictionary.Item | None

    @property
    def derived(self) -> bool:
        return self.item is None


@dataclass
class Compiled:
    """What the runner reads: `queryset.values_list(*fetch)` row by row; `cells(row)` gives the output cells of
    one row (Python values: str, int, date, datetime, bool); `person(row)` the 宛名番号 it is about."""

    queryset: object
    columns: list[Column]
    fetch: list[str]
    counting: bool
    day: datetime.date
    areas: catalogue.Areas | None
    person_at: int | None = None
    person_list: bool = False
    address_at: int | None = None
    label_fields: dict[str, int] = field(default_factory=dict)
    _labels: dict[int, dict] = field(default_factory=dict)

    def __post_init__(self):
        for i, column in enumerate(self.columns):
            if column.info.codes and not column.derived:
                self._labels[i] = dict(column.info.codes)

    @property
    def header(self) -> list[str]:
        return [c.ja for c in self.columns] + ([COUNT] if self.counting else [])

    def rows(self, chunk_size: int = 2000):
        return self.queryset.values_list(*self.fetch).iterator(chunk_size=chunk_size)

    def cells(self, row) -> list:
        out = []
        for i, column in enumerate(self.columns):
            value = row[i]
            if i in self._labels and value is not None:
                value = self._labels[i].get(str(value), value)
            elif column.name in (WARD, TOWN):
                value = self._area(column.name, value, row)
            elif isinstance(value, datetime.datetime):
                value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            elif column.info.type == "json" and value is not None:
                value = json.dumps(value, ensure_ascii=False)
            out.append(value)
        if self.counting:
            out.append(row[len(self.columns)])
        return out

    def _area(self, name: str, code, row) -> str:
        code = code or ""
        label = (self.areas.ward_name(code) if name == WARD else self.areas.town_name(code)) if self.areas else ""
        if label or self.address_at is None:
            return label or code
        from jumin.core.models import current_municipality
        from jumin.register.rules import area_of

        town = current_municipality()
        area = area_of(code, row[self.address_at] or "", prefecture=town.prefecture, municipality=town.name)
        return area.ward_name if name == WARD else area.town_name

    def persons(self, row) -> list[str]:
        if self.person_at is None:
            return []
        value = row[self.person_at]
        if self.person_list:
            return [str(v) for v in (value or []) if v]
        return [value] if value else []


def _path(column: Column) -> str:
    return _ANNOTATION[column.name] if column.derived else column.item.path


def _base(query: rules.Query, found: catalogue.Dataset, using: str):
    from jumin.register import choices as c
    from jumin.register.models import Resident, ResidentHistory
    from jumin.register.queries import records_as_of

    code = found.code
    if code == rules.RESIDENTS:
        qs = Resident.objects.using(using).all()
    elif code == rules.RESIDENTS_AS_OF:
        qs = records_as_of(query.as_of).using(using)
    elif code == rules.CHANGES:
        qs = ResidentHistory.objects.using(using).filter(change__status=c.APPROVED)
    elif code == rules.ISSUANCES:
        from jumin.certificates.models import Issuance

        qs = Issuance.objects.using(using).all()
    else:
        from jumin.seals.models import SealRegistration

        qs = SealRegistration.objects.using(using).all()
    entity = dictionary.entity(found.entity)
    if entity.where:
        qs = qs.filter(**dict(entity.where))
    if code in rules.REMOVED_ALLOWED and not query.include_removed:
        qs = qs.filter(status=c.RESIDENT)
    if found.period_path and query.period:
        qs = qs.filter(**{f"{found.period_path}__range": query.period})
    return qs


def _hidden(qs, query: rules.Query, found: catalogue.Dataset, actor, using: str):
    """Leave out 支援措置 persons and persons under a 照会抑止 — through the one enforcement module."""
    from jumin.register.models import Change, Resident
    from jumin.restrictions.queries import hidden_q, hide_changes, hides

    if dictionary.may_include_protected(actor, query.include_protected):
        return qs
    entity = dictionary.entity(found.entity)
    if found.person == "subjects":
        numbers = list(Resident.objects.using(using).filter(hidden_q()).values_list("addressee_number", flat=True))
        for number in numbers:   # a JSON list of 宛名番号 (10 digits each: "\"n\"" matches an element only)
            qs = qs.exclude(subjects__icontains=f'"{number}"')
        return qs
    qs = qs.exclude(hidden_q(entity.protected_rows))
    if found.code == rules.SEALS:
        qs = qs.exclude(hidden_q("guarantor_addressee_number"))
    if found.code == rules.CHANGES and hides(actor):
        # A change that touches a hidden person (its summary and input name them) is left out for the others too,
        # as in the change lists (hide_changes).
        qs = qs.filter(change__in=hide_changes(Change.objects.using(using).all(), actor))
    return qs


def _age(day: datetime.date):
    """年齢 on `day` in SQL: the difference of the years, less one when the birthday is still to come that year."""
    later = Case(When(birth_date__month__gt=day.month, then=Value(1)),
                 When(birth_date__month=day.month, birth_date__day__gt=day.day, then=Value(1)),
                 default=Value(0), output_field=IntegerField())
    return ExpressionWrapper(Value(day.year) - ExtractYear("birth_date") - later, output_field=IntegerField())


def _age_q(op: str, value, day: datetime.date) -> Q:
    def between(low, high) -> Q:
        after, latest = rules.birth_range(day, low, high)
        cond = Q(birth_date__isnull=False)
        if after is not None:
            cond &= Q(birth_date__gt=after)
        if latest is not None:
            cond &= Q(birth_date__lte=latest)
        return cond

    if op == "eq":
        return between(value, value)
    if op == "ne":
        return Q(birth_date__isnull=False) & ~between(value, value)
    if op == "in":
        out = Q(pk__in=[])
        for v in value:
            out |= between(v, v)
        return out
    if op == "between":
        return between(value[0], value[1])
    if op == "gte":
        return between(value, None)
    if op == "lte":
        return between(None, value)
    if op == "blank":
        return Q(birth_date__isnull=True)
    return Q(birth_date__isnull=False)


def _area_q(op: str, value) -> Q:
    def prefix(code: str) -> Q:
        return Q(address_code__startswith=code)

    if op == "eq":
        return prefix(value)
    if op == "ne":
        return ~prefix(value)
    if op == "in":
        out = Q(pk__in=[])
        for v in value:
            out |= prefix(v)
        return out
    if op == "blank":
        return Q(address_code="")
    return ~Q(address_code="")


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _item_q(op: str, value, info: rules.ItemInfo, path: str) -> Q:
    if op in ("blank", "not_blank"):
        blank = Q(**{f"{path}__isnull": True})
        if info.type == "string":
            blank |= Q(**{path: ""})
        return blank if op == "blank" else ~blank
    if info.type == "datetime":
        if op == "between":
            return Q(**{f"{path}__gte": _day_bounds(value[0])[0], f"{path}__lt": _day_bounds(value[1])[1]})
        if op == "gte":
            return Q(**{f"{path}__gte": _day_bounds(value)[0]})
        return Q(**{f"{path}__lt": _day_bounds(value)[1]})      # lte: up to the end of that day
    if op == "eq":
        return Q(**{path: value})
    if op == "ne":
        return ~Q(**{path: value})
    if op == "in":
        return Q(**{f"{path}__in": value})
    if op == "between":
        return Q(**{f"{path}__range": tuple(value)})
    if op == "gte":
        return Q(**{f"{path}__gte": value})
    if op == "lte":
        return Q(**{f"{path}__lte": value})
    return Q(**{f"{path}__startswith": value})                   # starts_with


def _where(group: rules.Group, offered: catalogue.Offer, day: datetime.date) -> Q:
    out = None
    for part in group.parts:
        if isinstance(part, rules.Group):
            q = _where(part, offered, day)
        else:
            info = offered.infos[part.item]
            if part.item == AGE:
                q = _age_q(part.op, part.value, day)
            elif part.item in (WARD, TOWN):
                q = _area_q(part.op, part.value)
            else:
                q = _item_q(part.op, part.value, info, offered.items[part.item].path)
        out = q if out is None else (out & q if group.mode == "all" else out | q)
    return out if out is not None else Q()


LABEL_FIELDS = ("postcode", "address", "address_supplement", "name")


def compile_query(query: rules.Query, offered: catalogue.Offer, *, actor, using: str = "default",
                  areas: catalogue.Areas | None = None, labels: bool = False) -> Compiled:
    """The queryset, columns and row conversion of one checked query (`rules.check_items` already resolved every
    name against `offered`)."""
    found = offered.dataset
    day = query.as_of or timezone.localdate()
    qs = _base(query, found, using)
    qs = _hidden(qs, query, found, actor, using)
    names = list(query.count_by or query.items)
    columns = [Column(n, offered.infos[n].ja, offered.infos[n], offered.items.get(n)) for n in names]
    used = set(names) | {c.item for c in query.conditions()} | {n for n, _ in query.sort}
    if AGE in used:
        qs = qs.annotate(**{_ANNOTATION[AGE]: _age(day)})
    if WARD in used:
        qs = qs.annotate(**{_ANNOTATION[WARD]: Substr("address_code", 1, 5)})
    if TOWN in used:
        qs = qs.annotate(**{_ANNOTATION[TOWN]: Substr("address_code", 1, 11)})
    if query.where:
        qs = qs.filter(_where(query.where, offered, day))
    if query.count_by:
        groups = [_path(c) for c in columns]
        qs = qs.values(*groups).annotate(euc_count=Count("*"))   # COUNT(*): the covering index suffices
        order = [(("-" if desc else "") + _path(Column(n, "", offered.infos[n], offered.items.get(n))))
                 for n, desc in query.sort]
        qs = qs.order_by(*(order + [g for g in groups if g not in {o.lstrip("-") for o in order}]))
        return Compiled(qs, columns, groups + ["euc_count"], True, day, areas)
    fetch = [_path(c) for c in columns]
    order = []
    for name, desc in query.sort:
        if name == AGE:
            order.append(F("birth_date").asc(nulls_last=True) if desc else F("birth_date").desc(nulls_last=True))
        elif name in (WARD, TOWN):
            order.append(F("address_code").desc() if desc else F("address_code").asc())
        else:
            path = offered.items[name].path
            order.append(F(path).desc(nulls_last=True) if desc else F(path).asc(nulls_last=True))
    order.append(F(found.key).asc())
    qs = qs.order_by(*order)
    compiled = Compiled(qs, columns, fetch, False, day, areas)
    if found.person:
        person_path = found.person
        if person_path not in fetch:
            fetch.append(person_path)
        compiled.person_at = fetch.index(person_path)
        compiled.person_list = person_path == "subjects"
    if ({WARD, TOWN} & set(names)) and "address" in offered.items:
        if "address" not in fetch:
            fetch.append("address")
        compiled.address_at = fetch.index("address")
    if labels:
        for name in LABEL_FIELDS:
            if name not in offered.items:
                from jumin.core.errors import PermissionDenied

                raise PermissionDenied("宛名ラベルに必要な項目（郵便番号・住所・方書・氏名）を、このデータセットから出力できません。",
                                       field="output", code="forbidden_item")
            path = offered.items[name].path
            if path not in fetch:
                fetch.append(path)
            compiled.label_fields[name] = fetch.index(path)
    return compiled
