"""世帯分離・世帯合併・世帯変更・世帯主変更 (standard-spec §3.2 世帯変更, §3.1 世帯主 leaving, §4.3 order).

All four change who belongs to which household at one address; none of them changes an address
(standard-spec §3.2: "Changing address at the same time is forbidden"), so the persons keep every
address item and only 世帯番号, 続柄, 世帯主の氏名 and the household order move.

DECISIONS where the spec is silent:
- "Same address" means the same 住所 and 方書 (as for 転居); postcode and 住所コード are not compared.
- 世帯分離 and 世帯変更 need someone to stay (all members leaving is 世帯合併 or nothing at all); a merged-away
  household keeps its row and number, with no living members.
- Newcomers are appended to the receiving household (standard-spec §4.3); only 世帯主変更 re-orders it.
- A new 世帯主 or remaining 続柄 sent while the 世帯主 stays, and a 続柄 for someone the change does not
  concern, are refused rather than ignored: the clerk meant something the change would not do.
- Members whose record changes only indirectly (a new 世帯主の氏名, the household order closing up) get
  the 事由 世帯主変更 when the 世帯主 left, otherwise the 事由 of the change itself.
"""

from datetime import date

from jumin.audit.actions import Actor
from jumin.core.errors import RuleViolation
from jumin.register.actions.base import (
    Plan, PersonUpdate, get_household, get_resident, head_of, only_for, pick_members, plan_dates, plan_ex_officio,
    plan_remaining_head, planner, relationships_for, same_address, submit,
)
from jumin.register.models import Change, Household, Resident
from jumin.register.rules import HEAD

__all__ = ["do_split_household", "do_merge_household", "do_change_household", "do_change_head"]


# ---------------------------------------------------------------- helpers shared by the four kinds

def _address_of(resident: Resident) -> dict:
    return {"address": resident.address, "address_supplement": resident.address_supplement}


def _address_text(resident: Resident) -> str:
    return f"{resident.address}{resident.address_supplement}"


def _households_in_lock_order(first: str, second: str, *, second_field: str
                              ) -> tuple[tuple[Household, list[Resident]], tuple[Household, list[Resident]]]:
    """Two households, row-locked in 世帯番号 order so that A→B and B→A at the same time never deadlock."""
    if first > second:
        other = get_household(second, field=second_field)
        return get_household(first), other
    this = get_household(first)
    return this, get_household(second, field=second_field)


def _pick_some(params: dict, members: list[Resident], *, label: str) -> list[Resident]:
    """Some, not all, members: the listed 宛名番号 (a 除票 is refused as such, not as a stranger)."""
    wanted = params.get("members")
    if wanted in (None, []):
        raise RuleViolation(f"{label}する世帯員を宛名番号で1人以上指定してください。", field="members",
                            code="required")
    if isinstance(wanted, list):
        living = {m.addressee_number for m in members}
        for i, number in enumerate(wanted):
            if isinstance(number, str) and len(number) <= 10 and number not in living:
                # 見つからない・除票 are refused with their own message; a living stranger falls through.
                get_resident(number, field=f"members[{i}]")
    return pick_members(params, members)


def _start(kind: str, params: dict, *, today: date) -> Plan:
    """世帯変更 of every kind is notified after it happened (住民基本台帳法 第25条: 14日以内)."""
    effective_on, text, notified_on, late = plan_dates(params, today=today, notice_after_event=True)
    ex_officio, reason = plan_ex_officio(params)
    return Plan(kind, effective_on, notified_on, text, ex_officio, reason, late_notification=late)


# ---------------------------------------------------------------- planners

@planner("household_split")
def plan_split_household(params: dict, *, today: date) -> Plan:
    """世帯分離: some members leave and form a new household at the same address."""
    plan = _start("household_split", params, today=today)
    household, members = get_household(str(params.get("household_number") or ""))
    leavers = _pick_some(params, members, label="世帯分離")
    if len(leavers) == len(members):
        raise RuleViolation("世帯員全員を世帯分離することはできません。世帯分離は、元の世帯に残る人が1人以上いる場合に"
                            "行います。", field="members", code="whole_household")
    only_for(params, "relationships", leavers, whom="世帯分離する人")
    rels = relationships_for(params, leavers, need_head=True)
    head_leaves = head_of(members) in leavers
    plan.incidental_reason = "head_change" if head_leaves else "household_split"
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    plan.new_households.append("new:1")
    plan.updates += plan_remaining_head(params, members, leavers, today=today)
    for m in leavers:
        plan.updates.append(PersonUpdate(m.addressee_number, "household_split",
                                         {"relationship": rels[m.addressee_number]}, household="new:1"))
    plan.summary = f"世帯分離 {len(leavers)}人（世帯番号 {household.household_number} から、{_address_text(members[0])}）"
    return plan


def _from_and_into(params: dict, *, into_label: str, same: str, verb: str):
    """The household people leave and the one they join (世帯合併・世帯変更): both exist, differ, and are at
    the same address — changing address at the same time is forbidden (standard-spec §3.2)."""
    number = str(params.get("household_number") or "")
    into = str(params.get("into_household_number") or "")
    if not into:
        raise RuleViolation(f"{into_label}の世帯番号を入力してください。", field="into_household_number", code="required")
    if number == into:
        raise RuleViolation(same + "別の世帯を指定してください。", field="into_household_number", code="same_household")
    (household, members), (target, others) = _households_in_lock_order(number, into,
                                                                      second_field="into_household_number")
    if not same_address(others[0], _address_of(members[0])):
        raise RuleViolation(f"住所が異なる世帯は{verb}できません。先に転居を記録してください。",
                            field="into_household_number", code="address_differs")
    return household, members, target, others


@planner("household_merge")
def plan_merge_household(params: dict, *, today: date) -> Plan:
    """世帯合併: every member of one household joins another household at the same address."""
    plan = _start("household_merge", params, today=today)
    household, members, target, others = _from_and_into(
        params, into_label="合併先", same="合併する世帯と合併先の世帯が同じです。", verb="合併")
    only_for(params, "relationships", members, whom="合併される世帯の世帯員")
    rels = relationships_for(params, members, need_head=False, forbid_head=True)
    plan.incidental_reason = "household_merge"
    plan.subjects = [m.addressee_number for m in members + others]
    plan.households = [household.household_number, target.household_number]
    for m in members:
        plan.updates.append(PersonUpdate(m.addressee_number, "household_merge",
                                         {"relationship": rels[m.addressee_number]}, household=target.household_number))
    plan.summary = (f"世帯合併 {len(members)}人（世帯番号 {household.household_number} → {target.household_number}、"
                    f"{_address_text(others[0])}）")
    return plan


@planner("household_change")
def plan_change_household(params: dict, *, today: date) -> Plan:
    """世帯変更: some members move into another household at the same address."""
    plan = _start("household_change", params, today=today)
    household, members, target, others = _from_and_into(
        params, into_label="移る先", same="移る先の世帯が元の世帯と同じです。", verb="世帯変更")
    movers = _pick_some(params, members, label="世帯変更")
    if len(movers) == len(members):
        raise RuleViolation("世帯員全員が別の世帯に移る場合は、世帯変更ではなく世帯合併として処理してください。",
                            field="members", code="whole_household")
    only_for(params, "relationships", movers, whom="世帯を移る人")
    rels = relationships_for(params, movers, need_head=False, forbid_head=True)
    head_leaves = head_of(members) in movers
    plan.incidental_reason = "head_change" if head_leaves else "household_change"
    plan.subjects = [m.addressee_number for m in members + others]
    plan.households = [household.household_number, target.household_number]
    plan.updates += plan_remaining_head(params, members, movers, today=today)
    for m in movers:
        plan.updates.append(PersonUpdate(m.addressee_number, "household_change",
                                         {"relationship": rels[m.addressee_number]}, household=target.household_number))
    plan.summary = (f"世帯変更 {len(movers)}人（世帯番号 {household.household_number} → {target.household_number}、"
                    f"{_address_text(others[0])}）")
    return plan


@planner("head_change")
def plan_change_head(params: dict, *, today: date) -> Plan:
    """世帯主変更: a member becomes 世帯主 and every member's 続柄 is re-set (standard-spec §3.2)."""
    plan = _start("head_change", params, today=today)
    household, members = get_household(str(params.get("household_number") or ""))
    new_head = params.get("new_head")
    if not new_head:
        raise RuleViolation("新しい世帯主を宛名番号で指定してください。", field="new_head", code="required")
    if not isinstance(new_head, str):
        raise RuleViolation("新しい世帯主は宛名番号で指定してください。", field="new_head")
    by_number = {m.addressee_number: m for m in members}
    if new_head not in by_number:
        if len(new_head) <= 10:
            get_resident(new_head, field="new_head")   # 見つからない・除票 have their own refusals
        raise RuleViolation(f"宛名番号 {new_head[:10]} はこの世帯の住民ではありません。"
                            "新しい世帯主には、この世帯の世帯員を指定してください。", field="new_head", code="not_member")
    successor = by_number[new_head]
    if successor.relationship == HEAD:
        raise RuleViolation(f"{successor.name}さんは既にこの世帯の世帯主です。", field="new_head", code="already_head")
    only_for(params, "relationships", members, whom="この世帯の世帯員")
    rels = relationships_for(params, members, need_head=False)
    if rels[new_head] != HEAD:
        raise RuleViolation(f"新しい世帯主（{successor.name}さん）の続柄は「世帯主」としてください。",
                            field=f"relationships.{new_head}", code="head_mismatch")
    for number, rel in rels.items():
        if rel == HEAD and number != new_head:
            raise RuleViolation(f"{by_number[number].name}さんの続柄を「世帯主」にすることはできません。"
                                "世帯主は1人だけです。新しい世帯主との続柄を入力してください。",
                                field=f"relationships.{number}", code="head_mismatch")
    plan.incidental_reason = "head_change"
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    plan.reorder_households.add(household.household_number)
    for m in members:
        plan.updates.append(PersonUpdate(m.addressee_number, "head_change", {"relationship": rels[m.addressee_number]}))
    plan.summary = f"世帯主変更 {successor.name}（世帯番号 {household.household_number}）"
    return plan


# ---------------------------------------------------------------- actions

def do_split_household(params: dict, *, actor: Actor) -> Change:
    """世帯分離: the listed members form a new household at the same address."""
    return submit("household_split", params, actor=actor)


def do_merge_household(params: dict, *, actor: Actor) -> Change:
    """世帯合併: a whole household joins another household at the same address."""
    return submit("household_merge", params, actor=actor)


def do_change_household(params: dict, *, actor: Actor) -> Change:
    """世帯変更: some members move into another household at the same address."""
    return submit("household_change", params, actor=actor)


def do_change_head(params: dict, *, actor: Actor) -> Change:
    """世帯主変更, with every member's 続柄 re-set."""
    return submit("head_change", params, actor=actor)
