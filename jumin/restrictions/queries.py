"""Reading protections and restrictions, and THE enforcement module: every exit of personal data asks a
`guard_*` function here (record/history/as-of/household reads, search, changes, certificates).

Refusals that concern a protected person or a 照会/発行 抑止 carry one neutral message that reveals nothing
(not even that a protection exists); the real reason goes only into the operation log. Every attempt on a
person a protection or 抑止 applies to is logged, allowed or refused. `now` / `today` may be passed in so
the rules can be tested at any time; by default they are the current time.
"""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal, require_permission
from jumin.core.errors import Alert, NotFound, PermissionDenied, RuleViolation
from jumin.restrictions import models as m
from jumin.restrictions import rules

NEUTRAL_MESSAGE = "この方の住民票は表示できません。担当窓口にお問い合わせください。"
NEUTRAL_CERTIFICATE_MESSAGE = "この請求には応じられません。担当窓口にお問い合わせください。"
CHANGE_MESSAGE = ("異動の抑止が設定されている方が含まれているため、登録できません。"
                  "抑止の設定・解除の権限を持つ担当者に確認してください。")


class Restricted(PermissionDenied):
    """A neutral refusal (HTTP 403, code "restricted")."""

    default_code = "restricted"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _today(now: datetime) -> date:
    return timezone.localdate(now)


# ---------------------------------------------------------------- who is protected

def active_orders():
    """Orders in force: registered and not ended. The end date passing does not end an order."""
    return m.ProtectionOrder.objects.filter(status=m.ACTIVE)


def protected_numbers_q(field: str = "addressee_number") -> Q:
    """A SQL condition true for records of protected persons (申出者 or 併せて支援を求める者)."""
    applicants = active_orders().values("addressee_number")
    joined = m.ProtectedPerson.objects.filter(order__status=m.ACTIVE).values("addressee_number")
    return Q(**{f"{field}__in": applicants}) | Q(**{f"{field}__in": joined})


def hide_protected(queryset, actor: Actor, field: str = "addressee_number"):
    """The queryset without protected persons, for actors without VIEW_PROTECTED (a SQL filter)."""
    if actor.user.may(perms.VIEW_PROTECTED):
        return queryset
    return queryset.exclude(protected_numbers_q(field))


def view_restricted_q(field: str = "addressee_number", *, now: datetime | None = None) -> Q:
    """A SQL condition true for persons under a 照会 抑止 of level error that is in force and not temporarily
    released: set on the person, or on the household their record belongs to (also a 除票's last household)."""
    from jumin.register.models import Resident

    now = _now(now)
    today = _today(now)
    in_force = m.Restriction.objects.filter(operation=m.VIEW, level=rules.ERROR, starts_on__lte=today) \
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today)).exclude(released_until__gt=now)
    persons = in_force.exclude(addressee_number="").values("addressee_number")
    members = Resident.objects.filter(
        household_number__in=in_force.exclude(household_number="").values("household_number")) \
        .values("addressee_number")
    return Q(**{f"{field}__in": persons}) | Q(**{f"{field}__in": members})


def hide_view_restricted(queryset, actor: Actor, field: str = "addressee_number", *, now: datetime | None = None):
    """The queryset without persons under a 照会 抑止 (error), for actors without VIEW_PROTECTED — the same
    roles from whom protected persons are hidden (a SQL filter, so totals and pages stay right)."""
    if actor.user.may(perms.VIEW_PROTECTED):
        return queryset
    return queryset.exclude(view_restricted_q(field, now=now))


def hides(actor: Actor) -> bool:
    """Whether protected persons and persons under a 照会 抑止 (error) are hidden from this actor: from every
    role without VIEW_PROTECTED, on every exit (lists leave them out, single reads refuse neutrally)."""
    return not actor.user.may(perms.VIEW_PROTECTED)


def hidden_q(field: str = "addressee_number", *, now: datetime | None = None) -> Q:
    """A SQL condition true for the persons a role without VIEW_PROTECTED never sees."""
    return protected_numbers_q(field) | view_restricted_q(field, now=now)


def hidden_numbers(actor: Actor, numbers=None, households=(), *, now: datetime | None = None) -> set[str]:
    """The 宛名番号 hidden from this actor among `numbers` and the members of `households` (all of them when
    `numbers` is None — few: 支援措置 and 照会抑止 are rare). Empty for an actor with VIEW_PROTECTED."""
    from jumin.register.models import Resident

    if not hides(actor):
        return set()
    rows = Resident.objects.filter(hidden_q(now=now))
    if numbers is not None:
        numbers, households = [n for n in numbers if n], [h for h in households if h]
        if not numbers and not households:
            return set()
        rows = rows.filter(Q(addressee_number__in=numbers) | Q(household_number__in=households))
    return set(rows.values_list("addressee_number", flat=True))


def refuse_hidden(actor: Actor, numbers, households=(), *, function: str, detail: dict | None = None,
                  now: datetime | None = None) -> None:
    """A single read that concerns a hidden person (a change, an issuance, a 照合) is refused to an actor
    without VIEW_PROTECTED with the same neutral message as the person's record, and the refusal logged."""
    hidden = hidden_numbers(actor, numbers, households, now=now)
    if hidden:
        log_refusal(actor, function, sorted(hidden), message="支援措置対象者・照会抑止（照会権限なし）",
                    detail={"guard": "hidden", **(detail or {})})
        raise Restricted(NEUTRAL_MESSAGE)


def hide_changes(queryset, actor: Actor, *, now: datetime | None = None):
    """Changes (異動) without those that touch a hidden person — as a subject, as a person whose record the
    change wrote, or in a household such a person lives in — for actors without VIEW_PROTECTED. A SQL filter
    (one indexed subquery each), so a list's limit and order stay right: for such a reader the change does not
    exist, as the person does not in search."""
    from jumin.register.models import ChangeSubject, Resident, ResidentHistory

    if not hides(actor):
        return queryset
    hidden = hidden_q(now=now)
    households = Resident.objects.filter(hidden).values("household_number")
    for model in (ChangeSubject, ResidentHistory):
        queryset = queryset.exclude(pk__in=model.objects.filter(hidden).values("change_id")) \
            .exclude(pk__in=model.objects.filter(household_number__in=households).values("change_id"))
    return queryset


def view_blocked(flags: list[dict]) -> bool:
    """True when the restriction flags of one person (restriction_flags) include a 照会 抑止 (error) that is not
    temporarily released: the record itself would be refused, so a list row must not show the address."""
    return any(f["operation"] == m.VIEW and f["level"] == rules.ERROR and not f["released"] for f in flags)


def orders_of(numbers) -> dict[str, list[m.ProtectionOrder]]:
    numbers = [n for n in set(numbers) if n]
    out: dict[str, list] = {}
    for order in active_orders().filter(addressee_number__in=numbers):
        out.setdefault(order.addressee_number, []).append(order)
    for pp in m.ProtectedPerson.objects.filter(order__status=m.ACTIVE, addressee_number__in=numbers) \
            .select_related("order"):
        out.setdefault(pp.addressee_number, []).append(pp.order)
    return out


def protection_flags(addressee_numbers, *, now: datetime | None = None) -> dict[str, dict]:
    """宛名番号 → {protected, provisional, kind, ends_on, alert ('ending_soon'/'expired'/None), order_ids}."""
    today = _today(_now(now))
    out = {}
    for number, orders in orders_of(addressee_numbers).items():
        states = [rules.alert_state(o.ends_on, today=today) for o in orders]
        out[number] = {
            "protected": True, "order_ids": sorted(o.pk for o in orders),
            "provisional": any(o.provisional for o in orders),
            "kinds": sorted({o.get_kind_display() for o in orders}),
            "ends_on": max(o.ends_on for o in orders).isoformat(),
            "alert": rules.EXPIRED if rules.EXPIRED in states else (rules.ENDING_SOON if rules.ENDING_SOON in states
                                                                    else None),
        }
    return out


# ---------------------------------------------------------------- 抑止 in force

def _households_of(numbers) -> dict[str, str]:
    from jumin.register.models import Resident

    return dict(Resident.objects.filter(addressee_number__in=list(numbers))
                .values_list("addressee_number", "household_number"))


def restrictions_for(numbers=(), households=(), *, operation: str | None = None,
                     now: datetime | None = None, household_of: dict | None = None) -> list[m.Restriction]:
    """抑止 in force (started, not ended) on these persons or their households, temporarily released or not."""
    today = _today(_now(now))
    numbers = [n for n in numbers if n]
    household_of = _households_of(numbers) if household_of is None else household_of
    households = set(h for h in households if h) | set(household_of.values())
    rows = m.Restriction.objects.filter(Q(addressee_number__in=numbers) | Q(household_number__in=households),
                                        starts_on__lte=today).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    if operation:
        rows = rows.filter(operation=operation)
    return list(rows.order_by("pk"))


def any_flags(household_of: dict[str, str], *, now: datetime | None = None) -> bool:
    """Whether any of these persons (宛名番号 → 世帯番号) has a 支援措置 or a 抑止 in force, in one short query.
    Both are rare: a list (search results) asks this first and reads the flags only when the answer is yes.
    Plain SQL: it runs on every search, and the ORM's compilation of a three-part UNION cost more than the query."""
    from django.db import connection

    today = _today(_now(now))
    numbers = [n for n in household_of if n]
    households = sorted({h for h in household_of.values() if h}) or [""]
    if not numbers:
        return False
    marks = ", ".join(["%s"] * len(numbers))
    house_marks = ", ".join(["%s"] * len(households))
    order, person, restriction = (m.ProtectionOrder._meta.db_table, m.ProtectedPerson._meta.db_table,
                                  m.Restriction._meta.db_table)
    sql = (f"SELECT 1 FROM {order} WHERE status = %s AND addressee_number IN ({marks}) "
           f"UNION ALL SELECT 1 FROM {person} p JOIN {order} o ON o.id = p.order_id "
           f"WHERE o.status = %s AND p.addressee_number IN ({marks}) "
           f"UNION ALL SELECT 1 FROM {restriction} WHERE (addressee_number IN ({marks}) "
           f"OR household_number IN ({house_marks})) AND starts_on <= %s AND (ended_on IS NULL OR ended_on > %s) "
           f"LIMIT 1")
    params = [m.ACTIVE, *numbers, m.ACTIVE, *numbers, *numbers, *households, today, today]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone() is not None


def restriction_flags(addressee_numbers, *, now: datetime | None = None,
                      household_of: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """宛名番号 → the 抑止 in force on them or their household (for search rows and record screens)."""
    now = _now(now)
    today = _today(now)
    households = _households_of(addressee_numbers) if household_of is None else household_of
    out: dict[str, list] = {}
    for r in restrictions_for(addressee_numbers, now=now, household_of=households):
        targets = [r.addressee_number] if r.addressee_number else [n for n, h in households.items()
                                                                   if h == r.household_number]
        for number in targets:
            out.setdefault(number, []).append({
                "id": r.pk, "operation": r.operation, "operation_label": r.get_operation_display(),
                "level": r.level, "household": bool(r.household_number),
                "released": rules.released(r.released_until, now=now),
                "alert": rules.EXPIRED if rules.alert_state(r.ends_on, today=today) == rules.EXPIRED else None,
            })
    return out


def _enforced(restrictions, now) -> tuple[list, list, list]:
    """(errors, alerts, released) among the restrictions that apply."""
    errors, alerts, released = [], [], []
    for r in restrictions:
        if rules.released(r.released_until, now=now):
            released.append(r)
        elif r.level == rules.ERROR:
            errors.append(r)
        else:
            alerts.append(r)
    return errors, alerts, released


def _expired_alerts(restrictions, today) -> list:
    return [Alert(f"restriction_expired_{r.pk}",
                  f"{r.get_operation_display()}の抑止（ID {r.pk}）は終了予定日（{r.ends_on.isoformat()}）を過ぎていますが、"
                  "解除されていないため有効です。継続か解除かを確認してください。")
            for r in restrictions if rules.alert_state(r.ends_on, today=today) == rules.EXPIRED]


def _ids(restrictions) -> list[int]:
    return [r.pk for r in restrictions]


# ---------------------------------------------------------------- guards

def guard_view(actor: Actor, addressee_number: str, *, function: str = "record.view",
               now: datetime | None = None) -> list:
    """照会 of one person. Refused (neutral message) for a protected person and an actor without
    VIEW_PROTECTED, and under a 照会 抑止 of level error not temporarily released; alerts otherwise."""
    now = _now(now)
    flags = protection_flags([addressee_number], now=now).get(addressee_number)
    restrictions = restrictions_for([addressee_number], operation=m.VIEW, now=now)
    return _decide_view(actor, addressee_number, flags, restrictions, function=function, now=now)


def _decide_view(actor: Actor, addressee_number: str, flags: dict | None, restrictions: list, *, function: str,
                 now: datetime) -> list:
    """guard_view's decision for one person, given that person's protection flags and 照会 抑止."""
    if flags and not actor.user.may(perms.VIEW_PROTECTED):
        log_refusal(actor, function, [addressee_number], message="支援措置対象者（照会権限なし）",
                    detail={"guard": "view", "orders": flags["order_ids"]})
        raise Restricted(NEUTRAL_MESSAGE)
    errors, alerts, released = _enforced(restrictions, now)
    if errors:
        log_refusal(actor, function, [addressee_number], message="照会抑止（エラー）",
                    detail={"guard": "view", "restrictions": _ids(errors)})
        raise Restricted(NEUTRAL_MESSAGE)
    out = []
    if flags:
        out.append(Alert("protected", "支援措置の対象者です。住所等をご本人以外に伝えないでください。"))
        if flags["alert"] == rules.ENDING_SOON:
            out.append(Alert("protection_ending_soon", "支援措置期間の終了まで1か月を切っています。延長の申出を確認してください。"))
        elif flags["alert"] == rules.EXPIRED:
            out.append(Alert("protection_expired", "支援措置期間の終了日を過ぎていますが、終了処理がされていません。"
                                                   "延長か終了かを確認してください。"))
    out += [Alert(f"restricted_view_{r.pk}", f"照会の抑止（アラート）が設定されています：{r.reason}") for r in alerts]
    out += _expired_alerts(restrictions, _today(now))
    if flags or restrictions:
        log_operation(actor, "restriction.check", [addressee_number],
                      reason="照会：" + "、".join(filter(None, [
                          "支援措置対象者" if flags else "", "照会抑止（アラート）" if alerts else "",
                          "照会抑止（一時解除中）" if released else ""])),
                      detail={"guard": "view", "for": function, "restrictions": _ids(restrictions),
                              "released": _ids(released), "orders": flags["order_ids"] if flags else []})
    return out


def visible_household_rows(actor: Actor, rows: list[dict], *, function: str = "household.view",
                           now: datetime | None = None) -> list[dict]:
    """A household's member rows as this actor may see them: protected members are left out for actors
    without VIEW_PROTECTED; a member under a 照会 抑止 (error) is replaced by a neutral row. The flags and
    抑止 of all members are read at once (two queries for the household, not four per member)."""
    now = _now(now)
    numbers = [row["addressee_number"] for row in rows]
    household_of = {row["addressee_number"]: row.get("household_number", "") for row in rows}
    flags = protection_flags(numbers, now=now)
    restrictions = restrictions_for(numbers, operation=m.VIEW, now=now, household_of=household_of)
    out = []
    for row in rows:
        number = row["addressee_number"]
        own = [r for r in restrictions
               if r.addressee_number == number or (r.household_number and r.household_number == household_of[number])]
        try:
            alerts = _decide_view(actor, number, flags.get(number), own, function=function, now=now)
        except Restricted as refusal:
            if not actor.user.may(perms.VIEW_PROTECTED):
                continue
            out.append({"addressee_number": number, "restricted": True, "message": refusal.message})
            continue
        if alerts:
            row = row | {"alerts": [{"code": a.code, "message": a.message} for a in alerts]}
        out.append(row)
    return out


def guard_change(actor: Actor, addressee_numbers, household_numbers=(), *, function: str = "change",
                 now: datetime | None = None) -> list:
    """異動 of these persons / households: 抑止 error → refused; alert → alerts to confirm."""
    now = _now(now)
    numbers = [n for n in dict.fromkeys(addressee_numbers) if n]
    restrictions = restrictions_for(numbers, household_numbers, operation=m.CHANGE, now=now)
    if not restrictions:
        return []
    errors, alerts, released = _enforced(restrictions, now)
    if errors:
        log_refusal(actor, function, numbers, message="異動抑止（エラー）",
                    detail={"guard": "change", "restrictions": _ids(errors)})
        raise RuleViolation(CHANGE_MESSAGE, field="addressee_number", code="restricted")
    log_operation(actor, "restriction.check", numbers,
                  reason="異動：" + ("異動抑止（アラート）" if alerts else "異動抑止（一時解除中）"),
                  detail={"guard": "change", "for": function, "restrictions": _ids(restrictions),
                          "released": _ids(released)})
    return [Alert(f"restricted_change_{r.pk}", f"異動の抑止（アラート）が設定されています：{r.reason}")
            for r in alerts] + _expired_alerts(restrictions, _today(now))


def offender_match(name: str, birth_date: date | None, *, addressee_number: str = "") -> list[m.ProtectionOrder]:
    """Active orders naming an offender with this 宛名番号, or this name (folded) and birth date."""
    cond = Q()
    if addressee_number:
        cond |= Q(addressee_number=addressee_number)
    if name and birth_date:
        cond |= (Q(name_key=name_key(name)) | Q(kana_key=kana_key(name))) & Q(birth_date=birth_date)
    if not cond:
        return []
    ids = m.Offender.objects.filter(cond, order__status=m.ACTIVE).values("order_id")
    return list(m.ProtectionOrder.objects.filter(pk__in=ids).order_by("pk"))


def name_key(name: str) -> str:
    from jumin.search.rules import fold_name
    from jumin.search.variants import load_variant_map

    return fold_name(name or "", load_variant_map())[:200]


def kana_key(kana: str) -> str:
    from jumin.search.rules import fold_kana

    return fold_kana(kana or "")[:200]


THIRD_PARTY = "third_party"
OFFICIAL = "official"
REQUESTER_KINDS = {"self": "本人", "household": "同一世帯員", "agent": "代理人", THIRD_PARTY: "第三者",
                   OFFICIAL: "公用（国・地方公共団体の機関）"}


def guard_certificate(actor: Actor, *, subject_numbers, requester: dict, function: str = "certificate.issue",
                      now: datetime | None = None) -> list:
    """A certificate (住民票の写し等) about `subject_numbers` requested by `requester`
    ({"kind": self|household|agent|third_party|official, "addressee_number", "name", "birth_date"}).

    Refused with a neutral message when a subject is protected by an order covering copies and the requester
    is a third party or matches one of that order's offenders, or under a 発行 抑止 (error). A requester who
    matches any offender, or an agent for a protected subject, raises an alert."""
    now = _now(now)
    numbers = [n for n in dict.fromkeys(subject_numbers) if n]
    kind = requester.get("kind") or THIRD_PARTY
    if kind not in REQUESTER_KINDS:
        raise RuleViolation("請求者の区分は本人・同一世帯員・代理人・第三者・公用のいずれかです。", field="requester.kind")
    birth = requester.get("birth_date")
    if isinstance(birth, str) and birth:
        from jumin.core.wareki import parse_date

        birth = parse_date(birth, field="requester.birth_date", label="請求者の生年月日").date
    matches = offender_match(requester.get("name") or "", birth or None,
                             addressee_number=requester.get("addressee_number") or "")
    protecting = {o.pk: o for orders in orders_of(numbers).values() for o in orders if o.copies}

    def refuse(reason: str, detail: dict):
        log_refusal(actor, function, numbers, message=reason,
                    detail={"guard": "certificate", "requester_kind": kind} | detail)
        raise Restricted(NEUTRAL_CERTIFICATE_MESSAGE)

    offender_orders = [o.pk for o in matches if o.pk in protecting]
    if offender_orders:
        refuse("支援措置の加害者からの請求", {"orders": offender_orders})
    if protecting and kind == THIRD_PARTY:
        refuse("支援措置対象者についての第三者請求", {"orders": sorted(protecting)})
    restrictions = restrictions_for(numbers, operation=m.ISSUE, now=now)
    errors, alerts, released = _enforced(restrictions, now)
    if errors:
        refuse("発行抑止（エラー）", {"restrictions": _ids(errors)})
    out = []
    if matches:
        out.append(Alert("offender_match", "請求者が支援措置の加害者として登録されている方と一致します。"
                                           "交付の可否を支援措置担当に確認してください。"))
    if protecting and kind in ("agent", OFFICIAL):
        out.append(Alert("protected_subject_agent", "支援措置の対象者についての代理人請求・公用請求です。"
                                               "委任の内容・請求機関と本人確認を厳格に行ってください。"))
    out += [Alert(f"restricted_issue_{r.pk}", f"発行の抑止（アラート）が設定されています：{r.reason}") for r in alerts]
    out += _expired_alerts(restrictions, _today(now))
    if matches or protecting or restrictions:
        log_operation(actor, "restriction.check", numbers,
                      reason="発行：" + "、".join(a.code for a in out) if out else "発行：抑止一時解除中",
                      detail={"guard": "certificate", "for": function, "requester_kind": kind,
                              "offender_orders": [o.pk for o in matches], "orders": sorted(protecting),
                              "restrictions": _ids(restrictions), "released": _ids(released)})
    return out


# ---------------------------------------------------------------- reads for the supervisor



MOVED_OUT_REASONS = ("move_out_domestic", "move_out_abroad")
HISTORY_ACTIONS = {
    "register": "登録", "extend": "延長", "end": "終了", "add_offender": "加害者の追加",
    "add_person": "併せて支援を求める者の追加", "edit_details": "連絡先・転送情報の変更",
    "moved_out": "転出（前住所地としての支援に切替）", "moved_back": "住民票の回復（現住所地としての支援に戻る）",
}
HISTORY_LABELS = {
    "applicant_name": "申出者の氏名", "applicant_name_kana": "申出者のフリガナ", "applicant_alias": "申出者の通称",
    "applicant_previous_address": "前住所等", "applicant_phone": "連絡先（電話）", "applicant_mobile": "連絡先（携帯）",
    "applicant_email": "連絡先（メール）", "kind_label": "種別", "provisional": "仮支援措置",
    "provisional_municipality": "当初受付市区町村", "starts_on": "開始日", "ends_on": "終了日",
    "inspection": "対象事務：閲覧", "copies": "対象事務：住民票の写し等", "family_register_annex": "対象事務：戸籍の附票の写し等",
    "transfer_to": "転送先", "transferred_on": "転送年月日", "note": "備考", "status_label": "状態",
    "ended_on": "終了処理日", "ended_reason": "終了理由", "protected_persons": "併せて支援を求める者",
    "offenders": "加害者", "moved_out": "転出した対象者（前住所地としての支援）",
}


def moved_out(numbers) -> dict[str, dict]:
    """宛名番号 → {name, removed_on, destination} for the persons among `numbers` whose record is a 除票 by 転出.
    The protection keeps covering that 除票 (前住所 mode): the guards look persons up by 宛名番号, whatever
    the state of their record."""
    from jumin.register.models import Resident

    rows = Resident.objects.filter(addressee_number__in=[n for n in numbers if n], status="removed",
                                   removal_reason__in=MOVED_OUT_REASONS)
    return {r.addressee_number: {"addressee_number": r.addressee_number, "name": r.name,
                                 "removed_on": r.removed_on.isoformat() if r.removed_on else None,
                                 "destination": " ".join(filter(None, [r.destination_confirmed or r.destination,
                                                                       r.destination_confirmed_supplement
                                                                       or r.destination_supplement]))}
            for r in rows}


def _shown_value(key: str, value) -> str:
    if isinstance(value, bool):
        return "あり" if value else "なし"
    if key == "protected_persons":
        return "、".join(f"{p['name'] or p['addressee_number']}（{p['addressee_number']}）" for p in value or [])
    if key == "offenders":
        return "、".join(o["name"] for o in value or [])
    if key == "moved_out":
        return "、".join(f"{p['name']}（{p['destination']}）" for p in value or [])
    return "" if value is None else str(value)


def history_changes(previous: dict | None, current: dict) -> list[dict]:
    """What one history row changed, item by item, as the supervisor reads it (the first row: nothing)."""
    if previous is None:
        return []
    out = []
    for key, label in HISTORY_LABELS.items():
        before, after = _shown_value(key, previous.get(key)), _shown_value(key, current.get(key))
        if before != after:
            out.append({"item": key, "label": label, "before": before, "after": after})
    return out


def order_dict(order: m.ProtectionOrder, *, now: datetime | None = None, history: bool = False) -> dict:
    today = _today(_now(now))
    out = {
        "id": order.pk, "addressee_number": order.addressee_number, "applicant_name": order.applicant_name,
        "applicant_name_kana": order.applicant_name_kana, "applicant_alias": order.applicant_alias,
        "applicant_previous_address": order.applicant_previous_address, "applicant_phone": order.applicant_phone,
        "applicant_mobile": order.applicant_mobile, "applicant_email": order.applicant_email,
        "kind": order.kind, "kind_label": order.get_kind_display(), "provisional": order.provisional,
        "provisional_municipality": order.provisional_municipality,
        "starts_on": order.starts_on.isoformat(), "ends_on": order.ends_on.isoformat(),
        "inspection": order.inspection, "copies": order.copies, "family_register_annex": order.family_register_annex,
        "transfer_to": order.transfer_to,
        "transferred_on": order.transferred_on.isoformat() if order.transferred_on else None,
        "note": order.note, "status": order.status, "status_label": order.get_status_display(),
        "ended_on": order.ended_on.isoformat() if order.ended_on else None, "ended_reason": order.ended_reason,
        "version": order.version,
        "alert": rules.alert_state(order.ends_on, today=today) if order.status == m.ACTIVE else None,
        "extension_opens_on": rules.extension_opens_on(order.ends_on).isoformat(),
        "protected_persons": [{"addressee_number": p.addressee_number, "name": p.name, "relationship": p.relationship}
                              for p in order.protected_persons.order_by("pk")],
        "offenders": [{"id": o.pk, "name": o.name, "name_kana": o.name_kana,
                       "birth_date": o.birth_date.isoformat() if o.birth_date else None, "sex": o.sex,
                       "address": o.address, "addressee_number": o.addressee_number, "note": o.note}
                      for o in order.offenders.order_by("pk")],
    }
    gone = moved_out([order.addressee_number] + [p["addressee_number"] for p in out["protected_persons"]])
    out["moved_out"] = list(gone.values())
    out["address_mode"] = "former" if order.addressee_number in gone else "current"
    if history:
        out["history"], previous = [], None
        for h in order.history.select_related("user").order_by("pk"):
            out["history"].append({"at": h.at.isoformat(), "user": h.user.username if h.user else "",
                                   "user_label": h.user.label if h.user else "（システム）", "action": h.action,
                                   "action_label": HISTORY_ACTIONS.get(h.action, h.action), "snapshot": h.snapshot,
                                   "changes": history_changes(previous, h.snapshot)})
            previous = h.snapshot
    return out


def get_protection(order_id: int, *, actor: Actor) -> dict:
    function = "protection.view"
    require_permission(actor, perms.MANAGE_PROTECTION, function)
    order = m.ProtectionOrder.objects.filter(pk=order_id).first()
    if order is None:
        refusal = NotFound(f"支援措置ID {order_id} は見つかりません。", field="order_id")
        log_refusal(actor, function, (), message=refusal.message)
        raise refusal
    out = order_dict(order, history=True)
    log_operation(actor, function, [order.addressee_number], detail={"order_id": order.pk})
    return out


def list_protections(*, actor: Actor, ending_within_days: int | None = None, addressee_number: str | None = None,
                     include_ended: bool = False, today: date | None = None, limit: int = 500) -> list[dict]:
    """Protections, or only those ending within N days (overdue ones included: they are not ended)."""
    from datetime import timedelta

    function = "protection.list"
    require_permission(actor, perms.MANAGE_PROTECTION, function)
    today = today or timezone.localdate()
    orders = m.ProtectionOrder.objects.all() if include_ended else active_orders()
    if ending_within_days is not None:
        orders = orders.filter(status=m.ACTIVE, ends_on__lte=today + timedelta(days=ending_within_days))
    if addressee_number:
        orders = orders.filter(Q(addressee_number=addressee_number)
                               | Q(protected_persons__addressee_number=addressee_number)).distinct()
    rows = [order_dict(o) for o in orders.order_by("ends_on", "pk")[:limit]]
    log_operation(actor, function, [r["addressee_number"] for r in rows],
                  detail={"ending_within_days": ending_within_days, "count": len(rows)})
    return rows


def restriction_dict(r: m.Restriction, *, now: datetime | None = None) -> dict:
    now = _now(now)
    return {
        "id": r.pk, "addressee_number": r.addressee_number, "household_number": r.household_number,
        "operation": r.operation, "operation_label": r.get_operation_display(), "level": r.level,
        "level_label": r.get_level_display(), "starts_on": r.starts_on.isoformat(),
        "ends_on": r.ends_on.isoformat() if r.ends_on else None, "reason": r.reason, "order_id": r.order_id,
        "created_by": r.created_by.username, "released_until": r.released_until.isoformat() if r.released_until else None,
        "released": rules.released(r.released_until, now=now),
        "ended_on": r.ended_on.isoformat() if r.ended_on else None, "ended_reason": r.ended_reason,
        "alert": rules.EXPIRED if r.ended_on is None and rules.alert_state(r.ends_on, today=_today(now)) == rules.EXPIRED
        else None,
        "in_force": rules.in_force(r.starts_on, r.ended_on, today=_today(now)),
        "released_by": r.released_by.username if r.released_by_id else "",
        "version": r.version,
    }


def list_restrictions(*, actor: Actor, addressee_number: str | None = None, household_number: str | None = None,
                      include_ended: bool = False, limit: int = 500) -> list[dict]:
    """抑止 of a person (with those of their household) or of a household; with neither, every 抑止 (newest
    first, at most `limit`). Each row names the person (or the household's head) it is set on."""
    from jumin.register.models import Resident

    function = "restriction.list"
    require_permission(actor, perms.MANAGE_RESTRICTION, function, [addressee_number] if addressee_number else ())
    rows = m.Restriction.objects.select_related("created_by", "released_by", "ended_by")
    if addressee_number or household_number:
        cond = Q(pk__in=[])
        if addressee_number:
            cond |= Q(addressee_number=addressee_number)
            household = _households_of([addressee_number]).get(addressee_number)
            if household:
                cond |= Q(household_number=household)
        if household_number:
            cond |= Q(household_number=household_number)
        rows = rows.filter(cond)
    if not include_ended:
        rows = rows.filter(ended_on__isnull=True)
    out = [restriction_dict(r) for r in rows.order_by("-pk")[:limit]]
    persons = [r["addressee_number"] for r in out if r["addressee_number"]]
    households = [r["household_number"] for r in out if r["household_number"]]
    names = dict(Resident.objects.filter(addressee_number__in=persons).values_list("addressee_number", "name"))
    heads = dict(Resident.objects.filter(household_number__in=households, status="resident", relationship="世帯主")
                 .values_list("household_number", "name"))
    for r in out:
        r["name"] = names.get(r["addressee_number"], "") if r["addressee_number"] else \
            heads.get(r["household_number"], "")
    log_operation(actor, function, [addressee_number] if addressee_number else
                  [r["addressee_number"] for r in out if r["addressee_number"]],
                  detail={"household_number": household_number, "count": len(out)})
    return out
