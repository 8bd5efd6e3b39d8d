"""出生・死亡 (standard-spec §3.3 職権記載/職権消除, §2.4 不詳日, §3.1 世帯主 leaving).

The 異動日 of both is the day of the event as 戸籍 records it, so it may be a non-calendar date or a
不詳日 form (standard-spec §2.4): the internal date is the first day of the period and the literal is
kept next to it. "年月日不詳" has no internal date at all, and every change and snapshot needs one
(Change.effective_on, ResidentHistory.effective_on), so it is refused with a clear message.

DECISIONS where the spec is silent:
- 出生: the child always joins an existing household (a newborn is never 世帯主 of it); 生年月日,
  住民となった年月日 and 住所を定めた年月日 are the 異動日, 転入前住所 is blank (standard-spec §3.3), the address
  is the household's. A 生年月日 sent with the child must equal the 異動日.
- 死亡: a death date before an exact 生年月日 is refused. The 除票 keeps its household, 続柄 and
  世帯主の氏名 as they were on the day of death. Whether 職権 is set is the clerk's choice (a 死亡届 at the
  counter or a 本籍地 notice): it is not forced.
- Members of the household whose record changes only indirectly (household order, 世帯主の氏名) get the
  事由 世帯主変更, as after a 転出 (moves.py).
"""

from datetime import date

from jumin.audit.actions import Actor
from jumin.core.errors import ConflictError, RuleViolation
from jumin.register import choices as c
from jumin.register.actions.base import (
    ADDRESS_ITEMS, Alert, Plan, PersonUpdate, get_household, get_resident, plan_dates, plan_ex_officio,
    plan_remaining_head, planner, submit,
)
from jumin.register.actions.moves import plan_new_members
from jumin.register.item_rules import clean_date
from jumin.register.models import Change, Resident

__all__ = ["do_record_birth", "do_record_death"]

CHILD = "child"


def _event_dates(params: dict, *, today: date, label: str) -> tuple[date, str, date, bool]:
    """plan_dates with 不詳日 allowed; 年月日不詳 (no date at all) is refused before it reads as "missing"."""
    value, text = clean_date(params.get("effective_on"), name="effective_on", label=label, allow_uncertain=True)
    if value is None and text:
        raise RuleViolation(
            f"{label}が「{text}」のままでは記録できません。戸籍に年や推定日の記載があれば"
            "「令和6年頃」「推定令和6年3月1日」のように入力してください。記載がない場合はシステム管理者に相談してください。",
            field="effective_on", code="date_unknown")
    return plan_dates(params, today=today, uncertain=True, label=label, notice_after_event=True)


def _child_field(field: str | None) -> str | None:
    """Refusals of plan_new_members name "members[0]…"; the request calls the child "child"."""
    if field == "members":
        return f"{CHILD}.relationship"       # the only "members" refusal a single joining child can get
    if field and field.startswith("members[0]"):
        return CHILD + field[len("members[0]"):]
    return field


@planner("birth")
def plan_birth(params: dict, *, today: date) -> Plan:
    """出生: the child joins an existing household; 生年月日 = 住民となった年月日 = 住所を定めた年月日 = 異動日."""
    effective_on, text, notified_on, late = _event_dates(params, today=today, label="出生日")
    ex_officio, reason = plan_ex_officio(params)
    household, members = get_household(str(params.get("household_number") or ""))
    child = params.get(CHILD)
    if not isinstance(child, dict) or not child:
        raise RuleViolation("出生した子の事項（氏名・性別・続柄・本籍など）を入力してください。", field=CHILD,
                            code="required")
    child = dict(child)
    if "reentry_of" in child:
        raise RuleViolation("出生では再転入の指定はできません。", field=f"{CHILD}.reentry_of", code="unknown_field")
    given_birth = child.pop("birth_date", None)
    if given_birth not in (None, ""):
        birth, birth_text = clean_date(given_birth, name="birth_date", prefix=CHILD)
        if (birth, birth_text) != (effective_on, text):
            raise RuleViolation("出生では生年月日は出生日（異動日）と同じになります。生年月日と出生日を確認してください。",
                                field=f"{CHILD}.birth_date", code="birth_date_mismatch")
    child["birth_date"] = params.get("effective_on")   # parsed again with the child's items, same result
    plan = Plan("birth", effective_on, notified_on, text, ex_officio, reason, late_notification=late)
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    extra = {
        **{k: getattr(members[0], k) for k in ADDRESS_ITEMS},
        "birth_date": effective_on, "birth_date_text": text,
        "became_resident_on": effective_on, "became_resident_on_text": text,
        "address_since": effective_on, "address_since_text": text, "notified_on": notified_on,
        "previous_address": "", "previous_address_supplement": "", "previous_postcode": "", "previous_address_code": "",
    }
    try:
        plan_new_members({"members": [child]}, today=today, effective_on=effective_on, effective_text=text,
                         notified_on=notified_on, reason_code="birth", household_ref=household.household_number,
                         joining=True, extra_items=extra, plan=plan)
    except RuleViolation as refusal:
        refusal.field = _child_field(refusal.field)
        raise
    plan.alerts = [Alert(a.code.replace("members[0]", CHILD), a.message, _child_field(a.field)) for a in plan.alerts]
    name = plan.new_people[0].items["name"]
    plan.summary = f"出生 {name}（世帯番号 {household.household_number}）"
    return plan


@planner("death")
def plan_death(params: dict, *, today: date) -> Plan:
    """死亡: the record becomes a 除票; a 世帯主 who dies is succeeded as standard-spec §3.1 says."""
    effective_on, text, notified_on, late = _event_dates(params, today=today, label="死亡日")
    ex_officio, reason = plan_ex_officio(params)
    number = params.get("addressee_number")
    if not number or not isinstance(number, str):
        raise RuleViolation("亡くなった方の宛名番号を入力してください。", field="addressee_number", code="required")
    # Lock the household first, then its members (the order every household change uses), so a death and
    # a 世帯変更 of the same household at the same moment cannot deadlock. The unlocked read only finds it.
    household_number = Resident.objects.filter(addressee_number=number, status=c.RESIDENT) \
        .values_list("household_number", flat=True).first()
    if household_number is None:
        get_resident(number)              # refuses: not found, or already a 除票 (e.g. a death recorded twice)
    household, members = get_household(household_number or "", field="addressee_number")
    deceased = next((m for m in members if m.addressee_number == number), None)
    if deceased is None:
        get_resident(number)              # removed in the meantime
        raise ConflictError("この方の世帯は他の職員の処理で変わりました。最新の内容を確認して、もう一度入力してください。",
                            field="addressee_number")
    if (deceased.birth_date is not None and not deceased.birth_date_text and not text
            and effective_on < deceased.birth_date):
        raise RuleViolation("死亡日が生年月日より前になっています。死亡日を確認してください。", field="effective_on",
                            code="before_birth")
    plan = Plan("death", effective_on, notified_on, text, ex_officio, reason, late_notification=late,
                incidental_reason="head_change")
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    plan.updates += plan_remaining_head(params, members, [deceased], today=today)
    plan.updates.append(PersonUpdate(deceased.addressee_number, "death", {
        "status": c.REMOVED, "removal_reason": "death", "removed_on": effective_on, "removed_on_text": text,
    }))
    plan.summary = f"死亡 {deceased.name}（宛名番号 {deceased.addressee_number}）"
    return plan


def do_record_birth(params: dict, *, actor: Actor) -> Change:
    """出生: a child keyed in joins an existing household."""
    return submit("birth", params, actor=actor)


def do_record_death(params: dict, *, actor: Actor) -> Change:
    """死亡: the person's record becomes a 除票 (消除事由 死亡)."""
    return submit("death", params, actor=actor)
