"""転入・転居・転出・転入通知の受理 (standard-spec §3.2)."""

from datetime import date

from jumin.audit.actions import Actor
from jumin.core.errors import RuleViolation
from jumin.core.text import strip_variation_selectors
from jumin.register import choices as c
from jumin.register.actions.base import (
    ADDRESS_ITEMS, Alert, NewPerson, Plan, PersonUpdate, get_household, get_resident, outside_records, pick_members,
    plan_dates, plan_ex_officio, plan_remaining_head, planner, relationships_for, same_address, submit,
)
from jumin.register.item_rules import check_birth_not_future, check_non_blank, clean_address, clean_person_items
from jumin.core.models import current_municipality
from jumin.core.wareki import format_wareki
from jumin.register.models import Change, Resident
from jumin.register.rules import (
    EARLY_MOVE_OUT_DAYS, HEAD, IMPLAUSIBLE_AGE, age_on, check_born_by, check_move_in_from_elsewhere,
    check_not_before_address_since, is_early_move_out_notice, is_implausibly_old,
)

MAX_MEMBERS = 30
MOVE_OUT_RESET = {
    "removal_reason": "", "removed_on": None, "removed_on_text": "", "destination": "", "destination_supplement": "",
    "destination_postcode": "", "destination_address_code": "", "planned_move_out_on": None,
    "destination_confirmed": "", "destination_confirmed_supplement": "", "destination_confirmed_postcode": "",
    "destination_confirmed_address_code": "", "moved_out_on": None, "move_in_notice_on": None,
}


def _name_key(name: str) -> str:
    return strip_variation_selectors(name).replace(" ", "").replace("\u3000", "")


def _identity_matches(items: dict) -> list[Resident]:
    """Records sharing an identifier that only one person can have (個人番号, 住民票コード, 在留カード番号)."""
    found = {}
    for name in ("individual_number", "resident_code", "residence_card_number"):
        if items.get(name):
            for r in Resident.objects.filter(**{name: items[name]}):
                found[r.addressee_number] = r
    return list(found.values())


def _check_outside(items: dict, claimed: str | None, *, prefix: str, plan: Plan, reentry: bool) -> None:
    """A new resident who is a 住登外者 keeps that 宛名番号 (共通機能 §2.3; issue #17 item 3): the clerk names it
    (`non_resident_of`); the same 個人番号 leaves no choice; the same 基本4情報 is an alert for the clerk to judge."""
    field = f"{prefix}.non_resident_of"
    found = [match for _, answer in outside_records.send(sender=Resident, items=items, claimed=claimed, field=field)
             for match in (answer or [])]
    if claimed:
        if (claimed, "claimed") not in found:
            raise RuleViolation(f"引き継ぐ住登外者の宛名番号 {claimed[:10]} が見つかりません。", field=field,
                                code="non_resident_not_found")
        return
    if reentry:
        return
    by_number = [number for number, basis in found if basis == "individual_number"]
    if by_number:
        raise RuleViolation(f"個人番号が住登外者（宛名番号 {by_number[0]}）と一致します。同じ方ですので、住登外者の宛名番号を"
                            "引き継いで処理してください。", field=field, code="non_resident_required")
    for number, _ in found[:1]:
        plan.alerts.append(Alert(
            f"non_resident_match:{prefix}",
            f"{items['name']} さんは住登外者（宛名番号 {number}）と氏名・性別・生年月日が一致します。同一人であれば、"
            "住登外者の宛名番号を引き継いで処理してください。", prefix))


def plan_new_members(params: dict, *, today: date, effective_on: date, effective_text: str, notified_on: date,
                     reason_code: str, household_ref: str, joining: bool, extra_items: dict,
                     plan: Plan) -> None:
    """Persons keyed in for a 転入 / 職権記載: cleaning, non-blank rules, 再転入 detection (standard-spec §3.2)."""
    members = params.get("members")
    if not isinstance(members, list) or not members:
        raise RuleViolation("異動する人を1人以上入力してください。", field="members", code="required")
    if len(members) > MAX_MEMBERS:
        raise RuleViolation(f"一度に入力できるのは{MAX_MEMBERS}人までです。", field="members")
    seen: dict[str, str] = {}
    heads = 0
    for i, member in enumerate(members):
        prefix = f"members[{i}]"
        if not isinstance(member, dict):
            raise RuleViolation("入力の形式が正しくありません。", field=prefix)
        member = dict(member)
        reentry_of = member.pop("reentry_of", None) or None
        outside_of = member.pop("non_resident_of", None) or None
        if outside_of is not None and not isinstance(outside_of, str):
            raise RuleViolation("住登外者の宛名番号は文字列で指定してください。", field=f"{prefix}.non_resident_of")
        if reentry_of and outside_of:
            raise RuleViolation("再転入と住登外者の宛名番号の引継ぎは同時に指定できません。どちらか一方にしてください。",
                                field=f"{prefix}.non_resident_of")
        items = clean_person_items(member, prefix=prefix)
        items.setdefault("resident_type", c.JAPANESE)
        items["resident_type"] = items["resident_type"] or c.JAPANESE
        if items["resident_type"] == c.FOREIGN and not items.get("foreign_resident_since"):
            items["foreign_resident_since"], items["foreign_resident_since_text"] = effective_on, effective_text
        check_birth_not_future(items, today=today, prefix=prefix)
        check_non_blank(items, prefix=prefix)
        check_born_by(items.get("birth_date"), effective_on, field=f"{prefix}.birth_date")
        plan.alerts += age_alerts(items, on=effective_on, prefix=prefix)
        heads += items["relationship"] == HEAD
        for name in ("individual_number", "resident_code", "residence_card_number"):
            if items.get(name):
                if (name, items[name]) in seen:
                    raise RuleViolation("同じ番号の人が重複して入力されています。", field=f"{prefix}.{name}")
                seen[(name, items[name])] = prefix
        items.update(extra_items)
        items.update(MOVE_OUT_RESET)
        matches = _identity_matches(items)
        living = [r for r in matches if r.status == c.RESIDENT]
        if living:
            raise RuleViolation(f"この人は既に住民として記録されています（宛名番号 {living[0].addressee_number}）。"
                                "二重に登録することはできません。", field=prefix, code="already_resident")
        if matches and reentry_of != matches[0].addressee_number:
            raise RuleViolation(f"個人番号・住民票コード・在留カード番号が除票（宛名番号 {matches[0].addressee_number}）と一致します。"
                                "再転入として、その宛名番号を引き継いで処理してください。",
                                field=f"{prefix}.reentry_of", code="reentry_required")
        if reentry_of:
            old = Resident.objects.filter(addressee_number=str(reentry_of)[:10]).first()
            if old is None or old.status != c.REMOVED:
                raise RuleViolation("再転入として指定された宛名番号の除票が見つかりません。", field=f"{prefix}.reentry_of")
        else:
            twins = Resident.objects.filter(birth_date=items.get("birth_date"), sex=items["sex"]) \
                .only("addressee_number", "name", "status")
            for twin in twins:
                if _name_key(twin.name) == _name_key(items["name"]):
                    state = "除票" if twin.status == c.REMOVED else "住民票"
                    plan.alerts.append(Alert(
                        f"three_info_match:{prefix}",
                        f"{items['name']} さんは{state}（宛名番号 {twin.addressee_number}）と氏名・性別・生年月日が一致します。"
                        "同一人であれば再転入として処理してください。", prefix))
                    break
        _check_outside(items, outside_of, prefix=prefix, plan=plan, reentry=bool(reentry_of or matches))
        plan.new_people.append(NewPerson(prefix, reason_code, items, household_ref, reentry_of=reentry_of,
                                         outside_of=outside_of))
    if not joining and heads != 1:
        raise RuleViolation("新しい世帯には世帯主を1人入力してください（続柄「世帯主」）。", field="members",
                            code="head_required")
    if joining and heads:
        raise RuleViolation("既存の世帯に加わる人を世帯主にすることはできません（世帯主変更で行ってください）。",
                            field="members")


def age_alerts(items: dict, *, on: date, prefix: str) -> list[Alert]:
    """A 生年月日 that makes the person 120 or older on the 異動日 (rules.IMPLAUSIBLE_AGE): the clerk confirms it
    against the documents (a typing error, or a 所在不明高齢者) before it is recorded."""
    birth = items.get("birth_date")
    if not is_implausibly_old(birth, on):
        return []
    name = items.get("name") or "この方"
    return [Alert(f"implausible_age:{prefix}",
                  f"{name}さんは{format_wareki(on)}に{age_on(birth, on)}歳です（生年月日 {format_wareki(birth)}）。"
                  f"{IMPLAUSIBLE_AGE}歳以上のため、生年月日を本人確認書類・戸籍で確かめてください。", f"{prefix}.birth_date")]


@planner("move_in")
def plan_move_in(params: dict, *, today: date) -> Plan:
    kind = params.get("move_in_kind", "domestic")
    if kind not in ("domestic", "abroad"):
        raise RuleViolation("転入の区分は domestic（国内転入）か abroad（国外転入等）を指定してください。",
                            field="move_in_kind")
    effective_on, text, notified_on, late = plan_dates(params, today=today, notice_after_event=True)
    ex_officio, reason = plan_ex_officio(params)
    # 転入前住所 may be blank for 国外転入等 (法第30条の46・47 届出 of foreign residents, standard-spec §3.4).
    previous = clean_address(params.get("previous_address"), prefix="previous_address", label="転入前住所",
                             required=(kind == "domestic"))
    municipality = current_municipality()
    check_move_in_from_elsewhere(previous, code=municipality.code, name=municipality.name,
                                 prefecture=municipality.prefecture)
    plan = Plan("move_in", effective_on, notified_on, text, ex_officio, reason, late_notification=late)
    reason_code = "move_in_domestic" if kind == "domestic" else "move_in_abroad"
    address, joining = plan_entry(params, plan, today=today, previous=previous, reason_code=reason_code)
    plan.summary = f"{'一部' if joining else '全部'}転入 {len(plan.new_people)}人 {address}"
    return plan


def plan_entry(params: dict, plan: Plan, *, today: date, previous: dict, reason_code: str) -> tuple[str, bool]:
    """Persons keyed in to a new household or joining an existing one, living at its address from the
    異動日 (転入 and 職権記載). Returns the address and whether they joined an existing household."""
    effective_on, text, notified_on = plan.effective_on, plan.effective_on_text, plan.notified_on
    joining_number = params.get("household_number") or None
    if joining_number:
        household, members = get_household(str(joining_number))
        address = {k: getattr(members[0], k) for k in ADDRESS_ITEMS}
        household_ref = household.household_number
        plan.households.append(household.household_number)
        plan.subjects += [m.addressee_number for m in members]
    else:
        address = clean_address(params.get("address"), prefix="address")
        household_ref = "new:1"
        plan.new_households.append(household_ref)
    extra = {
        **address, "became_resident_on": effective_on, "became_resident_on_text": text,
        "address_since": effective_on, "address_since_text": text, "notified_on": notified_on,
        "previous_address": previous["address"], "previous_address_supplement": previous["address_supplement"],
        "previous_postcode": previous["postcode"], "previous_address_code": previous["address_code"],
    }
    plan_new_members(params, today=today, effective_on=effective_on, effective_text=text, notified_on=notified_on,
                     reason_code=reason_code, household_ref=household_ref, joining=bool(joining_number),
                     extra_items=extra, plan=plan)
    plan.subjects += [p.reentry_of for p in plan.new_people if p.reentry_of]
    return address["address"], bool(joining_number)


def check_movers_settled(movers: list[Resident], effective_on: date, *, label: str) -> None:
    """Nobody leaves an address before settling there (rules.check_not_before_address_since)."""
    for m in movers:
        check_not_before_address_since(effective_on, m.address_since, whose=f"{m.name}さん", label=label)


@planner("relocation")
def plan_relocation(params: dict, *, today: date) -> Plan:
    effective_on, text, notified_on, late = plan_dates(params, today=today, notice_after_event=True)
    ex_officio, reason = plan_ex_officio(params)
    household, members = get_household(str(params.get("household_number") or ""))
    movers = pick_members(params, members)
    check_movers_settled(movers, effective_on, label="転居日")
    address = clean_address(params.get("address"), prefix="address")
    if same_address(movers[0], address):
        raise RuleViolation("新しい住所が現在の住所と同じです。転居先の住所を入力してください。", field="address.address")
    plan = Plan("relocation", effective_on, notified_on, text, ex_officio, reason, late_notification=late,
                incidental_reason="relocation")
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    items = {**address, "address_since": effective_on, "address_since_text": text, "notified_on": notified_on}
    whole = len(movers) == len(members)
    target = None
    if not whole:
        destination = params.get("destination_household_number") or None
        if destination:
            other, others = get_household(str(destination), field="destination_household_number")
            if other.pk == household.pk:
                raise RuleViolation("転居先の世帯が元の世帯と同じです。", field="destination_household_number")
            if not same_address(others[0], address):
                raise RuleViolation("転居先の世帯の住所と、入力した住所が一致しません。", field="address.address")
            rels = relationships_for(params, movers, need_head=False, forbid_head=True)
            target = other.household_number
            plan.households.append(target)
            plan.subjects += [m.addressee_number for m in others]
        else:
            rels = relationships_for(params, movers, need_head=True)
            target = "new:1"
            plan.new_households.append(target)
        plan.updates += plan_remaining_head(params, members, movers, today=today)
        for m in movers:
            plan.updates.append(PersonUpdate(m.addressee_number, "relocation",
                                             {**items, "relationship": rels[m.addressee_number]}, household=target))
    else:
        for m in movers:
            plan.updates.append(PersonUpdate(m.addressee_number, "relocation", dict(items)))
    plan.summary = f"{'全部' if whole else '一部'}転居 {len(movers)}人 → {address['address']}{address['address_supplement']}"
    return plan


@planner("move_out")
def plan_move_out(params: dict, *, today: date) -> Plan:
    kind = params.get("move_out_kind", "domestic")
    if kind not in ("domestic", "abroad"):
        raise RuleViolation("転出の区分は domestic（国内転出）か abroad（国外転出）を指定してください。",
                            field="move_out_kind")
    effective_on, text, notified_on, late = plan_dates(params, today=today, future_allowed=True, label="転出予定日")
    ex_officio, reason = plan_ex_officio(params)
    if late and not ex_officio:
        raise RuleViolation("転出日から14日を超えて届け出られた転出は、職権で記録してください（職権と理由を指定）。",
                            field="ex_officio", code="ex_officio_required")
    household, members = get_household(str(params.get("household_number") or ""))
    movers = pick_members(params, members)
    check_movers_settled(movers, effective_on, label="転出予定日")
    destination = clean_address(params.get("destination"), prefix="destination", label="転出先住所")
    plan = Plan("move_out", effective_on, notified_on, text, ex_officio, reason, late_notification=late,
                incidental_reason="head_change")
    if is_early_move_out_notice(effective_on, notified_on):
        plan.alerts.append(Alert("early_move_out_notice",
                                 f"転出予定日（{format_wareki(effective_on)}）が届出日（{format_wareki(notified_on)}）から"
                                 f"{EARLY_MOVE_OUT_DAYS}日を超えて先です。転出予定日を確認してください。", "effective_on"))
    plan.subjects = [m.addressee_number for m in members]
    plan.households = [household.household_number]
    plan.updates += plan_remaining_head(params, members, movers, today=today)
    reason_code = "move_out_domestic" if kind == "domestic" else "move_out_abroad"
    for m in movers:
        plan.updates.append(PersonUpdate(m.addressee_number, reason_code, {
            "status": c.REMOVED, "removal_reason": reason_code, "removed_on": effective_on, "removed_on_text": "",
            "planned_move_out_on": effective_on, "notified_on": notified_on,
            "destination": destination["address"], "destination_supplement": destination["address_supplement"],
            "destination_postcode": destination["postcode"], "destination_address_code": destination["address_code"],
        }))
    whole = "全部" if len(movers) == len(members) else "一部"
    plan.summary = f"{whole}転出 {len(movers)}人 → {destination['address']}"
    return plan


@planner("move_in_notice")
def plan_move_in_notice(params: dict, *, today: date) -> Plan:
    """転入通知の受理: record the confirmed destination without overwriting the 予定 values (standard-spec §3.2)."""
    from jumin.register.item_rules import clean_date

    person = get_resident(str(params.get("addressee_number") or ""), living=False)
    if person.status != c.REMOVED or person.removal_reason != "move_out_domestic":
        raise RuleViolation("転入通知を受理できるのは国内転出した方の除票だけです。", field="addressee_number",
                            code="not_moved_out")
    notice_on, _ = clean_date(params.get("notice_on"), name="notice_on", label="転入通知年月日", allow_uncertain=False)
    moved_out_on, _ = clean_date(params.get("moved_out_on"), name="moved_out_on", label="転出年月日（確定）",
                                 allow_uncertain=False)
    if notice_on is None:
        raise RuleViolation("転入通知年月日を入力してください。", field="notice_on", code="required")
    if moved_out_on is None:
        raise RuleViolation("転出年月日（確定）を入力してください。", field="moved_out_on", code="required")
    if notice_on > today:
        raise RuleViolation("転入通知年月日に未来の日付は指定できません。", field="notice_on")
    if moved_out_on > today:
        raise RuleViolation("転出年月日（確定）に未来の日付は指定できません。", field="moved_out_on")
    confirmed = clean_address(params.get("destination_confirmed"), prefix="destination_confirmed",
                              label="転出先住所（確定）")
    plan = Plan("move_in_notice", notice_on, notice_on, incidental_reason="move_in_notice")
    plan.subjects = [person.addressee_number]
    plan.updates.append(PersonUpdate(person.addressee_number, "move_in_notice", {
        "move_in_notice_on": notice_on, "moved_out_on": moved_out_on,
        "destination_confirmed": confirmed["address"], "destination_confirmed_supplement": confirmed["address_supplement"],
        "destination_confirmed_postcode": confirmed["postcode"],
        "destination_confirmed_address_code": confirmed["address_code"],
    }))
    plan.summary = f"転入通知の受理 {person.name} → {confirmed['address']}"
    return plan


def do_move_in(params: dict, *, actor: Actor) -> Change:
    """転入 (国内/国外), whole family in one go, into a new household or an existing one."""
    return submit("move_in", params, actor=actor)


def do_relocate(params: dict, *, actor: Actor) -> Change:
    """転居: the whole household, or some members into a new or another household."""
    return submit("relocation", params, actor=actor)


def do_move_out(params: dict, *, actor: Actor) -> Change:
    """転出 (国内/国外); the 転出予定日 may be after the 届出日."""
    return submit("move_out", params, actor=actor)


def do_record_move_in_notice(params: dict, *, actor: Actor) -> Change:
    """転入通知の受理 on the 除票 of a person who moved out."""
    return submit("move_in_notice", params, actor=actor)
