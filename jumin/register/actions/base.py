"""The engine every change kind runs on: plan → (draft | apply) in one transaction.

A change kind supplies a *planner*: a function that reads the register (locking the rows it reads),
checks the rules, and returns a `Plan` — which persons get which item values and which 事由, and into
which household. It writes nothing. `submit()` stores the clerk's input as a draft (仮登録) or, when the
municipality works single-step, applies it at once; `approve()` re-plans under locks and applies.
`apply_plan()` is the only code that writes residents and history: it issues numbers, writes the
projection and one full snapshot per touched person (standard-spec §2.8), and bumps versions so a
second clerk working from stale data is refused with a conflict (HTTP 409).
"""

from __future__ import annotations

import django.dispatch
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from jumin.accounts import rules as perms
from jumin.audit.actions import Actor, log_operation, log_refusal
from jumin.core import journal
from jumin.core.errors import Alert, ConflictError, NotFound, RuleViolation  # Alert re-exported
from jumin.core.models import ADDRESSEE, HOUSEHOLD, current_municipality, issue_number
from jumin.register import choices as c
from jumin.register.models import ITEM_FIELDS, Change, ChangeSubject, Household, Resident, ResidentHistory
from jumin.register.actions.resident_codes import NEEDS_CODE, take_resident_codes
from jumin.register.rules import HEAD, MemberForOrder, standard_household_order


# Sent after commit for every approved change; the linkage app subscribes (design.md: linkage on commit).
change_approved = django.dispatch.Signal()
# Sent inside the change's transaction with the 宛名番号 whose records were written, for data that must
# stay in step with the register in the same transaction (the search keys).
records_written = django.dispatch.Signal()
# Sent while a 転入 / 出生 / 職権記載 is planned, once per new person, with the cleaned `items`, the 宛名番号 the clerk
# chose to keep (`claimed`, or None) and the form `field` it came from: a receiver that keeps persons outside the
# register (the 住登外者 of jumin.addressees, issue #17) answers [(宛名番号, basis)] — the records this person may
# be ("individual_number": same 個人番号; "basic_four": same folded 氏名, 生年月日, 性別; "claimed": the chosen one,
# which it may refuse with a RuleViolation naming `field`). The register never reads those records itself.
outside_records = django.dispatch.Signal()
# Sent inside the change's transaction after its snapshots are written: `change`, `actor`, and `persons` — for each
# 宛名番号 written, (its items before the change or None for a new person, the snapshot written). The linkage
# outbox (jumin.linkage, issue #18) turns them into events in this same transaction.
snapshots_written = django.dispatch.Signal()
# Sent inside the change's transaction when a new resident keeps a number from outside the register
# (`addressee_number`, `change_id`, `actor`): the receiver marks its record as having become a resident.
outside_number_kept = django.dispatch.Signal()


class ConfirmationRequired(RuleViolation):
    """Alerts (アラート, standard-spec §8.1): the clerk must confirm before the change may proceed."""

    def __init__(self, alerts: list["Alert"]):
        super().__init__("確認が必要な事項があります。内容を確認のうえ、確認済みとして再送信してください。",
                         code="confirmation_required")
        self.alerts = alerts


@dataclass
class NewPerson:
    key: str                      # reference inside the plan ("members[0]")
    reason_code: str
    items: dict
    household: str                # existing 世帯番号 or "new:<n>"
    reentry_of: str | None = None  # 宛名番号 of the 除票 a re-entrant keeps (standard-spec §3.2 再転入)
    outside_of: str | None = None  # 宛名番号 of the 住登外者 who becomes this resident and keeps it (共通機能 §2.3)


@dataclass
class PersonUpdate:
    addressee_number: str
    reason_code: str
    items: dict
    household: str | None = None  # move into this household (existing number or "new:<n>")
    # An intermediate snapshot written first, in the same change: e.g. 帰化 removes the foreign record
    # (職権消除（帰化等）) before the Japanese record is written (standard-spec §3.4).
    pre_items: dict | None = None
    pre_reason: str | None = None


@dataclass
class Plan:
    kind: str
    effective_on: date
    notified_on: date | None = None
    effective_on_text: str = ""
    ex_officio: bool = False
    reason: str = ""
    summary: str = ""
    new_people: list[NewPerson] = field(default_factory=list)
    updates: list[PersonUpdate] = field(default_factory=list)
    new_households: list[str] = field(default_factory=list)
    reorder_households: set[str] = field(default_factory=set)   # refs whose order is recomputed (§4.3)
    alerts: list[Alert] = field(default_factory=list)
    late_notification: bool = False
    subjects: list[str] = field(default_factory=list)           # 宛名番号 locked while this is a draft
    households: list[str] = field(default_factory=list)         # 世帯番号 touched
    incidental_reason: str | None = None                        # 事由 for members touched only indirectly
    cancels: int | None = None                                  # the change a 異動の取消し cancels


PLANNERS: dict = {}


def planner(kind: str):
    """Register the planner of one change kind."""

    def register(fn):
        PLANNERS[kind] = fn
        return fn

    return register


# ---------------------------------------------------------------- reading with locks

# Rows the planner locked in this submit/approve, by number, so apply_plan does not lock and read them again
# (issue #15 item 12). They stay locked until the transaction ends, so reusing them takes no lock the planner
# did not already hold, in no other order; a row the planner did not lock is locked by apply_plan as before.
_locked: ContextVar[dict | None] = ContextVar("register_locked_rows", default=None)


@contextmanager
def _locked_rows():
    token = _locked.set({"households": {}, "residents": {}})
    try:
        yield
    finally:
        _locked.reset(token)


def _remember(households, residents) -> None:
    registry = _locked.get()
    if registry is not None:
        registry["households"].update({h.household_number: h for h in households})
        registry["residents"].update({r.addressee_number: r for r in residents})


def lock_residents(numbers) -> dict[str, Resident]:
    """Current records by 宛名番号, row-locked (FOR UPDATE).

    Lock order everywhere: households first (in 世帯番号 order), then residents (in 宛名番号 order), so
    two clerks never wait for each other in a circle. The households of these persons are locked here too."""
    numbers = sorted(set(numbers))
    household_ids = set(Resident.objects.filter(addressee_number__in=numbers).values_list("household_id", flat=True))
    list(Household.objects.select_for_update().filter(pk__in=household_ids).order_by("household_number")
         .values_list("pk", flat=True))
    found = {r.addressee_number: r for r in Resident.objects.select_for_update().select_related("household")
             .filter(addressee_number__in=numbers).order_by("addressee_number")}
    # only the households locked above: one whose row moved between the two reads was not locked here
    _remember([r.household for r in found.values() if r.household_id in household_ids], found.values())
    return found


def get_resident(number: str, *, field: str = "addressee_number", living: bool = True) -> Resident:
    resident = lock_residents([number]).get(number)
    if resident is None:
        raise NotFound(f"宛名番号 {number} の住民票は見つかりません。", field=field)
    if living and resident.status != c.RESIDENT:
        raise RuleViolation(f"宛名番号 {number} は除票です。この異動は住民（消除されていない方）にのみ行えます。",
                            field=field, code="removed_record")
    return resident


def get_household(number: str, *, field: str = "household_number") -> tuple[Household, list[Resident]]:
    """A household (row-locked) and its living members in household order."""
    household = Household.objects.select_for_update().filter(household_number=number).first()
    if household is None:
        raise NotFound(f"世帯番号 {number} の世帯は見つかりません。", field=field)
    members = list(Resident.objects.select_for_update().filter(household=household, status=c.RESIDENT)
                   .order_by("household_order", "addressee_number"))
    if not members:
        raise RuleViolation(f"世帯番号 {number} には住民がいません。", field=field, code="empty_household")
    for member in members:
        member.household = household
    _remember([household], members)
    return household, members


def head_of(members) -> Resident | None:
    return next((m for m in members if m.relationship == HEAD), None)


# ---------------------------------------------------------------- submit / approve

RACE_MESSAGE = "他の職員の処理と同時になったため、登録できませんでした。内容を確認して、もう一度登録してください。"


def is_lock_conflict(exc: OperationalError) -> bool:
    """PostgreSQL deadlock (40P01) or lock timeout (55P03); SQLite "database is locked"."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in {"40P01", "55P03"}:
        return True
    return "database is locked" in str(exc)


def _check_no_pending_draft(plan: Plan, exclude_change: Change | None) -> None:
    """One query for the persons and the households together (a round trip less on every entry, issue #15 item 12)."""
    match = Q()
    if plan.subjects:
        match |= Q(addressee_number__in=plan.subjects)
    if plan.households:
        match |= Q(household_number__in=plan.households)
    if not match:
        return
    pending = ChangeSubject.objects.filter(match, change__status=c.DRAFT)
    if exclude_change is not None:
        pending = pending.exclude(change=exclude_change)
    hit = pending.select_related("change").first()
    if hit is not None:
        raise ConflictError(
            f"この住民・世帯には仮登録中の異動（異動ID {hit.change_id}：{hit.change.get_kind_display()}）があります。"
            "その異動を本登録または破棄してから入力してください。", code="pending_draft")


def _check_alerts(plan: Plan, params: dict) -> None:
    acknowledged = set(params.get("acknowledged_alerts") or [])
    pending = [a for a in plan.alerts if a.code not in acknowledged]
    if pending:
        raise ConfirmationRequired(pending)


def _check_versions_concern(params: dict, plan: Plan) -> None:
    """`expected_versions` must be well formed and name only persons and households this change concerns
    (issue #15 item 8): a version for anyone else would be checked against nothing and silently ignored."""
    from jumin.register.rules import clean_expected_versions

    expected = clean_expected_versions(params.get("expected_versions"))
    subjects = set(plan.subjects)
    for number in expected["residents"]:
        if number not in subjects:
            raise RuleViolation(f"版の指定の宛名番号 {number} は、この異動の対象ではありません。",
                                field=f"expected_versions.residents.{number}", code="not_concerned")
    households = set(plan.households)
    unknown = [n for n in expected["households"] if n not in households]
    if unknown and subjects:   # e.g. a one-person change whose screen sent the person's household version
        households |= set(Resident.objects.filter(addressee_number__in=subjects)
                          .values_list("household_number", flat=True))
    for number in unknown:
        if number not in households:
            raise RuleViolation(f"版の指定の世帯番号 {number} は、この異動の対象ではありません。",
                                field=f"expected_versions.households.{number}", code="not_concerned")


def _check_versions(params: dict, residents: dict[str, Resident], households: dict[str, Household]) -> None:
    """Optimistic concurrency: the client says which versions it saw; anything newer is a conflict."""
    from jumin.register.rules import clean_expected_versions

    expected = clean_expected_versions(params.get("expected_versions"))
    for number, version in expected["residents"].items():
        current = residents.get(number)
        if current is not None and current.version != _version(version):
            raise ConflictError(f"宛名番号 {number} の住民票は他の職員が更新しました（版 {version} → {current.version}）。"
                                "最新の内容を確認して、もう一度入力してください。", field="expected_versions")
    for number, version in expected["households"].items():
        current = households.get(number)
        if current is not None and current.version != _version(version):
            raise ConflictError(f"世帯番号 {number} の世帯は他の職員が更新しました（版 {version} → {current.version}）。"
                                "最新の内容を確認して、もう一度入力してください。", field="expected_versions")


def _version(value) -> int:
    """A version as sent by the API (a number) or a screen (digits in a hidden field)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise RuleViolation("版の指定が正しくありません。", field="expected_versions")


def _make_plan(kind: str, params: dict, actor: Actor | None = None) -> Plan:
    if kind not in PLANNERS:
        raise RuleViolation(f"異動の種類「{kind}」は扱えません。", field="kind")
    plan = PLANNERS[kind](params, today=timezone.localdate())
    _check_versions_concern(params, plan)
    if actor is not None:   # 異動の抑止 (jumin.restrictions): error refuses, alert joins the plan's alerts
        from jumin.restrictions.queries import guard_change

        plan.alerts += guard_change(actor, plan.subjects, plan.households, function=f"change.{kind}")
    _check_alerts(plan, params)
    return plan


def submit(kind: str, params: dict, *, actor: Actor, draft: bool = False) -> Change:
    """Record a change as the clerk entered it: a draft, or applied at once in single-step mode. `draft` keeps it a
    draft even in single-step mode: a change that arrived from another system (a 戸籍届出通知) waits for a clerk."""
    function = f"change.{kind}"
    try:
        actor.user.require(perms.CHANGE_RECORD)
        key = params.get("idempotency_key") or None
        if key:
            existing = Change.objects.filter(idempotency_key=key).first()
            if existing is not None:
                if existing.kind != kind or existing.entered_by_id != actor.user.pk:
                    raise ConflictError("この二重送信防止キーは別の異動で使われています。", field="idempotency_key")
                return existing
        with transaction.atomic(), _locked_rows(), journal.collecting():
            plan = _make_plan(kind, params, actor)
            _check_no_pending_draft(plan, None)
            municipality = current_municipality()
            change = Change.objects.create(
                kind=kind, status=c.DRAFT, effective_on=plan.effective_on, effective_on_text=plan.effective_on_text,
                notified_on=plan.notified_on, ex_officio=plan.ex_officio, late_notification=plan.late_notification,
                reason=plan.reason, summary=plan.summary[:500], params=params, entered_by=actor.user,
                terminal=actor.terminal[:50], idempotency_key=key, cancels_id=plan.cancels,
            )
            _write_subjects(change, plan, replace=False)
            if municipality.draft_required or draft:
                log_operation(actor, function, plan.subjects, change_id=change.pk, detail={"status": c.DRAFT})
            else:
                apply_plan(plan, change, actor=actor)
                log_operation(actor, function, plan.subjects or change.result.get("addressee_numbers", []),
                              change_id=change.pk, detail={"status": c.APPROVED})
        return change
    except IntegrityError as exc:
        if key and Change.objects.filter(idempotency_key=key).exists():
            return Change.objects.get(idempotency_key=key)
        refusal = ConflictError(RACE_MESSAGE)
        log_refusal(actor, function, _subject_guess(params), message=refusal.message)
        raise refusal from exc
    except OperationalError as exc:
        if not is_lock_conflict(exc):
            raise
        refusal = ConflictError(RACE_MESSAGE)
        log_refusal(actor, function, _subject_guess(params), message=refusal.message)
        raise refusal from exc
    except RuleViolation as refusal:
        log_refusal(actor, function, _subject_guess(params), message=refusal.message)
        raise


def _subject_guess(params: dict) -> list[str]:
    """宛名番号 named in a refused request, for the operation log."""
    numbers = []
    for key in ("addressee_number", "new_head"):
        if isinstance(params.get(key), str):
            numbers.append(params[key][:10])
    for key in ("members", "addressee_numbers"):
        for value in params.get(key) or []:
            if isinstance(value, str):
                numbers.append(value[:10])
    return numbers


def _write_subjects(change: Change, plan: Plan, *, replace: bool) -> None:
    """The change's persons and households; `replace` (an edited draft) first removes the old rows — a change
    just created has none, so it skips that DELETE."""
    if replace:
        ChangeSubject.objects.filter(change=change).delete()
    rows = [ChangeSubject(change=change, addressee_number=n) for n in dict.fromkeys(plan.subjects)]
    change.subject_numbers = [row.addressee_number for row in rows]   # for queries.change_dict: no re-read
    rows += [ChangeSubject(change=change, household_number=h) for h in dict.fromkeys(plan.households)]
    ChangeSubject.objects.bulk_create(rows)


def preview(kind: str, params: dict, *, actor: Actor, draft: Change | None = None) -> Plan:
    """What a change would do, for the confirmation screen (確認画面, standard-spec §3.1) and the 仮登録 list:
    the same planner and checks as `submit`, inside a transaction that is always rolled back, so nothing is
    written. For a draft, its own lock on its persons is not counted against it."""
    actor.user.require(perms.CHANGE_RECORD)
    with transaction.atomic():
        plan = _make_plan(kind, params, actor)
        _check_no_pending_draft(plan, draft)
        transaction.set_rollback(True)
    return plan


def update_draft(change_id: int, params: dict, *, actor: Actor) -> Change:
    """Edit a draft (仮登録 is editable, standard-spec §3.1): re-plan with the new input."""
    try:
        actor.user.require(perms.CHANGE_RECORD)
        with transaction.atomic():
            change = _lock_change(change_id)
            if change.status != c.DRAFT:
                raise RuleViolation("本登録済み・破棄済みの異動は修正できません。", code="not_draft")
            if params.get("expected_version") is not None and params["expected_version"] != change.version:
                raise ConflictError("この仮登録は他の職員が更新しました。最新の内容を確認してください。")
            plan = _make_plan(change.kind, params)
            _check_no_pending_draft(plan, change)
            change.params = params
            change.effective_on, change.effective_on_text = plan.effective_on, plan.effective_on_text
            change.notified_on, change.ex_officio = plan.notified_on, plan.ex_officio
            change.late_notification, change.reason, change.summary = plan.late_notification, plan.reason, plan.summary[:500]
            change.cancels_id = plan.cancels
            change.version += 1
            change.save()
            _write_subjects(change, plan, replace=True)
            log_operation(actor, "change.update_draft", plan.subjects, change_id=change.pk)
        return change
    except RuleViolation as refusal:
        log_refusal(actor, "change.update_draft", (), message=refusal.message, detail={"change_id": change_id})
        raise


def _lock_change(change_id: int) -> Change:
    """The change, row-locked; its 入力者 comes in the same query (the answer names them) but is not locked."""
    change = Change.objects.select_for_update(of=("self",)).select_related("entered_by").filter(pk=change_id).first()
    if change is None:
        raise NotFound(f"異動ID {change_id} は見つかりません。", field="change_id")
    return change


def approve(change_id: int, *, actor: Actor) -> Change:
    """本登録: re-plan under locks against the register as it is now, then apply."""
    try:
        actor.user.require(perms.APPROVE_CHANGE)
        with transaction.atomic(), _locked_rows(), journal.collecting():
            change = _lock_change(change_id)
            if change.status != c.DRAFT:
                raise RuleViolation(f"異動ID {change_id} は仮登録ではありません（{change.get_status_display()}）。",
                                    code="not_draft")
            municipality = current_municipality()
            if change.entered_by_id == actor.user.pk and not municipality.self_approval_allowed:
                raise RuleViolation("自分が入力した異動は本登録できません。別の承認者に依頼してください。",
                                    code="self_approval")
            plan = _make_plan(change.kind, change.params, actor)
            apply_plan(plan, change, actor=actor)
            log_operation(actor, "change.approve", plan.subjects or change.result.get("addressee_numbers", []),
                          change_id=change.pk)
        return change
    except OperationalError as exc:
        if not is_lock_conflict(exc):
            raise
        log_refusal(actor, "change.approve", (), message=RACE_MESSAGE, detail={"change_id": change_id})
        raise ConflictError(RACE_MESSAGE) from exc
    except RuleViolation as refusal:
        log_refusal(actor, "change.approve", (), message=refusal.message, detail={"change_id": change_id})
        raise


def discard(change_id: int, *, actor: Actor, reason: str = "") -> Change:
    try:
        actor.user.require(perms.CHANGE_RECORD)
        with transaction.atomic():
            change = _lock_change(change_id)
            if change.status != c.DRAFT:
                raise RuleViolation("仮登録の異動だけが破棄できます。", code="not_draft")
            change.status = c.DISCARDED
            change.version += 1
            change.save(update_fields=["status", "version"])
            log_operation(actor, "change.discard", change.subjects.exclude(addressee_number="")
                          .values_list("addressee_number", flat=True), change_id=change.pk, reason=reason)
        return change
    except RuleViolation as refusal:
        log_refusal(actor, "change.discard", (), message=refusal.message, detail={"change_id": change_id})
        raise


# ---------------------------------------------------------------- apply

def _snapshot_values(resident: Resident) -> dict:
    return {name: getattr(resident, name) for name in ITEM_FIELDS}


def apply_plan(plan: Plan, change: Change, *, actor: Actor) -> None:
    """Write the plan: numbers, records, household-level items, snapshots, versions. Caller holds the transaction."""
    today = timezone.localdate()
    household_numbers = set(plan.households)
    household_numbers |= {u.household for u in plan.updates if u.household and not u.household.startswith("new:")}
    household_numbers |= {p.household for p in plan.new_people if not p.household.startswith("new:")}
    locked = _locked.get() or {"households": {}, "residents": {}}
    if household_numbers <= locked["households"].keys():
        households = {n: locked["households"][n] for n in sorted(household_numbers)}
    else:
        households = {h.household_number: h for h in Household.objects.select_for_update()
                      .filter(household_number__in=household_numbers).order_by("household_number")}
    numbers = set(u.addressee_number for u in plan.updates) | {p.reentry_of for p in plan.new_people if p.reentry_of}
    if numbers <= locked["residents"].keys():
        residents = {n: locked["residents"][n] for n in sorted(numbers)}
    else:
        residents = lock_residents(numbers)
    _check_versions(change.params, residents, households)

    before = {number: _snapshot_values(r) for number, r in residents.items()}
    for ref in plan.new_households:
        number = issue_number(HOUSEHOLD)
        households[ref] = Household.objects.create(household_number=number)
    touched_households = set(households.values())
    touched_households |= {r.household for r in residents.values()}

    reasons: dict[str, str] = {}
    created: list[str] = []
    appended: dict[int, list[Resident]] = {}

    for person in plan.new_people:
        household = households[person.household]
        if person.reentry_of:
            resident = residents[person.reentry_of]
            old_household = resident.household
            for name, value in person.items.items():
                setattr(resident, name, value)
            resident.household = household
            touched_households.add(old_household)
        else:
            number = person.outside_of or issue_number(ADDRESSEE)
            resident = Resident(addressee_number=number, household=household, history_number=0)
            for name, value in person.items.items():
                setattr(resident, name, value)
            before[resident.addressee_number] = None
        resident.household_number = household.household_number
        resident.status = c.RESIDENT
        resident.save()
        if person.outside_of:
            outside_number_kept.send(sender=Resident, addressee_number=person.outside_of, change_id=change.pk,
                                     actor=actor)
        residents[resident.addressee_number] = resident
        reasons[resident.addressee_number] = person.reason_code
        created.append(resident.addressee_number)
        appended.setdefault(household.pk, []).append(resident)

    # 住民票コード from the pool for a person who never had one (resident_codes.py, standard-spec §4.3).
    needing = [number for number in created if reasons[number] in NEEDS_CODE and not residents[number].resident_code]
    given, stock_low = take_resident_codes(needing, change_id=change.pk)
    for number, code in given.items():
        residents[number].resident_code = code          # saved with the second save below, with the snapshot
    pre: dict[str, tuple[dict, str]] = {}
    for update in plan.updates:
        resident = residents[update.addressee_number]
        if update.pre_items is not None:
            pre[update.addressee_number] = (update.pre_items, update.pre_reason or update.reason_code)
        for name, value in update.items.items():
            setattr(resident, name, value)
        if update.household:
            target = households[update.household]
            if target.pk != resident.household_id:
                appended.setdefault(target.pk, []).append(resident)
                resident.household = target
                resident.household_number = target.household_number
                touched_households.add(target)
        reasons[resident.addressee_number] = update.reason_code
        resident.save()

    reorder = {households[ref].pk for ref in plan.reorder_households if ref in households}
    reorder |= {households[ref].pk for ref in plan.new_households}
    # Household-level items follow the members (standard-spec §2.8: copied into each person's snapshot).
    for household in touched_households:
        members = []
        for m in Resident.objects.select_for_update().filter(household=household, status=c.RESIDENT):
            if m.addressee_number in residents:
                m = residents[m.addressee_number]          # the object already changed in memory
            else:
                before[m.addressee_number] = _snapshot_values(m)
                residents[m.addressee_number] = m
            members.append(m)
        head = head_of(members)
        old_head = next((n for n, v in before.items() if v and v["household_number"] == household.household_number
                         and v["status"] == c.RESIDENT and v["relationship"] == HEAD), None)
        head_changed = head is not None and head.addressee_number != old_head
        _order_household(members, appended.get(household.pk, []), household.pk in reorder or head_changed)
        for m in members:
            m.head_name = head.name if head else ""
        household.version += 1
        household.save(update_fields=["version"])

    processed_on = today
    snapshots = []
    changed_numbers = []
    second_save = []
    for number, resident in residents.items():
        after = _snapshot_values(resident)
        if before.get(number) == after and number not in reasons:
            continue
        if number in pre and before.get(number):
            items, pre_reason = pre[number]
            resident.history_number += 1
            snapshots.append(ResidentHistory(
                **{**before[number], **items}, history_number=resident.history_number, change=change,
                reason_code=pre_reason, effective_on=plan.effective_on, effective_on_text=plan.effective_on_text,
                processed_on=processed_on,
            ))
        resident.history_number += 1
        resident.version += 1
        resident.updated_at = timezone.now()
        # Persons the plan changed were saved above (so the member queries saw the move); members touched only
        # through their household were loaded here. Either way only these items changed since: one UPDATE for all.
        second_save.append(resident)
        snapshot = ResidentHistory(
            **after, history_number=resident.history_number, change=change,
            reason_code=reasons.get(number) or plan.incidental_reason or reasons_default(plan),
            effective_on=plan.effective_on, effective_on_text=plan.effective_on_text, processed_on=processed_on,
        )
        snapshots.append(snapshot)
        changed_numbers.append(number)
    Resident.objects.bulk_update(second_save, SECOND_SAVE_FIELDS + (["resident_code"] if given else []))
    ResidentHistory.objects.bulk_create(snapshots)
    records_written.send(sender=Change, addressee_numbers=changed_numbers)
    last = {s.addressee_number: s for s in snapshots}          # a pre-snapshot comes before its person's last
    snapshots_written.send(sender=Change, change=change, actor=actor,
                           persons=[(before.get(n), last[n]) for n in changed_numbers])

    change.status = c.APPROVED
    change.processed_on = processed_on
    change.result = {"addressee_numbers": changed_numbers, "created": created,
                     "households": sorted({h.household_number for h in touched_households})}
    if needing:
        change.result["resident_code_given"] = sorted(given)
        missing = [number for number in needing if number not in given]
        if missing:
            change.result["resident_code_missing"] = missing
        if stock_low is not None:
            change.result["resident_code_stock_low"] = stock_low
    change.version += 1
    change.save()
    subject_rows = [ChangeSubject(change=change, addressee_number=n) for n in created if n not in plan.subjects]
    ChangeSubject.objects.bulk_create(subject_rows)
    if hasattr(change, "subject_numbers"):
        change.subject_numbers += [row.addressee_number for row in subject_rows]
    # The change journal (jumin.core.journal, issue #16): every extracted row this change wrote. Inside
    # submit/approve's collecting() block, so it is written as the transaction's last step with whatever the
    # receivers of records_written journaled (the seals' 原票).
    journal.record_many({
        "residents": changed_numbers,
        "history": [(s.addressee_number, s.history_number) for s in snapshots],
        "households": sorted(h.household_number for h in touched_households),
        "changes": [change.pk],
    })
    transaction.on_commit(lambda: change_approved.send(sender=Change, change_id=change.pk))


SECOND_SAVE_FIELDS = ["head_name", "household_order", "history_number", "version", "updated_at"]


def reasons_default(plan: Plan) -> str:
    return plan.kind if plan.kind in c.REASON_BY_CODE else "ex_officio_correction"


def _order_household(members: list[Resident], appended: list[Resident], recompute: bool) -> None:
    """世帯員の並び順 (standard-spec §4.3): standard order for a new or re-headed household; otherwise
    existing members keep their positions and newcomers are appended at the end. A member leaving leaves a
    gap rather than renumbering the others, so their records (and history) do not change because of it."""
    if recompute:
        order = standard_household_order([
            MemberForOrder(m.addressee_number, m.relationship, m.birth_date) for m in members])
        position = {number: i + 1 for i, number in enumerate(order)}
        for m in members:
            m.household_order = position[m.addressee_number]
        return
    new_numbers = {m.addressee_number for m in appended}
    last = max((m.household_order for m in members if m.addressee_number not in new_numbers), default=0)
    newcomers = standard_household_order([
        MemberForOrder(m.addressee_number, m.relationship, m.birth_date) for m in members
        if m.addressee_number in new_numbers])
    by_number = {m.addressee_number: m for m in members}
    for i, number in enumerate(newcomers):
        by_number[number].household_order = last + i + 1


# ---------------------------------------------------------------- helpers shared by planners

def plan_dates(params: dict, *, today: date, future_allowed: bool = False, uncertain: bool = False,
               label: str = "異動日", notice_after_event: bool = False) -> tuple[date, str, date, bool]:
    """異動日 (blank at first, ≤ today except 転出), 届出日 (defaults to today, ≤ today), late flag (standard-spec §3.1).
    notice_after_event: a 届出 the law asks for after the event (転入, 転居, 世帯変更, 出生, 死亡) may not be
    dated before it (rules.check_notified_not_before)."""
    from jumin.register.item_rules import clean_date
    from jumin.register.rules import (
        check_effective_on, check_notified_not_before, check_notified_on, is_late_notification,
    )

    effective_on, text = clean_date(params.get("effective_on"), name="effective_on", label=label,
                                    allow_uncertain=uncertain)
    if effective_on is None and text:
        raise RuleViolation(f"{label}を「{text}」とすることはできません。分かる範囲で年（または年月）を入力してください"
                            "（例: 昭和45年頃）。", field="effective_on", code="date_unknown")
    if effective_on is None:
        raise RuleViolation(f"{label}を入力してください。", field="effective_on", code="required")
    check_effective_on(effective_on, today=today, future_allowed=future_allowed)
    notified_on, _ = clean_date(params.get("notified_on"), name="notified_on", label="届出日", allow_uncertain=False)
    notified_on = notified_on or today
    check_notified_on(notified_on, today=today)
    if notice_after_event:
        check_notified_not_before(effective_on, notified_on, label=label)
    return effective_on, text, notified_on, is_late_notification(effective_on, notified_on)


def plan_ex_officio(params: dict) -> tuple[bool, str]:
    """職権 changes need a reason (職権記録書, standard-spec §3.3)."""
    ex_officio = params.get("ex_officio", False)
    if not isinstance(ex_officio, bool):
        raise RuleViolation("職権の指定が正しくありません。", field="ex_officio")
    reason = params.get("reason") or ""
    if not isinstance(reason, str) or len(reason) > 500:
        raise RuleViolation("理由は500文字以内で入力してください。", field="reason")
    if ex_officio and not reason.strip():
        raise RuleViolation("職権で記録する場合は理由（職権記録）を入力してください。", field="reason", code="required")
    return ex_officio, reason.strip()


def pick_members(params: dict, members: list[Resident], *, key: str = "members") -> list[Resident]:
    """The persons a change applies to: the listed 宛名番号, or the whole household when none are listed."""
    wanted = params.get(key)
    if wanted in (None, []):
        return list(members)
    if not isinstance(wanted, list) or not all(isinstance(n, str) for n in wanted):
        raise RuleViolation("異動する世帯員は宛名番号の一覧で指定してください。", field=key)
    by_number = {m.addressee_number: m for m in members}
    chosen = []
    for i, number in enumerate(wanted):
        if number not in by_number:
            raise RuleViolation(f"宛名番号 {number[:10]} はこの世帯の住民ではありません。", field=f"{key}[{i}]")
        chosen.append(by_number[number])
    if len({m.addressee_number for m in chosen}) != len(chosen):
        raise RuleViolation("同じ世帯員が重複して指定されています。", field=key)
    return chosen


def relationships_for(params: dict, people: list[Resident], *, need_head: bool, forbid_head: bool = False,
                      key: str = "relationships") -> dict[str, str]:
    """続柄 of persons entering another household, keyed by 宛名番号 (standard-spec §2.5)."""
    from jumin.register.rules import validate_relationship

    given = params.get(key) or {}
    if not isinstance(given, dict):
        raise RuleViolation("続柄は宛名番号ごとに指定してください。", field=key)
    out = {}
    for p in people:
        if p.addressee_number not in given:
            raise RuleViolation(f"{p.name}（宛名番号 {p.addressee_number}）の新しい続柄を入力してください。",
                                field=f"{key}.{p.addressee_number}", code="required")
        out[p.addressee_number] = validate_relationship(given[p.addressee_number],
                                                        field=f"{key}.{p.addressee_number}")
    heads = [n for n, rel in out.items() if rel == HEAD]
    if need_head and len(heads) != 1:
        raise RuleViolation("新しい世帯には世帯主を1人指定してください。", field=key, code="head_required")
    if forbid_head and heads:
        raise RuleViolation("既存の世帯に加わる人・残る人を世帯主にすることはできません（世帯主変更で行ってください）。",
                            field=f"{key}.{heads[0]}", code="head_not_allowed")
    return out


def only_for(params: dict, key: str, people: list[Resident], *, whom: str) -> None:
    """A 続柄 given for someone the change does not concern is refused, never silently dropped."""
    given = params.get(key)
    if not isinstance(given, dict):
        return
    concerned = {p.addressee_number for p in people}
    for number in given:
        if number not in concerned:
            raise RuleViolation(f"宛名番号 {str(number)[:10]} の続柄が入力されていますが、この方は{whom}ではありません。"
                                f"続柄は{whom}についてだけ入力してください。", field=f"{key}.{str(number)[:10]}",
                                code="not_concerned")


def plan_remaining_head(params: dict, members: list[Resident], leaving: list[Resident], *, today: date) -> list[PersonUpdate]:
    """世帯主 leaves: one member left → 世帯主 ex officio; two or more → the clerk must name one (standard-spec §3.1).

    Input that would be dropped is refused instead: a new 世帯主 or remaining 続柄 given while the 世帯主
    stays, or a 続柄 for someone who is not staying."""
    from jumin.register.rules import decide_head_after_departure

    head = head_of(members)
    new_head = params.get("new_head")
    if new_head is not None and not isinstance(new_head, str):
        raise RuleViolation("新しい世帯主は宛名番号で指定してください。", field="new_head")
    if head is None or head not in leaving:
        if new_head and (head is None or new_head != head.addressee_number):
            raise RuleViolation("世帯主はこの世帯に残るため（または記録されていないため）、この異動では新しい世帯主は"
                                "指定できません。世帯主を変える場合は「世帯主変更」として処理してください。",
                                field="new_head", code="head_not_leaving")
        if params.get("remaining_relationships"):
            raise RuleViolation("世帯主が異動しないため、残る世帯員の続柄は変わりません。"
                                "続柄を変える場合は「世帯主変更」または職権修正として処理してください。",
                                field="remaining_relationships", code="head_not_leaving")
        return []
    decision = decide_head_after_departure(
        head=head.addressee_number,
        members=[m.addressee_number for m in members],
        leaving=[m.addressee_number for m in leaving],
        chosen_new_head=new_head or None,
    )
    successor = decision.automatic_new_head or new_head
    if not successor:
        return []
    others = [m for m in members if m.addressee_number in decision.remaining and m.addressee_number != successor]
    only_for(params, "remaining_relationships", others, whom="世帯に残る世帯員（新しい世帯主を除く）")
    updates = [PersonUpdate(successor, "head_change", {"relationship": HEAD})]
    if params.get("remaining_relationships"):
        rels = relationships_for(params, others, need_head=False, forbid_head=True, key="remaining_relationships")
        updates += [PersonUpdate(number, "head_change", {"relationship": rel}) for number, rel in rels.items()]
    return updates


def same_address(resident: Resident, address: dict) -> bool:
    return (resident.address == address["address"]
            and resident.address_supplement == address["address_supplement"])


ADDRESS_ITEMS = ("address", "address_supplement", "postcode", "address_code")
