"""職権記載・職権消除・職権修正／軽微な修正／誤記修正 (standard-spec §3.3).

Every change here is made by the municipality on its own authority, so a reason (職権記録書, §3.3) is
required for all of them. Corrections never overwrite history: they append a snapshot like any other
change (§2.8, 誤記修正 §4.2.3.3 of the spec).
"""

from datetime import date

from jumin.audit.actions import Actor
from jumin.core.errors import RuleViolation
from jumin.register import choices as c
from jumin.register.actions.base import (
    Plan, PersonUpdate, get_household, get_resident, plan_dates, plan_remaining_head,
    planner, submit,
)
from jumin.register.actions.moves import plan_entry
from jumin.register.item_rules import (
    PERSON_ITEMS, check_birth_not_future, check_non_blank, clean_address, clean_person_items,
)
from jumin.register.models import ITEM_FIELDS, Change, Resident
from jumin.register.rules import HEAD

__all__ = ["do_ex_officio_entry", "do_ex_officio_removal", "do_correct_record"]

MAX_REMOVALS = 30

CORRECTION_KINDS = {
    "ex_officio_correction": "職権修正",
    "minor_correction": "軽微な修正",
    "clerical_correction": "誤記修正",
}

# Items a correction may not touch, with where the clerk should go instead.
NOT_CORRECTABLE = {
    "addressee_number": "宛名番号は修正できません。",
    "individual_number": "個人番号は「個人番号の記載・変更・修正」で修正してください。",
    "resident_code": "住民票コードは「住民票コードの記載・変更・修正」で修正してください。",
    "resident_type": "住民種別は修正できません。帰化・国籍取得または国籍喪失として処理してください。",
    "status": "住民状態は修正できません。職権記載・職権消除、または異動の取消しで処理してください。",
    "removal_reason": "消除事由は修正できません。誤った異動を取り消してから、正しい異動を入力してください。",
    "household_number": "世帯は修正できません。世帯分離・世帯合併・世帯変更で処理してください。",
    "household": "世帯は修正できません。世帯分離・世帯合併・世帯変更で処理してください。",
    "household_order": "世帯員の並び順は修正の対象ではありません。",
    "head_name": "世帯主の氏名は、世帯主本人の氏名を修正すると世帯全員分が自動で修正されます。",
    "address": "住所は items ではなく address で指定してください。",
    "address_supplement": "方書は items ではなく address で指定してください。",
    "postcode": "郵便番号は items ではなく address で指定してください。",
    "address_code": "住所コードは items ではなく address で指定してください。",
}
CORRECTABLE_ITEMS = PERSON_ITEMS - {"individual_number", "resident_code", "resident_type"}
# 旧氏・通称 are recorded and deleted by their own kinds (請求・申出, standard-spec §2.7); a correction may
# only fix the spelling of one that is already recorded.
OWN_KIND_ITEMS = {"former_surname": "旧氏", "alias": "通称"}


def require_reason(params: dict) -> str:
    """The reason of a 職権 change (職権記録書, standard-spec §3.3): required, at most 500 characters."""
    reason = params.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise RuleViolation("理由は文字列で入力してください。", field="reason")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("職権で記録するため、理由（職権記録）を入力してください。", field="reason", code="required")
    if len(reason) > 500:
        raise RuleViolation("理由は500文字以内で入力してください。", field="reason")
    return reason


def living_members(resident: Resident) -> list[Resident]:
    """The living members of a person's household, row-locked (the person included when living)."""
    return list(Resident.objects.select_for_update().filter(household_id=resident.household_id, status=c.RESIDENT)
                .order_by("household_order", "addressee_number"))


# ---------------------------------------------------------------- 職権記載

@planner("ex_officio_entry")
def plan_ex_officio_entry(params: dict, *, today: date) -> Plan:
    """職権記載 (住所設定 and the like): keyed in like a 転入, but without a 届出 (standard-spec §3.3)."""
    effective_on, text, notified_on, _late = plan_dates(params, today=today)
    reason = require_reason(params)
    previous = clean_address(params.get("previous_address"), prefix="previous_address", label="転入前住所",
                             required=False)
    plan = Plan("ex_officio_entry", effective_on, notified_on, text, True, reason)
    address, joining = plan_entry(params, plan, today=today, previous=previous, reason_code="ex_officio_entry")
    plan.summary = f"職権記載（{'一部' if joining else '全部'}） {len(plan.new_people)}人 {address}"
    return plan


# ---------------------------------------------------------------- 職権消除

@planner("ex_officio_removal")
def plan_ex_officio_removal(params: dict, *, today: date) -> Plan:
    """職権消除 of one or more living persons of one household (standard-spec §3.3)."""
    numbers = params.get("addressee_numbers")
    if not isinstance(numbers, list) or not numbers:
        raise RuleViolation("消除する方の宛名番号を1件以上指定してください。", field="addressee_numbers", code="required")
    if len(numbers) > MAX_REMOVALS:
        raise RuleViolation(f"一度に消除できるのは{MAX_REMOVALS}人までです。", field="addressee_numbers")
    if not all(isinstance(n, str) and n for n in numbers):
        raise RuleViolation("消除する方は宛名番号の一覧で指定してください。", field="addressee_numbers")
    if len(set(numbers)) != len(numbers):
        raise RuleViolation("同じ方が重複して指定されています。", field="addressee_numbers")
    # 異動日 of 失踪 etc. may be a 不詳日 (standard-spec §2.4).
    effective_on, text, notified_on, _late = plan_dates(params, today=today, uncertain=True)
    reason = require_reason(params)
    leaving = [get_resident(n[:10], field=f"addressee_numbers[{i}]") for i, n in enumerate(numbers)]
    household_ids = {r.household_id for r in leaving}
    if len(household_ids) != 1:
        raise RuleViolation("一度に消除できるのは同じ世帯の方だけです。世帯ごとに分けて入力してください。",
                            field="addressee_numbers", code="several_households")
    household, members = get_household(leaving[0].household_number)
    plan = Plan("ex_officio_removal", effective_on, notified_on, text, True, reason,
                incidental_reason="head_change")
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    plan.updates += plan_remaining_head(params, members, leaving, today=today)
    for person in leaving:
        plan.updates.append(PersonUpdate(person.addressee_number, "ex_officio_removal", {
            "status": c.REMOVED, "removal_reason": "ex_officio_removal", "removed_on": effective_on,
            "removed_on_text": text,
        }))
    names = "、".join(p.name for p in leaving[:3]) + ("ほか" if len(leaving) > 3 else "")
    plan.summary = f"職権消除 {len(leaving)}人（{names}）"
    return plan


# ---------------------------------------------------------------- 職権修正・軽微な修正・誤記修正

def _clean_correction_items(raw, resident: Resident) -> dict:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RuleViolation("修正する項目は「項目名: 新しい値」の形で指定してください。", field="items")
    for name in raw:
        if name in NOT_CORRECTABLE:
            raise RuleViolation(NOT_CORRECTABLE[name], field=f"items.{name}", code="not_correctable")
    items = clean_person_items(raw, prefix="items", only=CORRECTABLE_ITEMS)
    for name, label in OWN_KIND_ITEMS.items():
        if name in items and (not getattr(resident, name) or not items[name]):
            raise RuleViolation(f"{label}の記載・削除は「{label}の記載・削除」の異動で行ってください。"
                                f"修正で直せるのは、記載済みの{label}の誤りだけです。",
                                field=f"items.{name}", code="not_correctable")
    if "removed_on" in items and resident.status != c.REMOVED:
        raise RuleViolation("消除事由の生じた年月日は、除票でのみ修正できます。", field="items.removed_on",
                            code="not_correctable")
    if "relationship" in items:
        was_head, becomes_head = resident.relationship == HEAD, items["relationship"] == HEAD
        if was_head != becomes_head:
            raise RuleViolation("世帯主であるかどうかは修正で変えられません。世帯主変更で処理してください。",
                                field="items.relationship", code="head_change_required")
    return items


def _changed(resident: Resident, values: dict) -> bool:
    return any(getattr(resident, name) != value for name, value in values.items())


@planner("correction")
def plan_correction(params: dict, *, today: date) -> Plan:
    """職権修正・軽微な修正・誤記修正 of one person's items, and of the address of one person or of the
    whole household (住居表示の実施 and the like, standard-spec §3.3)."""
    kind = params.get("correction_kind")
    if kind not in CORRECTION_KINDS:
        raise RuleViolation("修正の区分は ex_officio_correction（職権修正）、minor_correction（軽微な修正）、"
                            "clerical_correction（誤記修正）のいずれかを指定してください。",
                            field="correction_kind", code="required" if not kind else "invalid")
    label = CORRECTION_KINDS[kind]
    effective_on, text, notified_on, _late = plan_dates(params, today=today)
    reason = require_reason(params)
    household_wide = params.get("household_wide")
    household_wide = False if household_wide is None else household_wide
    if not isinstance(household_wide, bool):
        raise RuleViolation("世帯全員の修正かどうかは true か false で指定してください。", field="household_wide")
    number = params.get("addressee_number")
    if not isinstance(number, str) or not number:
        raise RuleViolation("修正する方の宛名番号を入力してください。", field="addressee_number", code="required")
    resident = get_resident(number[:10], living=False)
    if resident.status != c.RESIDENT and kind != "clerical_correction":
        raise RuleViolation(f"宛名番号 {resident.addressee_number} は除票です。除票に対して行えるのは誤記修正だけです。",
                            field="addressee_number", code="removed_record")

    items = _clean_correction_items(params.get("items"), resident)
    address = None
    if params.get("address") is not None:
        address = clean_address(params.get("address"), prefix="address")
    if household_wide and address is None:
        raise RuleViolation("世帯全員の住所を修正する場合は、修正後の住所を入力してください。", field="address",
                            code="required")

    members = living_members(resident) if resident.status == c.RESIDENT else []
    if household_wide and resident.status != c.RESIDENT:
        raise RuleViolation("除票の住所を世帯全員分まとめて修正することはできません。", field="household_wide")
    others = [m for m in members if m.addressee_number != resident.addressee_number]
    if address is not None and not household_wide and others:
        reference = others[0]
        if any(getattr(reference, k) != address[k] for k in ("address", "address_supplement")):
            raise RuleViolation("世帯の他の方と異なる住所には修正できません。世帯全員の住所を修正する場合は "
                                "household_wide を指定し、住所が変わった場合は転居として処理してください。",
                                field="address.address", code="address_mismatch")

    address_targets = (members if household_wide else [resident]) if address is not None else []
    changes_anything = _changed(resident, items) or any(_changed(m, address) for m in address_targets)
    if not changes_anything:
        raise RuleViolation("修正後の内容が現在の記載と同じです。修正する項目と新しい値を入力してください。",
                            field="items", code="no_change")

    merged = {name: getattr(resident, name) for name in ITEM_FIELDS} | items | (address or {})
    check_birth_not_future(merged, today=today, prefix="items")
    check_non_blank(merged, prefix="items")

    plan = Plan("correction", effective_on, notified_on, text, True, reason, incidental_reason=kind)
    plan.subjects = [resident.addressee_number] + [m.addressee_number for m in others]
    if resident.status == c.RESIDENT:
        plan.households = [resident.household_number]
    own = dict(items)
    if address is not None:
        own.update(address)
    plan.updates.append(PersonUpdate(resident.addressee_number, kind, own))
    if household_wide:
        for m in others:
            plan.updates.append(PersonUpdate(m.addressee_number, kind, dict(address)))
    what = "、".join(list(items)[:5] + (["address"] if address is not None else []))
    scope = f"（世帯全員 {len(members)}人）" if household_wide else ""
    plan.summary = f"{label} {resident.name}{scope}: {what}"
    return plan


# ---------------------------------------------------------------- actions

def do_ex_officio_entry(params: dict, *, actor: Actor) -> Change:
    """職権記載 (住所設定 etc.): like a 転入, into a new household (`address`) or an existing one
    (`household_number`); `reason` required; `previous_address` may be blank or 「不明」."""
    return submit("ex_officio_entry", params, actor=actor)


def do_ex_officio_removal(params: dict, *, actor: Actor) -> Change:
    """職権消除 of `addressee_numbers` (living, one household); `reason` required; `new_head` /
    `remaining_relationships` when the 世帯主 is removed and two or more members remain."""
    return submit("ex_officio_removal", params, actor=actor)


def do_correct_record(params: dict, *, actor: Actor) -> Change:
    """職権修正・軽微な修正・誤記修正 (`correction_kind`) of `items` and/or `address` of `addressee_number`;
    `household_wide: true` corrects the address of every living member; `reason` required."""
    return submit("correction", params, actor=actor)
