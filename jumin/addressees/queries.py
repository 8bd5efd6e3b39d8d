"""Reads of a 住登外者: the current record with its history, and the record as of a day. Each read checks
VIEW_NON_RESIDENT and writes its operation-log row; a 支援措置 or 照会抑止 person's 住登外 record is refused to a role
without VIEW_PROTECTED with the same neutral message as a resident's (jumin.restrictions, the one enforcement
module); the 個人番号 is masked unless the role may see it and the caller asked, and its showing is logged.
"""

from __future__ import annotations

from datetime import date

from jumin.accounts import rules as perms
from jumin.addressees import rules
from jumin.addressees.actions import ITEM_NAMES
from jumin.addressees.models import NonResident, NonResidentHistory, NonResidentKey
from jumin.audit.actions import Actor, log_operation, log_refusal, logged_refusals, refuse, require_permission
from jumin.core import businesses
from jumin.core.errors import NotFound, RuleViolation
from jumin.register.choices import SEX_CHOICES

MASK = "************"
VIEW = "addressees.view"


def _hidden(actor: Actor, number: str) -> bool:
    from jumin.restrictions.queries import hidden_q, hides

    return hides(actor) and NonResident.objects.filter(hidden_q(), addressee_number=number).exists()


def _items(row, *, show_number: bool) -> dict:
    out = {name: getattr(row, name) for name in ITEM_NAMES}
    out["birth_date"] = out["birth_date"].isoformat() if out["birth_date"] else None
    out["notified_on"] = out["notified_on"].isoformat() if out["notified_on"] else None
    if out["individual_number"] and not show_number:
        out["individual_number"] = MASK
    out["kind_label"] = dict(rules.KIND_CHOICES).get(row.kind, row.kind)
    out["state_label"] = dict(rules.STATE_CHOICES).get(row.state, row.state)
    out["business_label"] = businesses.business_name(row.business)
    return out


def _snapshot_dict(row: NonResidentHistory, *, show_number: bool) -> dict:
    return {**_items(row, show_number=show_number), "history_number": row.history_number,
            "reason_code": row.reason_code, "reason_label": rules.REASONS.get(row.reason_code, row.reason_code),
            "effective_on": row.effective_on.isoformat(), "reason": row.reason,
            "recorded_at": row.recorded_at.isoformat(), "recorded_by": row.recorded_by}


def get_non_resident(number: str, *, actor: Actor, show_individual_number: bool = False) -> dict:
    """One 住登外者: the current items, 版, and every snapshot (newest first)."""
    number = str(number)[:10]
    require_permission(actor, perms.VIEW_NON_RESIDENT, VIEW, [number])
    if show_individual_number:
        require_permission(actor, perms.VIEW_INDIVIDUAL_NUMBER, VIEW, [number])
    record = NonResident.objects.filter(addressee_number=number).first()
    if record is None:
        refuse(actor, VIEW, NotFound(f"宛名番号 {number} の住登外者は見つかりません。", field="addressee_number"))
    if _hidden(actor, number):
        from jumin.restrictions.queries import NEUTRAL_MESSAGE, Restricted

        log_refusal(actor, VIEW, [number], message="支援措置対象者・照会抑止（照会権限なし）", detail={"guard": "hidden"})
        raise Restricted(NEUTRAL_MESSAGE)
    shown = bool(show_individual_number and record.individual_number)
    out = record_dict(record, show_individual_number=shown)
    log_operation(actor, VIEW, [number], individual_number_shown=shown)
    return out


def record_dict(record: NonResident, *, show_individual_number: bool = False) -> dict:
    """The answer for one record (current items, 版, every snapshot newest first), without a check or a log: for
    an action that has just written it, and logged that, or for `get_non_resident`."""
    history = NonResidentHistory.objects.filter(addressee_number=record.addressee_number).order_by("-history_number")
    return {**_items(record, show_number=show_individual_number), "version": record.version,
            "history_number": record.history_number,
            "history": [_snapshot_dict(h, show_number=show_individual_number) for h in history]}


def snapshot_as_of(number: str, on: date) -> NonResidentHistory | None:
    """The snapshot in force on `on` — the register's rule (a snapshot counts from the latest 異動日 seen so far in
    history order; register.queries.snapshot_as_of). No right check or log: callers do both."""
    from jumin.register.rules import in_force

    return in_force(NonResidentHistory.objects.filter(addressee_number=number).order_by("history_number"), on)


# ------------------------------------------------------------------ candidates (共通機能 §2.3.2: 0310007 → 0310005 → 0310006)

CANDIDATES = "addressees.candidates"
CANDIDATE_LIMIT = 50
COUNT_CAP = 100
KEY_ROWS = 1000            # key rows read for one text criterion (a person has 1–3 matching keys)
EXACT_CAP = 500            # 住登外者 read by 生年月日 or a number before a name criterion narrows them
# Criteria of the counter's search that no 住登外 record carries: with one of them, no 住登外者 can match.
REGISTER_ONLY = {"household_number", "resident_code", "residence_card_number",
                 "special_permanent_certificate_number", "address_code", "removal_reason", "blank"}
RECORD_FIELDS = ("addressee_number", "individual_number", "birth_date", "sex")
ROW_FIELDS = ("addressee_number", "name", "name_kana", "alias", "birth_date", "birth_date_text", "sex", "kind",
              "state", "address_kind", "address", "address_supplement", "country_name", "foreign_address",
              "merged_into", "business", "referring_businesses", "other_business_hidden")
POPULATION_LABELS = {"resident": "住民", "removed": "除票", "non_resident": "住登外"}


def _key_rows(kinds, key: str, match: str):
    keys = NonResidentKey.objects.filter(kind__in=kinds)
    if match == "exact":
        return keys.filter(key=key)
    if match == "prefix":
        from jumin.search.rules import prefix_range

        low, high = prefix_range(key)
        return keys.filter(key__gte=low, key__lt=high)
    return keys.filter(key__contains=key)


def _numbers(criteria: dict, keys: dict) -> list[str] | None:
    """The 宛名番号 of the 住登外者 matching the criteria — by a number or 生年月日 first (an index each), then by
    the first text criterion's key range — in key order; None when more than the cap match."""
    from jumin.search.queries import TEXT_CRITERIA

    exact = {name: criteria[name] for name in RECORD_FIELDS if name in criteria}
    texts = sorted(keys.items())
    if exact:
        numbers = list(NonResident.objects.filter(**exact).order_by("addressee_number")
                       .values_list("addressee_number", flat=True)[:EXACT_CAP + 1])
        if len(numbers) > EXACT_CAP:
            return None
    else:
        name, key = texts.pop(0)
        rows = list(_key_rows(TEXT_CRITERIA[name][1], key, criteria["match"]).order_by("key", "addressee_number")
                    .values_list("addressee_number", flat=True)[:KEY_ROWS + 1])
        numbers = list(dict.fromkeys(rows))
        if len(rows) > KEY_ROWS and len(numbers) > COUNT_CAP:
            return None
    for name, key in texts:        # a second statement per criterion, on these persons' own keys
        matched = set(_key_rows(TEXT_CRITERIA[name][1], key, criteria["match"])
                      .filter(addressee_number__in=numbers).values_list("addressee_number", flat=True))
        numbers = [n for n in numbers if n in matched]
    return numbers


def _row(r: dict, business: str | None) -> dict:
    """One 住登外 line of a result, marked as such. A record another 業務 may not refer to (他業務参照不可, the caller's
    業務 not among its 参照業務) shows its number, 種別 and 状態 only: the clerk learns the person is numbered, and
    must ask the registering 業務, instead of numbering them twice."""
    from jumin.register.queries import display_date

    out = {"population": "non_resident", "population_label": POPULATION_LABELS["non_resident"],
           "addressee_number": r["addressee_number"], "kind": r["kind"],
           "kind_label": dict(rules.KIND_CHOICES).get(r["kind"], r["kind"]), "state": r["state"],
           "state_label": dict(rules.STATE_CHOICES).get(r["state"], r["state"]), "merged_into": r["merged_into"],
           "business": r["business"], "business_label": businesses.business_name(r["business"])}
    if r["other_business_hidden"] and business not in r["referring_businesses"]:
        return {**out, "withheld": True, "name": "", "name_kana": "", "alias": "", "birth_date": None,
                "birth_date_display": "", "sex": "", "sex_label": "", "address": "（他業務参照不可）"}
    abroad = r["address_kind"] == rules.OVERSEAS
    return {**out, "withheld": False, "name": r["name"], "name_kana": r["name_kana"], "alias": r["alias"],
            "birth_date": r["birth_date"].isoformat() if r["birth_date"] else None,
            "birth_date_display": display_date(r["birth_date"], r["birth_date_text"]),
            "sex": r["sex"], "sex_label": dict(SEX_CHOICES).get(r["sex"], r["sex"]),
            "address": f"{r['country_name']} {r['foreign_address']}" if abroad
            else r["address"] + (f" {r['address_supplement']}" if r["address_supplement"] else "")}


def find_non_residents(criteria: dict, keys: dict, *, actor: Actor, business: str | None,
                       limit: int = CANDIDATE_LIMIT) -> tuple[list[dict], int]:
    """(住登外 result lines, 住登外者 found up to COUNT_CAP + 1) for criteria cleaned and folded by the register's
    search (search.queries.clean_search): in use before merged or retired, then フリガナ. A 支援措置 or 照会抑止
    person's 住登外 record is left out for a role without VIEW_PROTECTED (restrictions.hidden_q, as everywhere).
    No log: the caller writes it."""
    from jumin.restrictions.queries import hidden_q, hides

    if set(criteria) & REGISTER_ONLY:
        return [], 0
    numbers = _numbers(criteria, keys)
    if numbers is None:
        return [], COUNT_CAP + 1
    records = NonResident.objects.filter(addressee_number__in=numbers)
    if "sex" in criteria:
        records = records.filter(sex=criteria["sex"])
    if hides(actor):
        records = records.exclude(hidden_q())
    found = list(records.values(*ROW_FIELDS))
    found.sort(key=lambda r: (r["state"] != rules.IN_USE, r["name_kana"], r["addressee_number"]))
    return [_row(r, business) for r in found[:limit]], len(found)


def find_candidates(params: dict, *, actor: Actor, business: str, limit: int = CANDIDATE_LIMIT) -> dict:
    """住登外者宛名基本情報照会 (0310007 照会依頼受信 → 0310005 検索 → 0310006 候補返却): the persons matching the
    基本4情報 as typed — 完全一致 (exact), 前方一致 (prefix) or 部分一致 (partial) — among residents, 除票 and
    住登外者 at once, folded as the counter's search folds (kana, 異体字, width, spaces), so a clerk never numbers a
    former resident as a stranger. Residents and 除票 (`registered`, each line saying which) apart from 住登外者
    (`non_residents`), never mixed. One log row names every person shown."""
    from jumin.search import queries as search

    require_permission(actor, perms.VIEW_RECORD, CANDIDATES)
    require_permission(actor, perms.VIEW_NON_RESIDENT, CANDIDATES)
    if params.get("individual_number"):
        require_permission(actor, perms.VIEW_INDIVIDUAL_NUMBER, CANDIDATES)
    with logged_refusals(actor, CANDIDATES, detail={"criteria": search.loggable(params)}):
        code = businesses.validate_business(business, field="business", label="照会する業務")
        asked = {"match": "exact", **params, "include_removed": True}   # 完全一致 unless the caller asks otherwise
        criteria, keys = search.clean_search(asked, actor=actor, page_size=limit)
    registered, registered_total = search.find(criteria, keys, actor=actor, page_size=limit)
    for r in registered:
        population = "resident" if r["status"] == "resident" else "removed"
        r.update(population=population, population_label=POPULATION_LABELS[population])
    others, others_total = find_non_residents(criteria, keys, actor=actor, business=code, limit=limit)
    masked = search.masked_criteria(criteria)
    log_operation(actor, CANDIDATES, [r["addressee_number"] for r in registered + others],
                  individual_number_shown="individual_number" in criteria,
                  detail={"criteria": masked, "business": code,
                          "hits": {"registered": registered_total, "non_resident": others_total}})
    return {"criteria": masked, "business": code, "registered": registered, "non_residents": others,
            "registered_total": min(registered_total, COUNT_CAP), "non_resident_total": min(others_total, COUNT_CAP),
            "capped": registered_total > COUNT_CAP or others_total > COUNT_CAP}


COUNTER_SEARCH = "addressees.search"
COUNTER_BUSINESS = "001"     # the counter asks as 住民基本台帳


def search_non_residents(params: dict, *, actor: Actor, business: str = COUNTER_BUSINESS, limit: int = 20) -> dict:
    """The counter's 住民検索 asked to include 住登外者 (issue #17 item 6): the same criteria, folded the same way,
    answered apart from the residents (marked 住登外, never mixed in), with its own log row."""
    from jumin.search import queries as search

    require_permission(actor, perms.VIEW_NON_RESIDENT, COUNTER_SEARCH)
    with logged_refusals(actor, COUNTER_SEARCH, detail={"criteria": search.loggable(params)}):
        criteria, keys = search.clean_search(params, actor=actor, page_size=limit)
    rows, total = find_non_residents(criteria, keys, actor=actor, business=business, limit=limit)
    log_operation(actor, COUNTER_SEARCH, [r["addressee_number"] for r in rows],
                  individual_number_shown="individual_number" in criteria,
                  detail={"criteria": search.masked_criteria(criteria), "hits": total})
    return {"total": min(total, COUNT_CAP), "capped": total > COUNT_CAP, "results": rows}


# ------------------------------------------------------------------ 名寄せ

MERGES = "addressees.merges"


def merge_dict(proposal) -> dict:
    return {"id": proposal.pk, "source_number": proposal.source_number, "target_number": proposal.target_number,
            "target_kind": proposal.target_kind, "target_kind_label": proposal.get_target_kind_display(),
            "status": proposal.status, "status_label": proposal.get_status_display(), "reason": proposal.reason,
            "proposed_by": proposal.proposed_by, "proposed_at": proposal.proposed_at.isoformat(),
            "decided_by": proposal.decided_by,
            "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
            "decision_reason": proposal.decision_reason, "version": proposal.version}


def list_merges(*, actor: Actor, status: str | None = None, limit: int = 100) -> list[dict]:
    """The 名寄せ (newest first), e.g. those waiting for a decision; a 支援措置 person's are left out for a role
    without the right, on either side."""
    from jumin.addressees.models import MergeProposal
    from jumin.restrictions.queries import hidden_q, hides

    require_permission(actor, perms.VIEW_NON_RESIDENT, MERGES)
    proposals = MergeProposal.objects.order_by("-pk")
    if status:
        if status not in dict(rules.MERGE_STATUS_CHOICES):
            refuse(actor, MERGES, RuleViolation("状態の指定が正しくありません。", field="status"))
        proposals = proposals.filter(status=status)
    if hides(actor):
        proposals = proposals.exclude(hidden_q("source_number")).exclude(hidden_q("target_number"))
    rows = [merge_dict(p) for p in proposals[:limit]]
    log_operation(actor, MERGES, sorted({n for r in rows for n in (r["source_number"], r["target_number"])}))
    return rows


# ------------------------------------------------------------------ the duplicate report (issue #17 item 4)

DUPLICATES = "addressees.duplicates"
DUPLICATE_BASES = {
    "individual_number": "個人番号が同じ",
    "name_birth": "氏名（異体字・かな等を同一視）と生年月日が同じ",
    "name_address": "氏名と住所が同じ",
}
IN_USE_SQL = "'in_use'"
# Pairs of 宛名番号 (住登外, other) per basis, in plain SQL that both databases run; the folded names and addresses
# are the search keys (addressees_nonresidentkey, search_searchkey), so 髙橋 and 高橋 meet as in the search.
DUPLICATE_SQL = {
    "individual_number": [
        ("non_resident", f"""SELECT a.addressee_number, b.addressee_number FROM addressees_nonresident a
            JOIN addressees_nonresident b ON b.individual_number = a.individual_number
             AND b.addressee_number > a.addressee_number AND b.state = {IN_USE_SQL}
            WHERE a.individual_number <> '' AND a.state = {IN_USE_SQL}"""),
        ("resident", f"""SELECT n.addressee_number, r.addressee_number FROM addressees_nonresident n
            JOIN register_resident r ON r.individual_number = n.individual_number
             AND r.addressee_number <> n.addressee_number
            WHERE n.individual_number <> '' AND n.state = {IN_USE_SQL}"""),
    ],
    "name_birth": [
        ("non_resident", f"""WITH named AS (
              SELECT k.key, n.birth_date, k.addressee_number FROM addressees_nonresidentkey k
              JOIN addressees_nonresident n ON n.addressee_number = k.addressee_number
              WHERE k.kind = 'name' AND n.state = {IN_USE_SQL} AND n.birth_date IS NOT NULL),
            twice AS (SELECT key, birth_date FROM named GROUP BY key, birth_date
                      HAVING COUNT(DISTINCT addressee_number) > 1)
            SELECT a.addressee_number, b.addressee_number FROM named a
            JOIN twice t ON t.key = a.key AND t.birth_date = a.birth_date
            JOIN named b ON b.key = a.key AND b.birth_date = a.birth_date AND b.addressee_number > a.addressee_number
            """),
        ("resident", f"""SELECT DISTINCT n.addressee_number, r.addressee_number FROM addressees_nonresidentkey k
            JOIN addressees_nonresident n ON n.addressee_number = k.addressee_number
            JOIN search_searchkey s ON s.kind = 'name' AND s.key = k.key AND s.current
            JOIN register_resident r ON r.addressee_number = s.addressee_number AND r.birth_date = n.birth_date
             AND r.sex = n.sex AND r.addressee_number <> n.addressee_number
            WHERE k.kind = 'name' AND n.state = {IN_USE_SQL}"""),
    ],
    "name_address": [
        ("non_resident", f"""WITH keyed AS (
              SELECT kn.key AS name_key, ka.key AS address_key, kn.addressee_number
              FROM addressees_nonresidentkey kn
              JOIN addressees_nonresidentkey ka ON ka.addressee_number = kn.addressee_number AND ka.kind = 'address'
              JOIN addressees_nonresident n ON n.addressee_number = kn.addressee_number
              WHERE kn.kind = 'name' AND n.state = {IN_USE_SQL}),
            twice AS (SELECT name_key, address_key FROM keyed GROUP BY name_key, address_key
                      HAVING COUNT(DISTINCT addressee_number) > 1)
            SELECT DISTINCT a.addressee_number, b.addressee_number FROM keyed a
            JOIN twice t ON t.name_key = a.name_key AND t.address_key = a.address_key
            JOIN keyed b ON b.name_key = a.name_key AND b.address_key = a.address_key
             AND b.addressee_number > a.addressee_number"""),
    ],
}


def _groups(pairs) -> list[list[str]]:
    """Connected groups of 宛名番号 from pairs (union-find), each sorted, in order of their first number."""
    parent: dict[str, str] = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def find_duplicates(*, actor: Actor) -> list[dict]:
    """Likely duplicates for a clerk to review (名寄せの候補): 住登外 records in use that share a 個人番号, a folded
    氏名 and 生年月日, or a 氏名 and 住所 — with each other or with a resident's or a 除票's record. One group per
    basis and set of records, each member with what a clerk needs to judge. 支援措置 persons are left out for a role
    without the right. Nothing is merged: a merge is proposed and decided (do_propose_merge)."""
    from django.db import connection

    from jumin.register.models import Resident
    from jumin.restrictions.queries import hidden_q, hides

    require_permission(actor, perms.VIEW_NON_RESIDENT, DUPLICATES)
    require_permission(actor, perms.VIEW_RECORD, DUPLICATES)
    found = []
    with connection.cursor() as cursor:
        for basis, statements in DUPLICATE_SQL.items():
            pairs = []
            for _, sql in statements:
                cursor.execute(sql)
                pairs += cursor.fetchall()
            found += [(basis, group) for group in _groups(pairs)]
    numbers = sorted({n for _, group in found for n in group})
    hidden: set[str] = set()
    people: dict[str, dict] = {}
    for i in range(0, len(numbers), 5000):
        chunk = numbers[i:i + 5000]
        if hides(actor):
            hidden |= set(NonResident.objects.filter(hidden_q(), addressee_number__in=chunk)
                          .values_list("addressee_number", flat=True))
            hidden |= set(Resident.objects.filter(hidden_q(), addressee_number__in=chunk)
                          .values_list("addressee_number", flat=True))
        for r in Resident.objects.filter(addressee_number__in=chunk).values(
                "addressee_number", "name", "birth_date", "birth_date_text", "address", "status"):
            people[r["addressee_number"]] = {**r, "population": "resident" if r["status"] == "resident" else "removed"}
        for r in NonResident.objects.filter(addressee_number__in=chunk, state=rules.IN_USE).values(
                "addressee_number", "name", "birth_date", "birth_date_text", "address", "foreign_address"):
            people[r["addressee_number"]] = {**r, "address": r["address"] or r["foreign_address"],
                                             "population": "non_resident"}
    from jumin.register.queries import display_date

    report = []
    for basis, group in found:
        members = [n for n in group if n not in hidden and n in people]
        if len(members) < 2:
            continue
        report.append({"basis": basis, "basis_label": DUPLICATE_BASES[basis], "members": [
            {"addressee_number": n, "population": people[n]["population"],
             "population_label": POPULATION_LABELS[people[n]["population"]], "name": people[n]["name"],
             "birth_date_display": display_date(people[n]["birth_date"], people[n]["birth_date_text"]),
             "address": people[n]["address"]} for n in members]})
    shown = sorted({m["addressee_number"] for g in report for m in g["members"]})
    log_operation(actor, DUPLICATES, shown, detail={"groups": len(report), "persons": len(shown)})
    return report


# ------------------------------------------------------------------ 団体内統合宛名

def integrated_dict(record, *, show_individual_number: bool = False) -> dict:
    return {"integrated_number": record.integrated_number, "addressee_number": record.addressee_number,
            "population": record.population, "population_label": record.get_population_display(),
            "individual_number": record.individual_number if show_individual_number else MASK,
            "name": record.name, "name_kana": record.name_kana,
            "birth_date": record.birth_date.isoformat() if record.birth_date else None,
            "birth_date_text": record.birth_date_text, "sex": record.sex, "address": record.address,
            "business": record.business, "assigned_at": record.assigned_at.isoformat()}


def find_integrated(individual_number, *, actor: Actor, purpose: str) -> dict:
    """0320004 検索 by 個人番号: every such lookup is logged with its purpose (番号法の事務) — found or not. A 支援措置
    person's record is refused to a role without the right with the register's neutral message."""
    from jumin.addressees.actions import LOOKUP_INTEGRATED, _purpose
    from jumin.addressees.models import IntegratedAddressee
    from jumin.core.check_digits import validate_individual_number

    require_permission(actor, perms.INTEGRATED_NUMBER, LOOKUP_INTEGRATED)
    require_permission(actor, perms.VIEW_INDIVIDUAL_NUMBER, LOOKUP_INTEGRATED)
    with logged_refusals(actor, LOOKUP_INTEGRATED):
        purpose = _purpose(purpose)
        number = validate_individual_number(individual_number, field="individual_number")
        record = IntegratedAddressee.objects.filter(individual_number=number).first()
        if record is None:
            raise NotFound("この個人番号の団体内統合宛名はありません。", field="individual_number")
    if _hidden_number(actor, record.addressee_number):
        from jumin.restrictions.queries import NEUTRAL_MESSAGE, Restricted

        log_refusal(actor, LOOKUP_INTEGRATED, [record.addressee_number], message="支援措置対象者・照会抑止（照会権限なし）",
                    detail={"guard": "hidden"})
        raise Restricted(NEUTRAL_MESSAGE)
    log_operation(actor, LOOKUP_INTEGRATED, [record.addressee_number], individual_number_shown=True, reason=purpose,
                  detail={"integrated_number": record.integrated_number})
    return integrated_dict(record, show_individual_number=True)


def _hidden_number(actor: Actor, number: str) -> bool:
    from jumin.restrictions.queries import hidden_numbers, hides

    if not hides(actor):
        return False
    return number in hidden_numbers(actor, [number]) or _hidden(actor, number)


EXPORT_INTEGRATED = "integrated.export"
# The 副本 registration file for the 中間サーバー (共通機能 §2.4.2: 団体内統合宛名番号, 個人番号 and the 基本4情報). The
# 中間サーバー's own 外部IF layout was not retrieved: this is jumin's documented CSV layout (docs/addressees-layouts.md),
# its header the data dictionary's Japanese names of these items.
EXPORT_ITEMS = ("integrated_number", "individual_number", "name", "name_kana", "birth_date", "birth_date_text", "sex",
                "address")


def export_integrated(*, actor: Actor) -> tuple[list[str], list[list]]:
    """(header, rows) of the 副本 registration file: every 団体内統合宛名, in number order. Logged with the count."""
    from jumin.addressees.models import IntegratedAddressee

    require_permission(actor, perms.INTEGRATED_NUMBER, EXPORT_INTEGRATED)
    require_permission(actor, perms.VIEW_INDIVIDUAL_NUMBER, EXPORT_INTEGRATED)
    header = [str(IntegratedAddressee._meta.get_field(name).verbose_name) for name in EXPORT_ITEMS]
    rows = [[v.isoformat() if isinstance(v, date) else v for v in row] for row in
            IntegratedAddressee.objects.order_by("integrated_number").values_list(*EXPORT_ITEMS)]
    log_operation(actor, EXPORT_INTEGRATED, [], individual_number_shown=True, detail={"rows": len(rows)})
    return header, rows
