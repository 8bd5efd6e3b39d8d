"""異動の取消し (standard-spec §3.4, §4.6 of the spec).

A cancellation never deletes or edits history: it appends, for every person the cancelled change
touched, a snapshot that restores what they were just before it — 異動の取消し（増） when the person
becomes living again (a cancelled 転出・死亡・職権消除), （減） when the change had created them (a
cancelled 転入・出生・職権記載) or when restoring makes them a 除票 again (a cancelled 再転入), and
（修正） otherwise. Persons go back to their original household and address.

The cancellation carries the 異動日 of the change it cancels, so a query "as of D" (queries.snapshot_as_of,
basis="effective") finds the cancellation instead of the cancelled snapshot for every D on or after that
date, and the state before it for earlier dates: the cancelled change disappears from every D.

DECISIONS where the spec is silent:
- Only an approved (本登録) change can be cancelled; a draft (仮登録) is discarded instead.
- A cancellation cannot itself be cancelled (the change it undid would come back without being
  re-examined); enter the change again instead. 移行 (migration) data cannot be cancelled either:
  errors in migrated data are fixed by 誤記修正.
- Changes are cancelled newest first: if any person the change touched has a later snapshot, it is refused.
- A person is not put back into a household whose other members have meanwhile moved to another address
  or got another 世帯主; the later change must be cancelled first.
"""

from datetime import date

from django.db.models import Q

from jumin.audit.actions import Actor
from jumin.core.errors import NotFound, RuleViolation
from jumin.register import choices as c
from jumin.register.actions.base import Plan, PersonUpdate, lock_residents, planner, submit
from jumin.register.actions.ex_officio import require_reason
from jumin.register.item_rules import clean_date
from jumin.register.models import ITEM_FIELDS, Change, Resident, ResidentHistory
from jumin.register.rules import HEAD, check_notified_on

__all__ = ["do_cancel_change"]

NOT_CANCELLABLE = {
    "cancellation": "異動の取消しを取り消すことはできません。必要な異動を改めて入力してください。",
    "migration": "移行データは取り消せません。誤りがある場合は誤記修正で直してください。",
}
# Items that are not restored from the previous snapshot: the key, and the household (moved via
# PersonUpdate.household so the engine relinks the person and recomputes the household).
NOT_RESTORED = {"addressee_number", "household_number"}
UNIQUE_NUMBERS = {"individual_number": "個人番号", "resident_code": "住民票コード",
                  "residence_card_number": "在留カードの番号"}


def _change_id(params: dict) -> int:
    value = params.get("change_id")
    if isinstance(value, bool) or value in (None, ""):
        raise RuleViolation("取り消す異動の異動IDを入力してください。", field="change_id", code="required")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value <= 0:
        raise RuleViolation("異動IDは正の整数で入力してください。", field="change_id")
    return value


def _target(change_id: int) -> Change:
    target = Change.objects.select_for_update().filter(pk=change_id).first()
    if target is None:
        raise NotFound(f"異動ID {change_id} は見つかりません。", field="change_id")
    if target.status == c.DRAFT:
        raise RuleViolation(f"異動ID {change_id} は仮登録です。仮登録の異動は取り消さず、破棄してください。",
                            field="change_id", code="not_approved")
    if target.status != c.APPROVED:
        raise RuleViolation(f"異動ID {change_id} は破棄済みのため、取り消せません。", field="change_id",
                            code="not_approved")
    if target.kind in NOT_CANCELLABLE:
        raise RuleViolation(NOT_CANCELLABLE[target.kind], field="change_id", code="not_cancellable")
    done = Change.objects.filter(kind="cancellation", status=c.APPROVED) \
        .filter(Q(cancels=target) | Q(params__change_id=target.pk)).first()
    if done is not None:
        raise RuleViolation(f"異動ID {change_id} は既に取り消されています（異動ID {done.pk}）。", field="change_id",
                            code="already_cancelled")
    return target


@planner("cancellation")
def plan_cancellation(params: dict, *, today: date) -> Plan:
    target = _target(_change_id(params))
    reason = require_reason(params)
    given = params.get("effective_on")
    if given not in (None, ""):
        effective_on, _ = clean_date(given, name="effective_on", label="異動日", allow_uncertain=True)
        if effective_on != target.effective_on:
            raise RuleViolation("異動の取消しの異動日は、取り消す異動の異動日になります。異動日は入力しないでください。",
                                field="effective_on")
    notified_on, _ = clean_date(params.get("notified_on"), name="notified_on", label="届出日", allow_uncertain=False)
    notified_on = notified_on or today
    check_notified_on(notified_on, today=today)
    ex_officio = params.get("ex_officio", False)
    if not isinstance(ex_officio, bool):
        raise RuleViolation("職権の指定が正しくありません。", field="ex_officio")

    snapshots = list(ResidentHistory.objects.filter(change=target).order_by("addressee_number", "history_number"))
    first_of: dict[str, int] = {}
    last_of: dict[str, int] = {}
    for s in snapshots:
        first_of.setdefault(s.addressee_number, s.history_number)
        last_of[s.addressee_number] = s.history_number
    if not first_of:
        raise RuleViolation(f"異動ID {target.pk} には取り消す記録がありません。", field="change_id",
                            code="nothing_to_cancel")
    people = lock_residents(first_of)
    for number, last in last_of.items():
        if people[number].history_number > last:
            raise RuleViolation("後続の異動があるため取り消せません。後の異動から順に取り消してください。"
                                f"（宛名番号 {number} に異動ID {target.pk} より後の異動があります）",
                                field="change_id", code="later_changes")

    plan = Plan("cancellation", target.effective_on, notified_on, target.effective_on_text, ex_officio, reason,
                incidental_reason="cancel_correction", cancels=target.pk)
    returning: dict[str, list[tuple[Resident, dict]]] = {}   # household number → persons living again there
    for number, first in first_of.items():
        person = people[number]
        previous = ResidentHistory.objects.filter(addressee_number=number, history_number__lt=first) \
            .order_by("-history_number").first()
        if previous is None:
            # The cancelled change created this person (転入・出生・職権記載): the record becomes a 除票.
            plan.updates.append(PersonUpdate(number, "cancel_decrease", {
                "status": c.REMOVED, "removal_reason": "cancel_decrease", "removed_on": target.effective_on,
                "removed_on_text": target.effective_on_text,
            }))
            continue
        items = {name: getattr(previous, name) for name in ITEM_FIELDS if name not in NOT_RESTORED}
        was_living, will_live = person.status == c.RESIDENT, previous.status == c.RESIDENT
        if will_live and not was_living:
            reason_code = "cancel_increase"
        elif was_living and not will_live:
            reason_code = "cancel_decrease"
        else:
            reason_code = "cancel_correction"
        household = previous.household_number if previous.household_number != person.household_number else None
        plan.updates.append(PersonUpdate(number, reason_code, items, household=household))
        if will_live and (household or not was_living):
            returning.setdefault(previous.household_number, []).append((person, items))

    _check_returning(plan, returning, set(first_of))
    plan.subjects = list(first_of)
    households = {p.household_number for p in people.values()} | set(returning)
    for household_number in sorted(households):
        plan.households.append(household_number)
        plan.subjects += list(Resident.objects.filter(household__household_number=household_number,
                                                      status=c.RESIDENT)
                              .exclude(addressee_number__in=first_of).values_list("addressee_number", flat=True))
    plan.reorder_households = set(returning)
    plan.summary = (f"異動の取消し（異動ID {target.pk}：{target.get_kind_display()}） {len(first_of)}人"
                    f" {target.summary}")[:500]
    return plan


def _check_returning(plan: Plan, returning: dict[str, list[tuple[Resident, dict]]], touched: set[str]) -> None:
    """Persons living again must fit the household they return to: same address, one 世帯主, and no
    number another living record now holds."""
    for household_number, persons in returning.items():
        stayers = list(Resident.objects.select_for_update()
                       .filter(household__household_number=household_number, status=c.RESIDENT)
                       .exclude(addressee_number__in=touched))
        for person, items in persons:
            if stayers and any(items[k] != getattr(stayers[0], k) for k in ("address", "address_supplement")):
                raise RuleViolation(f"戻る世帯（世帯番号 {household_number}）の住所が、その後の異動で変わっています。"
                                    "後の異動から順に取り消してください。", field="change_id", code="later_changes")
        heads = [s for s in stayers if s.relationship == HEAD] + [p for p, items in persons
                                                                 if items["relationship"] == HEAD]
        if len(heads) > 1:
            raise RuleViolation(f"戻る世帯（世帯番号 {household_number}）には、その後の異動で別の世帯主がいます。"
                                "後の異動から順に取り消してください。", field="change_id", code="later_changes")
        for person, items in persons:
            for name, label in UNIQUE_NUMBERS.items():
                value = items.get(name)
                if value and Resident.objects.filter(**{name: value}, status=c.RESIDENT) \
                        .exclude(addressee_number=person.addressee_number).exists():
                    raise RuleViolation(f"{person.name}さんの{label}が、その後ほかの住民票に記載されています。"
                                        "取り消す前に番号を確認してください。", field="change_id",
                                        code="duplicate_number")


def do_cancel_change(params: dict, *, actor: Actor) -> Change:
    """異動の取消し of the approved change `change_id`; `reason` required. The new change records what it
    cancels in Change.cancels (Plan.cancels, written by the engine)."""
    return submit("cancellation", params, actor=actor)
