"""Searching the register as clerks search (standard-spec §6.1; issue #3).

Text criteria are folded (kana rules, 異体字, width, spaces) and matched against the search keys of every
name, kana and address a person has ever had; numbers and dates are matched on the records' own indexed
columns. Results: living before removed, exact before fuzzy, then kana order. Every search is refused or
answered with an operation-log row per person shown, and goes into the user's own search history.
"""

import unicodedata
from datetime import date

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal
from jumin.core.db import insert_rows
from jumin.core.errors import RuleViolation
from jumin.core.wareki import parse_date
from jumin.register import choices as c
from jumin.register.models import Resident
from jumin.register.queries import display_date
from jumin.search import models as m
from jumin.search.models import SearchHistory, SearchKey

MATCHES = {"exact": "完全一致", "prefix": "前方一致", "partial": "部分一致"}
MAX_PAGE_SIZE = 100
COUNT_CAP = 100            # a clerk needs "100件以上: narrow it down", not an exact count of a broad prefix
PAGE_ROWS_SPARE = 20       # key rows read beyond two a person for a page of one text criterion
COUNT_ROWS = 10 * (COUNT_CAP + 1)  # key rows read to count persons up to the cap (a person has 1–3 matching keys)
MIN_KEY_LENGTH = 2          # a single kana (or letter) matches too many people to be useful
BLANK_ITEMS = {"name_kana": "氏名フリガナ", "resident_code": "住民票コード", "postcode": "郵便番号",
               "address_code": "住所コード", "individual_number": "個人番号", "domicile": "本籍"}
TEXT_CRITERIA = {  # parameter → (label, key kinds, folding)
    "name": ("氏名・旧氏・通称", [m.NAME, m.FORMER_SURNAME, m.ALIAS], "name"),
    "kana": ("フリガナ", [m.KANA, m.ALIAS_KANA], "kana"),
    "given_name": ("名", [m.NAME_GIVEN, m.KANA_GIVEN], "given"),
    "address": ("住所・方書", [m.ADDRESS], "address"),
}
NUMBER_CRITERIA = {
    "addressee_number": "宛名番号", "household_number": "世帯番号", "resident_code": "住民票コード",
    "individual_number": "個人番号", "residence_card_number": "在留カードの番号",
    "special_permanent_certificate_number": "特別永住者証明書の番号",
}


def _is_kana(text: str) -> bool:
    return all("\u3040" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f" or ch in " \u3000ー" for ch in text)


def _clean(params: dict) -> dict:
    """Validate what the clerk typed. Every refusal names the field and says how to fix it."""
    from jumin.search.rules import search_text

    out: dict = {}
    for name, (label, _, _) in TEXT_CRITERIA.items():
        if params.get(name):
            out[name] = search_text(str(params[name]), field=name, label=label)
    for name, label in NUMBER_CRITERIA.items():
        if params.get(name):
            value = search_text(str(params[name]), field=name, label=label, max_length=20)
            value = value.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(" ", "").replace("-", "")
            if name in ("residence_card_number", "special_permanent_certificate_number"):
                value = value.upper()
            elif not value.isdigit():
                raise RuleViolation(f"{label}は数字で入力してください。", field=name)
            out[name] = value
    if params.get("birth_date"):
        raw = search_text(str(params["birth_date"]), field="birth_date", label="生年月日", max_length=40)
        out["birth_date"] = parse_date(raw, field="birth_date", label="生年月日").date
    if params.get("sex"):
        if params["sex"] not in dict(c.SEX_CHOICES):
            raise RuleViolation("性別は 1（男）か 2（女）で指定してください。", field="sex")
        out["sex"] = params["sex"]
    if params.get("address_code"):
        code = search_text(str(params["address_code"]), field="address_code", label="住所コード", max_length=11)
        if not code.isdigit():
            raise RuleViolation("住所コードは数字で入力してください（前方一致）。", field="address_code")
        out["address_code"] = code
    if params.get("removal_reason"):
        if params["removal_reason"] not in dict(c.REMOVAL_REASON_CHOICES):
            raise RuleViolation("消除事由の指定が正しくありません。", field="removal_reason")
        out["removal_reason"] = params["removal_reason"]
    if params.get("blank"):
        if params["blank"] not in BLANK_ITEMS:
            raise RuleViolation("空欄検索できる項目は次のとおりです: " + "、".join(BLANK_ITEMS.values()), field="blank")
        out["blank"] = params["blank"]
    match = params.get("match") or "prefix"
    if match not in MATCHES:
        raise RuleViolation("一致条件は exact（完全一致）・prefix（前方一致）・partial（部分一致）のいずれかです。",
                            field="match")
    out["match"] = match
    out["include_removed"] = bool(params.get("include_removed")) or "removal_reason" in out
    return out


def _key(how: str, text: str) -> str:
    from jumin.search import rules
    from jumin.search.variants import load_variant_map

    if how == "given":     # 名 only: typed in kana or in kanji
        how = "kana" if _is_kana(text) else "name"
    return rules.fold(how, text, load_variant_map())


def _check_not_too_broad(criteria: dict, keys: dict) -> None:
    """A search needs one criterion; a text of one character needs another — a non-text criterion, or another
    text of MIN_KEY_LENGTH characters or more (ア + 住所 is narrow enough, as the refusal itself suggests)."""
    narrowing = set(criteria) - {"match", "include_removed"} - set(TEXT_CRITERIA)
    if not keys and not narrowing:
        raise RuleViolation("検索条件を入力してください（氏名、フリガナ、生年月日、住所、宛名番号など）。",
                            code="too_broad")
    for name, key in keys.items():
        label = TEXT_CRITERIA[name][0]
        if not key:
            raise RuleViolation(f"{label}に検索できる文字がありません。", field=name, code="too_broad")
        others = any(len(other) >= MIN_KEY_LENGTH for n, other in keys.items() if n != name)
        if len(key) < MIN_KEY_LENGTH and not narrowing and not others:
            raise RuleViolation(f"{label}「{criteria[name]}」だけでは該当者が多すぎます。2文字以上入力するか、"
                                "生年月日・性別・住所などの条件を加えてください。", field=name, code="too_broad")


def _key_filter(kinds, key: str, match: str, living_only: bool):
    from jumin.search.rules import prefix_range

    keys = SearchKey.objects.filter(kind__in=kinds)
    if match == "exact":
        keys = keys.filter(key=key)
    elif match == "prefix":
        low, high = prefix_range(key)
        keys = keys.filter(key__gte=low, key__lt=high)
    else:
        keys = keys.filter(key__contains=key)
    return keys.filter(living__in=_living(living_only)).values("addressee_number")


def build_queryset(criteria: dict, keys: dict):
    records = Resident.objects.all()
    if not criteria["include_removed"]:
        records = records.filter(status=c.RESIDENT)
    for name, key in keys.items():
        kinds = TEXT_CRITERIA[name][1]
        records = records.filter(addressee_number__in=_key_filter(kinds, key, criteria["match"],
                                                                  not criteria["include_removed"]))
    for name in NUMBER_CRITERIA:
        if name in criteria:
            records = records.filter(**{name: criteria[name]})
    if "birth_date" in criteria:
        records = records.filter(birth_date=criteria["birth_date"])
    records = _filter_records(records, criteria)
    exact = Q(pk__in=[])
    if "name" in criteria:
        exact |= Q(name=criteria["name"]) | Q(alias=criteria["name"])
    if "kana" in criteria:
        exact |= Q(name_kana=criteria["kana"])
    return records.annotate(
        removed_rank=Case(When(status=c.RESIDENT, then=Value(0)), default=Value(1), output_field=IntegerField()),
        exact_rank=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("removed_rank", "exact_rank", "name_kana", "addressee_number")


def _filter_records(records, criteria: dict):
    """RECORD_FILTERS — 性別, 住所コード (a prefix), 消除事由, a blank item — on the records: the general query
    applies them, the key path checks its candidates against them (`_kept`)."""
    if "sex" in criteria:
        records = records.filter(sex=criteria["sex"])
    if "address_code" in criteria:
        code = criteria["address_code"]
        records = records.filter(address_code__gte=code, address_code__lt=code + "\U0010ffff")
    if "removal_reason" in criteria:
        records = records.filter(status=c.REMOVED, removal_reason=criteria["removal_reason"])
    if "blank" in criteria:
        records = records.filter(**{criteria["blank"]: ""})
    return records


EXACT_FIELDS = set(NUMBER_CRITERIA) | {"birth_date", "sex"}
EXACT_FIELD_CAP = 500      # people read by number/生年月日 before a name criterion narrows them (a day: ~30–150)


def _by_exact_fields(criteria: dict, keys: dict) -> bool:
    """Numbers (宛名番号, 世帯番号, 住民票コード, 個人番号, card numbers) or 生年月日, with 性別 and with name, kana or
    address criteria (prefix or exact) if given: exact matches on indexed columns, a few rows (a person, a
    household, the people born on one day), each then checked against its own search keys."""
    given = set(criteria) - {"match", "include_removed"}
    exact = given & EXACT_FIELDS
    return bool(exact - {"sex"}) and given <= EXACT_FIELDS | set(keys) and (
        not keys or criteria["match"] in ("prefix", "exact"))


def _page_by_exact_fields(criteria: dict, keys: dict, actor: Actor, start: int,
                          page_size: int) -> tuple[list[dict], int] | None:
    """The lookup without the ranking expressions of build_queryset: the rows are read once (up to the count
    cap) and put in the same order in Python — living, an exact match (the stored 氏名/通称 or フリガナ equal to
    what was typed, as build_queryset ranks it), フリガナ, 宛名番号. A text criterion then keeps those whose own
    keys match, so "山田 + S50.5.5" reads the people born that day, not every 山田. None when there are more than
    the cap — then only the general query can order the whole result."""
    conditions, params = [], []
    for name in sorted(EXACT_FIELDS & set(criteria)):
        field = Resident._meta.get_field(name)
        conditions.append(f"{_quote(field.column)} = %s")
        params.append(field.get_db_prep_value(criteria[name], connection))
    if not criteria["include_removed"]:
        conditions.append(f"{_quote('status')} = %s")
        params.append(c.RESIDENT)
    hidden, hidden_params = _hidden(Resident, actor)
    cap = EXACT_FIELD_CAP if keys else COUNT_CAP
    found = _records(f"{' AND '.join(conditions)}{hidden} LIMIT {cap + 1}", params + hidden_params)
    if len(found) > cap:
        return None
    for name, key in sorted(keys.items()):
        # a second statement, not a join or EXISTS: given one statement, PostgreSQL starts from every 山田 in
        # the city (see _numbers_with_key; measured 78 ms instead of a few)
        matched = _numbers_with_key([r["addressee_number"] for r in found], TEXT_CRITERIA[name][1], key,
                                    match=criteria["match"], living_only=not criteria["include_removed"])
        found = [r for r in found if r["addressee_number"] in matched]
    if len(found) > COUNT_CAP:
        return None

    def inexact(r: dict) -> bool:
        typed_name, typed_kana = criteria.get("name"), criteria.get("kana")
        return not ((typed_name and typed_name in (r["name"], r["alias"]))
                    or (typed_kana and typed_kana == r["name_kana"]))

    found.sort(key=lambda r: (r["status"] != c.RESIDENT, inexact(r), r["name_kana"], r["addressee_number"]))
    return [result_row(r) for r in found[start:start + page_size]], len(found)


def _numbers_with_key(numbers: list[str], kinds, key: str, *, match: str, living_only: bool) -> set[str]:
    """Which of these persons have a search key of these kinds matching `key` (the index searchkey_unique
    starts with 宛名番号)."""
    if not numbers:
        return set()
    # "starts with" as substr(), which no index serves: PostgreSQL cannot estimate a prefix range on the key
    # (it guesses 1 row for 石井…) and would walk the key index through every 石井 in the city (60–190 ms)
    # instead of looking up these few persons' keys by 宛名番号 (searchkey_unique)
    condition, key_params = _key_condition(key, match, prefix_as_range=False)
    living = _living(living_only)
    conditions = [f'"addressee_number" IN ({_marks(numbers)})', f'"kind" IN ({_marks(kinds)})', condition,
                  f'"living" IN ({_marks(living)})']
    params = [*numbers, *kinds, *key_params, *living]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT DISTINCT "addressee_number" FROM {_quote(SearchKey._meta.db_table)} '
                       f"WHERE {' AND '.join(conditions)}", params)
        return {row[0] for row in cursor.fetchall()}


RECORD_FILTERS = ("sex", "removal_reason", "blank", "address_code")   # on the record, checked per candidate
DRIVING_ORDER = ("name", "kana", "given_name", "address")   # which text criterion's keys order the page


def _by_key_order(criteria: dict, keys: dict) -> bool:
    """Text criteria — a name, フリガナ or 名, an address, or a name with an address — alone or
    with 性別, 消除事由, a blank item or a 住所コード: the counter's common searches, answered from the key index
    (searchkey_living_cover). The keys carry the person's 宛名番号, living flag and current フリガナ, so the page
    is chosen and ordered without reading or sorting the records of every hit. A name with a フリガナ goes to
    the general query, which ranks an exact match of either."""
    others = set(criteria) - {"match", "include_removed", *RECORD_FILTERS} - set(keys)
    names = set(keys) - {"address"}
    return bool(keys) and len(names) <= 1 and not others


def _key_condition(key: str, match: str, *, prefix_as_range: bool) -> tuple[str, list]:
    """The plain-SQL condition on "key" for a match (as `_key_filter` writes it with the ORM): equal, starts
    with — a range the key index serves, or substr() where the persons are already known — or contains (LIKE
    with this database's escape, as the ORM's `contains`)."""
    from jumin.search.rules import prefix_range

    if match == "exact":
        return '"key" = %s', [key]
    if match == "prefix":
        if prefix_as_range:
            return '"key" >= %s AND "key" < %s', list(prefix_range(key))
        return 'substr("key", 1, %s) = %s', [len(key), key]
    return '"key" ' + connection.operators["contains"] % "%s", [f"%{connection.ops.prep_for_like_query(key)}%"]


def _page_from_keys(criteria: dict, keys: dict, actor: Actor, start: int,
                    page_size: int) -> tuple[list[dict], int] | None:
    """The records of one page — living before removed, an exact match (the key equal to what was typed) first,
    then フリガナ and 宛名番号, as in build_queryset — and the number of persons found (up to COUNT_CAP + 1),
    read from the index searchkey_living_cover by the first of DRIVING_ORDER; the candidates are then checked
    against the other criteria (`_kept`).

    The key rows are read in the page's order, not grouped: a person's first row is their best key, so the
    persons in order of first appearance are the grouped order (living and sort are the same on every row
    of a person) — a top-N sort instead of aggregating every person of a broad prefix (サト, 24,826 persons
    at Sendai scale: 49 → 19 ms). The number of persons is counted from the first COUNT_ROWS key rows of the
    range in index order. None when those rows cannot tell (persons with many matching keys each, or too
    few candidates pass the other criteria): then only the general query can.

    The counter's most frequent search, so plain SQL: the ORM compiled its statements in ~0.7 ms, more
    than PostgreSQL took to run them. The 支援措置/照会抑止 exclusions are the ORM's own (`_hidden`)."""
    driving = next(name for name in DRIVING_ORDER if name in keys)
    key, kinds = keys[driving], TEXT_CRITERIA[driving][1]
    condition, key_params = _key_condition(key, criteria["match"], prefix_as_range=True)
    # 消除事由 is only on 除票: their keys alone (living = false)
    living = [False] if "removal_reason" in criteria else _living(not criteria["include_removed"])
    conditions = [f'"kind" IN ({_marks(kinds)})', condition, f'"living" IN ({_marks(living)})']
    params: list = [*kinds, *key_params, *living]
    hidden, hidden_params = _hidden(SearchKey, actor)
    where = " AND ".join(conditions) + hidden
    params += hidden_params
    table = _quote(SearchKey._meta.db_table)
    filtered = len(keys) > 1 or any(name in criteria for name in RECORD_FILTERS)
    want = start + page_size
    # key rows for the page: a person may have several matching keys (通称, past names); with other criteria
    # as many as are counted, since the フリガナ order runs by given name and given names are mostly one sex's
    # (the first 100 rows of サトウ are all women)
    limit = max(4 * want + PAGE_ROWS_SPARE, COUNT_ROWS) if filtered else 2 * want + PAGE_ROWS_SPARE
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "addressee_number", CASE WHEN "living" THEN 0 ELSE 1 END AS "removed", '
            'CASE WHEN "key" = %s THEN 0 ELSE 1 END AS "inexact", "sort" '
            f"FROM {table} WHERE {where} "
            f'ORDER BY "removed", "inexact", "sort", "addressee_number" LIMIT {limit}', [key, *params])
        rows = cursor.fetchall()
        persons = _kept(cursor, list(dict.fromkeys(row[0] for row in rows)), criteria, keys, driving)
        if len(rows) < limit:
            total = len(persons)                    # every matching key was read
        elif len(persons) < want:
            return None
        elif len(persons) > COUNT_CAP:
            total = COUNT_CAP + 1
        else:
            # how many persons, up to COUNT_CAP + 1: the first rows of the range in index order suffice
            cursor.execute(f'SELECT "addressee_number" FROM {table} WHERE {where} LIMIT {COUNT_ROWS}', params)
            counted = cursor.fetchall()
            distinct = len(_kept(cursor, list({row[0] for row in counted}), criteria, keys, driving))
            if distinct <= COUNT_CAP and len(counted) == COUNT_ROWS:
                return None
            total = min(distinct, COUNT_CAP + 1)
    numbers = persons[start:want]
    found = {}
    if numbers:
        found = {r["addressee_number"]: r for r in
                 _records(f'{_quote("addressee_number")} IN ({_marks(numbers)})', numbers)}
    return [result_row(found[n]) for n in numbers if n in found], total


def _kept(cursor, numbers: list[str], criteria: dict, keys: dict, driving: str) -> list[str]:
    """Those of `numbers` (in their order) that meet the criteria besides the driving key: the record's 性別,
    消除事由, blank item or 住所コード prefix (one statement), and each other text criterion on the person's own
    keys."""
    if not numbers:
        return numbers
    kept = set(numbers)
    conditions, params = _where_of(_filter_records(Resident.objects.all(), criteria))
    if conditions:
        cursor.execute(f'SELECT "addressee_number" FROM {_quote(Resident._meta.db_table)} '
                       f'WHERE "addressee_number" IN ({_marks(numbers)}){conditions}', [*numbers, *params])
        kept = {row[0] for row in cursor.fetchall()}
    for name, key in sorted(keys.items()):
        if name != driving and kept:
            kept = _numbers_with_key(sorted(kept), TEXT_CRITERIA[name][1], key, match=criteria["match"],
                                     living_only=not criteria["include_removed"])
    return [n for n in numbers if n in kept]


def _living(living_only: bool) -> list[bool]:
    """The values of `living` a key query asks for, always written as `living IN (…)`: an equality on the
    second column of searchkey_living_cover, so both databases read a key range from that index alone (a bare
    `WHERE living`, or none when 除票 are included, leaves the column out of the index condition)."""
    return [True] if living_only else [True, False]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _marks(values) -> str:
    """One placeholder per value, for IN (…)."""
    return ", ".join(["%s"] * len(values))


def _hidden(model, actor: Actor) -> tuple[str, list]:
    """hide_protected and hide_view_restricted — 支援措置 and 照会抑止 (error), never shown to a role without
    the right to see protected persons — as an SQL condition on the model's own table ("" for the roles that
    may see them), compiled from the same conditions every ORM query uses."""
    from jumin.restrictions.queries import hide_protected, hide_view_restricted

    return _where_of(hide_view_restricted(hide_protected(model.objects.all(), actor), actor))


def _where_of(queryset) -> tuple[str, list]:
    """A queryset's conditions as " AND …" SQL on its own table, with their parameters ("" when none)."""
    query = queryset.query
    if not query.where:
        return "", []
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return f" AND {sql}", list(params)


def _records(where: str, params) -> list[dict]:
    """RESULT_FIELDS of the records matching a plain-SQL condition, as dictionaries."""
    columns = ", ".join(f"{_quote(Resident._meta.get_field(f).column)} AS {_quote(f)}" for f in RESULT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {_quote(Resident._meta.db_table)} WHERE {where}", params)
        names = [col[0] for col in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    for row in rows:  # SQLite returns dates as text to a plain cursor
        if isinstance(row["birth_date"], str):
            row["birth_date"] = date.fromisoformat(row["birth_date"])
    return rows


VIEW_RESTRICTED_ADDRESS = "（照会抑止のため表示しません）"
RESULT_FIELDS = ("addressee_number", "household_number", "name", "name_kana", "alias", "former_surname", "birth_date",
                 "birth_date_text", "sex", "address", "address_supplement", "head_name", "relationship", "status",
                 "removal_reason", "resident_type")


SEX_LABELS, STATUS_LABELS = dict(c.SEX_CHOICES), dict(c.STATUS_CHOICES)
REMOVAL_LABELS = dict(c.REMOVAL_REASON_CHOICES)


def result_row(r: dict) -> dict:
    """One result line from the record's RESULT_FIELDS values (plain values, not model instances: a page is
    built on every search, and instances with deferred fields cost ~0.05 ms each)."""
    foreign = r["resident_type"] == c.FOREIGN
    return {
        "addressee_number": r["addressee_number"], "household_number": r["household_number"], "name": r["name"],
        "name_kana": r["name_kana"], "alias": r["alias"], "former_surname": r["former_surname"],
        "birth_date": r["birth_date"].isoformat() if r["birth_date"] else None,
        "birth_date_display": display_date(r["birth_date"], r["birth_date_text"], seireki=foreign),
        "sex": r["sex"], "sex_label": SEX_LABELS.get(r["sex"], r["sex"]), "address": r["address"],
        "address_supplement": r["address_supplement"], "head_name": r["head_name"],
        "relationship": r["relationship"], "status": r["status"],
        "status_label": STATUS_LABELS.get(r["status"], r["status"]),
        "removal_reason": REMOVAL_LABELS.get(r["removal_reason"], r["removal_reason"]),
        "resident_type": r["resident_type"],
    }


def masked_criteria(criteria: dict) -> dict:
    out = {}
    for k, v in criteria.items():
        if k == "individual_number":
            v = "************"
        out[k] = v.isoformat() if isinstance(v, date) else v
    return out


def loggable(params: dict) -> dict:
    """Refused input as it may be kept in the log: no 個人番号, no control characters, at most 100 characters."""
    out = {}
    for key, value in masked_criteria({k: v for k, v in params.items() if isinstance(v, (str, bool, int))}).items():
        if isinstance(value, str):
            value = "".join(ch for ch in value[:100] if unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
        out[key] = value
    return out


def clean_search(params: dict, *, actor: Actor, page: int = 1, page_size: int = 20) -> tuple[dict, dict]:
    """(criteria, folded keys) of a search as typed, or a RuleViolation (PermissionDenied) naming the field — the
    caller logs the refusal. Shared with the 住登外 candidate search (共通機能 §2.3.2), which folds the same way."""
    actor.user.require(perms.VIEW_RECORD)
    if params.get("individual_number"):
        actor.user.require(perms.VIEW_INDIVIDUAL_NUMBER)
    criteria = _clean(params)
    keys = {name: _key(TEXT_CRITERIA[name][2], criteria[name]) for name in TEXT_CRITERIA if name in criteria}
    _check_not_too_broad(criteria, keys)
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise RuleViolation(f"1ページの件数は1〜{MAX_PAGE_SIZE}件で指定してください。", field="page_size")
    if page < 1:
        raise RuleViolation("ページは1以上で指定してください。", field="page")
    return criteria, keys


def find(criteria: dict, keys: dict, *, actor: Actor, page: int = 1, page_size: int = 20) -> tuple[list[dict], int]:
    """(result rows of one page, persons found up to COUNT_CAP + 1) for cleaned criteria, 支援措置 and 照会抑止
    excluded for a role without the right and flagged for one with it. No log: the caller writes it."""
    from jumin.restrictions.queries import (any_flags, hide_protected, hide_view_restricted, protection_flags,
                                            restriction_flags, view_blocked)

    start = (page - 1) * page_size
    found = None
    if _by_exact_fields(criteria, keys):
        found = _page_by_exact_fields(criteria, keys, actor, start, page_size)
    elif _by_key_order(criteria, keys):
        found = _page_from_keys(criteria, keys, actor, start, page_size)
    if found is not None:
        rows, total = found
    else:
        # 支援措置 and 照会抑止 (error): never shown to a role without the right to see protected persons
        records = hide_view_restricted(hide_protected(build_queryset(criteria, keys), actor), actor)
        # the ranks are selected too: left out, the ORM would inline a constant rank into ORDER BY as "1",
        # which SQL reads as "the first column"
        rows = [result_row(r) for r in
                records.values(*RESULT_FIELDS, "removed_rank", "exact_rank")[start:start + page_size]]
        if start == 0 and len(rows) < page_size:
            total = len(rows)                       # the whole result is on this page: no count query
        else:
            total = len(records.order_by().values("pk")[:COUNT_CAP + 1])
    if actor.user.may(perms.VIEW_PROTECTED):
        household_of = {r["addressee_number"]: r["household_number"] for r in rows}
        protection, restrictions = {}, {}
        if rows and any_flags(household_of):    # one query; the flags themselves only when there are some
            numbers = list(household_of)
            protection = protection_flags(numbers)
            restrictions = restriction_flags(numbers, household_of=household_of)
        for r in rows:
            r["protection"] = protection.get(r["addressee_number"])
            r["restrictions"] = restrictions.get(r["addressee_number"], [])
            if view_blocked(r["restrictions"]):
                # the record itself is refused even to this role: the row names the person and the 抑止 only
                r.update(address=VIEW_RESTRICTED_ADDRESS, address_supplement="", address_masked=True)
    return rows, total


def search(params: dict, *, actor: Actor, page: int = 1, page_size: int = 20) -> dict:
    function = "search"
    try:
        criteria, keys = clean_search(params, actor=actor, page=page, page_size=page_size)
    except RuleViolation as refusal:
        log_refusal(actor, function, (), message=refusal.message, detail={"criteria": loggable(params)})
        raise
    rows, total = find(criteria, keys, actor=actor, page=page, page_size=page_size)
    masked = masked_criteria(criteria)
    # Two autocommitted INSERTs, not one transaction: the log row is what must exist; the history row is the
    # clerk's own convenience. Two round trips fewer on every search.
    log_operation(actor, function, [r["addressee_number"] for r in rows],
                  individual_number_shown="individual_number" in criteria, detail={"criteria": masked, "hits": total})
    insert_rows(SearchHistory, [{"user": actor.user.pk, "at": timezone.now(), "criteria": masked, "hits": total}])
    return {"criteria": masked, "total": min(total, COUNT_CAP), "total_capped": total > COUNT_CAP,
            "page": page, "page_size": page_size, "results": rows}


def recent_searches(*, actor: Actor, limit: int = 20) -> list[dict]:
    """The user's own search history (standard-spec §6.1)."""
    actor.user.require(perms.VIEW_RECORD)
    return [{"at": h.at.isoformat(), "criteria": h.criteria, "hits": h.hits}
            for h in SearchHistory.objects.filter(user=actor.user).order_by("-at")[:limit]]
