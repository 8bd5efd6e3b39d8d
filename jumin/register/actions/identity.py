"""旧氏・通称, 個人番号, 住民票コード, 帰化・国籍取得 and 国籍喪失 (standard-spec §2.7, §3.4).

Each kind works on one person. 帰化 and 国籍喪失 keep the 宛名番号 and write two snapshots in one change:
first the 消除 of the old record (PersonUpdate.pre_items), then the new record (standard-spec §3.4).
"""

from datetime import date

from jumin.audit.actions import Actor
from jumin.core import check_digits
from jumin.core.errors import RuleViolation
from jumin.core.models import current_municipality
from jumin.register import choices as c
from jumin.register.actions.base import Plan, PersonUpdate, get_resident, plan_dates, plan_ex_officio, planner, submit
from jumin.register.item_rules import check_non_blank, clean_person_items
from jumin.register.models import ITEM_FIELDS, Change, Resident

__all__ = [
    "do_record_former_surname", "do_record_alias", "do_set_individual_number", "do_set_resident_code",
    "do_naturalize", "do_record_nationality_loss",
]

# Foreign-resident items (法第30条の45, standard-spec §2.2): cleared when the person becomes Japanese.
FOREIGN_RESET = {
    "nationality": "", "foreign_resident_since": None, "foreign_resident_since_text": "",
    "former_alien_registration_on": None, "former_alien_registration_on_text": "", "article_30_45": "",
    "residence_status": "", "period_of_stay": "", "period_expires_on": None, "residence_card_number": "",
    "special_permanent_certificate_number": "", "landing_period": "", "provisional_stay_period": "",
    "transitional_reason": "", "name_alphabet": "", "alias": "", "alias_kana": "", "alias_kana_confirmed": False,
    "alias_recorded_on": None, "alias_recorded_municipality": "", "alias_deleted_on": None,
    "alias_deleted_municipality": "", "name_priority": "name",
}
# Japanese-resident items (standard-spec §2.1): cleared when the person loses Japanese nationality
# (a foreign resident is never on the 選挙人名簿).
JAPANESE_RESET = {
    "domicile_status": "", "domicile": "", "domicile_head": "", "former_surname": "", "former_surname_kana": "",
    "former_surname_kana_confirmed": False, "electoral_roll": False,
}
REMOVAL_RESET = {"removal_reason": "", "removed_on": None, "removed_on_text": ""}

NATURALIZATION_ITEMS = {"name", "name_kana", "name_kana_confirmed", "domicile_status", "domicile", "domicile_head"}
NATIONALITY_LOSS_ITEMS = {
    "name", "name_kana", "name_kana_confirmed", "name_alphabet", "nationality", "article_30_45",
    "transitional_reason", "residence_status", "period_of_stay", "period_expires_on", "residence_card_number",
    "special_permanent_certificate_number", "landing_period", "provisional_stay_period",
}


# ---------------------------------------------------------------- shared

def _action(params: dict, allowed: dict[str, str]) -> str:
    action = params.get("action")
    if action not in allowed:
        choices = "、".join(f"{k}（{v}）" for k, v in allowed.items())
        raise RuleViolation(f"処理の区分は次のいずれかを指定してください: {choices}", field="action",
                            code="required" if not action else "invalid")
    return action


def _person(params: dict, *, living: bool = True) -> Resident:
    number = params.get("addressee_number")
    if not isinstance(number, str) or not number:
        raise RuleViolation("対象の方の宛名番号を入力してください。", field="addressee_number", code="required")
    return get_resident(number[:10], living=living)


def _one_person_plan(kind: str, params: dict, resident: Resident, *, today: date) -> Plan:
    effective_on, text, notified_on, _late = plan_dates(params, today=today)
    ex_officio, reason = plan_ex_officio(params)
    plan = Plan(kind, effective_on, notified_on, text, ex_officio, reason, incidental_reason="ex_officio_correction")
    plan.subjects = [resident.addressee_number]
    return plan


def _household_subjects(plan: Plan, resident: Resident) -> None:
    """A change of the 氏名 of a 世帯主 changes every member's 世帯主の氏名: lock the whole household."""
    members = Resident.objects.select_for_update().filter(household_id=resident.household_id, status=c.RESIDENT) \
        .values_list("addressee_number", flat=True)
    plan.subjects = list(dict.fromkeys([resident.addressee_number, *members]))
    plan.households = [resident.household_number]


def _status_change_reason(params: dict, default: str) -> str:
    """帰化・国籍喪失 are recorded by 職権 on the 戸籍 notice; the clerk's reason is optional here."""
    reason = params.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise RuleViolation("理由は文字列で入力してください。", field="reason")
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise RuleViolation("理由は500文字以内で入力してください。", field="reason")
    return reason or default


# ---------------------------------------------------------------- 旧氏

@planner("former_surname")
def plan_former_surname(params: dict, *, today: date) -> Plan:
    """旧氏の記載・変更・削除 on 請求 (standard-spec §2.7); 日本人住民 only."""
    action = _action(params, {"entry": "旧氏の記載", "change": "旧氏の変更", "deletion": "旧氏の削除"})
    resident = _person(params)
    if resident.resident_type != c.JAPANESE:
        raise RuleViolation("旧氏は日本人住民にのみ記載できます。外国人住民の方は通称の記載を申し出てください。",
                            field="addressee_number", code="foreign_resident")
    plan = _one_person_plan("former_surname", params, resident, today=today)
    current = resident.former_surname
    if action == "entry" and current:
        raise RuleViolation("この方には既に旧氏が記載されています。別の旧氏にする場合は「旧氏の変更」を選んでください。",
                            field="action", code="already_recorded")
    if action in ("change", "deletion") and not current:
        raise RuleViolation("この方には旧氏が記載されていません。記載する場合は「旧氏の記載」を選んでください。",
                            field="action", code="not_recorded")
    if action == "deletion":
        items = {"former_surname": "", "former_surname_kana": "", "former_surname_kana_confirmed": False}
    else:
        items = clean_person_items({k: params.get(k) for k in ("former_surname", "former_surname_kana")},
                                   only={"former_surname", "former_surname_kana"})
        if not items["former_surname"]:
            raise RuleViolation("旧氏を入力してください。", field="former_surname", code="required")
        if (items["former_surname"], items["former_surname_kana"]) == (current, resident.former_surname_kana):
            raise RuleViolation("入力された旧氏は現在の記載と同じです。", field="former_surname", code="no_change")
        keep_flag = bool(current) and items["former_surname_kana"] == resident.former_surname_kana
        items["former_surname_kana_confirmed"] = resident.former_surname_kana_confirmed if keep_flag else False
    reason_code = f"former_surname_{action}"
    plan.updates.append(PersonUpdate(resident.addressee_number, reason_code, items))
    plan.summary = f"{c.REASON_BY_CODE[reason_code].label} {resident.name}"
    return plan


# ---------------------------------------------------------------- 通称

@planner("alias")
def plan_alias(params: dict, *, today: date) -> Plan:
    """通称の記載・削除 on 申出 (standard-spec §2.2, §2.7); 外国人住民 only."""
    action = _action(params, {"entry": "通称の記載", "deletion": "通称の削除"})
    resident = _person(params)
    if resident.resident_type != c.FOREIGN:
        raise RuleViolation("通称は外国人住民にのみ記載できます。日本人住民の方は旧氏の記載を請求できます。",
                            field="addressee_number", code="japanese_resident")
    plan = _one_person_plan("alias", params, resident, today=today)
    municipality = current_municipality().name
    if action == "entry":
        if resident.alias:
            raise RuleViolation("この方には既に通称が記載されています。別の通称にする場合は、先に通称を削除してください。",
                                field="action", code="already_recorded")
        items = clean_person_items({k: params.get(k) for k in ("alias", "alias_kana")}, only={"alias", "alias_kana"})
        if not items["alias"]:
            raise RuleViolation("通称を入力してください。", field="alias", code="required")
        items.update({"alias_kana_confirmed": False, "alias_recorded_on": plan.effective_on,
                      "alias_recorded_municipality": municipality, "alias_deleted_on": None,
                      "alias_deleted_municipality": ""})
    else:
        if not resident.alias:
            raise RuleViolation("この方には通称が記載されていません。", field="action", code="not_recorded")
        # The deleted 通称 and when it was recorded stay readable in the previous snapshot.
        items = {"alias": "", "alias_kana": "", "alias_kana_confirmed": False, "alias_deleted_on": plan.effective_on,
                 "alias_deleted_municipality": municipality, "name_priority": "name"}
    reason_code = f"alias_{action}"
    plan.updates.append(PersonUpdate(resident.addressee_number, reason_code, items))
    plan.summary = f"{c.REASON_BY_CODE[reason_code].label} {resident.name}"
    return plan


# ---------------------------------------------------------------- 個人番号・住民票コード

def _plan_number(kind: str, params: dict, *, today: date, item: str, label: str, validate,
                 reasons: dict[str, tuple[str, str]]) -> Plan:
    action = _action(params, {k: v[1] for k, v in reasons.items()})
    value = validate(params.get(item), field=item)
    # A 修正 (誤記・記載漏れ) may also be made on a 除票; 記載 and 変更 only on a living record.
    resident = _person(params, living=action != "correction")
    plan = _one_person_plan(kind, params, resident, today=today)
    current = getattr(resident, item)
    if action == "entry" and current:
        raise RuleViolation(f"この方には既に{label}が記載されています。変更または修正として処理してください。",
                            field="action", code="already_recorded")
    if action == "change_request" and not current:
        raise RuleViolation(f"この方には{label}が記載されていないため、変更できません。記載として処理してください。",
                            field="action", code="not_recorded")
    if value == current:
        raise RuleViolation(f"入力された{label}は現在の記載と同じです。", field=item, code="no_change")
    if Resident.objects.filter(**{item: value}).exclude(pk=resident.pk).exists():
        raise RuleViolation(f"この{label}は別の方の住民票または除票に記載されています。番号を確かめてください。",
                            field=item, code="duplicate_number")
    reason_code, what = reasons[action]
    plan.updates.append(PersonUpdate(resident.addressee_number, reason_code, {item: value}))
    plan.summary = f"{what} {resident.name}"   # never the number itself (個人番号 is restricted)
    return plan


@planner("individual_number")
def plan_individual_number(params: dict, *, today: date) -> Plan:
    """個人番号の職権記載・変更請求・職権修正 (standard-spec §3.4, check digit §7.1)."""
    return _plan_number("individual_number", params, today=today, item="individual_number", label="個人番号",
                        validate=check_digits.validate_individual_number, reasons={
                            "entry": ("individual_number_entry", "個人番号の記載"),
                            "change_request": ("individual_number_change_request", "個人番号の変更（請求）"),
                            "correction": ("individual_number_correction", "個人番号の修正"),
                        })


@planner("resident_code")
def plan_resident_code(params: dict, *, today: date) -> Plan:
    """住民票コードの記載・変更請求・修正 (standard-spec §3.4, check digit §7.2)."""
    return _plan_number("resident_code", params, today=today, item="resident_code", label="住民票コード",
                        validate=check_digits.validate_resident_code, reasons={
                            "entry": ("resident_code_entry", "住民票コードの記載"),
                            "change_request": ("resident_code_change_request", "住民票コードの変更（請求）"),
                            "correction": ("clerical_correction", "住民票コードの修正"),
                        })


# ---------------------------------------------------------------- 帰化・国籍取得 / 国籍喪失

def _new_items(params: dict, allowed: set[str]) -> dict:
    raw = params.get("items")
    if not isinstance(raw, dict) or not raw:
        raise RuleViolation("新しい住民票の項目（items）を入力してください。", field="items", code="required")
    return clean_person_items(raw, prefix="items", only=allowed)


@planner("naturalization")
def plan_naturalization(params: dict, *, today: date) -> Plan:
    """帰化・国籍取得: the foreign record is removed (職権消除（帰化等）) and a Japanese record written
    (職権記載（帰化等）) under the same 宛名番号 (standard-spec §3.4)."""
    resident = _person(params)
    if resident.resident_type != c.FOREIGN:
        raise RuleViolation("帰化・国籍取得は外国人住民の方にのみ記録できます。", field="addressee_number",
                            code="japanese_resident")
    effective_on, text, notified_on, _late = plan_dates(params, today=today, label="帰化・国籍取得の日")
    reason = _status_change_reason(params, "帰化・国籍取得による職権記載・職権消除")
    items = _new_items(params, NATURALIZATION_ITEMS)
    if not items.get("name"):
        raise RuleViolation("帰化・国籍取得後の氏名を入力してください。", field="items.name", code="required")
    new = {**FOREIGN_RESET, **REMOVAL_RESET, **items, "resident_type": c.JAPANESE, "status": c.RESIDENT}
    if resident.foreign_resident_since is not None or resident.foreign_resident_since_text:
        new["became_resident_on"] = resident.foreign_resident_since
        new["became_resident_on_text"] = resident.foreign_resident_since_text
    merged = {name: getattr(resident, name) for name in ITEM_FIELDS} | new
    check_non_blank(merged, prefix="items")
    plan = Plan("naturalization", effective_on, notified_on, text, True, reason,
                incidental_reason="ex_officio_correction")
    _household_subjects(plan, resident)
    plan.updates.append(PersonUpdate(
        resident.addressee_number, "naturalization_entry", new,
        pre_items={"status": c.REMOVED, "removal_reason": "naturalization_removal", "removed_on": effective_on,
                   "removed_on_text": text},
        pre_reason="naturalization_removal"))
    plan.summary = f"帰化・国籍取得 {resident.name} → {items['name']}"
    return plan


@planner("nationality_loss")
def plan_nationality_loss(params: dict, *, today: date) -> Plan:
    """国籍喪失: the Japanese record is removed (職権消除（国籍喪失）) and a foreign record written
    (職権記載（国籍喪失）); 外国人住民となった年月日 = the later of the loss date and 住民となった年月日
    (standard-spec §3.4)."""
    resident = _person(params)
    if resident.resident_type != c.JAPANESE:
        raise RuleViolation("国籍喪失は日本人住民の方にのみ記録できます。", field="addressee_number",
                            code="foreign_resident")
    effective_on, text, notified_on, _late = plan_dates(params, today=today, label="国籍喪失の日")
    reason = _status_change_reason(params, "国籍喪失による職権記載・職権消除")
    items = _new_items(params, NATIONALITY_LOSS_ITEMS)
    if not items.get("article_30_45"):
        items["article_30_45"] = c.TRANSITIONAL
    if items["article_30_45"] == c.TRANSITIONAL and not items.get("transitional_reason"):
        items["transitional_reason"] = "nationality_loss"
    if items.get("name") == "":
        raise RuleViolation("氏名を入力してください。", field="items.name", code="required")
    if resident.became_resident_on is not None and resident.became_resident_on > effective_on:
        since, since_text = resident.became_resident_on, resident.became_resident_on_text
    else:
        since, since_text = effective_on, text
    new = {**JAPANESE_RESET, **REMOVAL_RESET, **items, "resident_type": c.FOREIGN, "status": c.RESIDENT,
           "foreign_resident_since": since, "foreign_resident_since_text": since_text}
    merged = {name: getattr(resident, name) for name in ITEM_FIELDS} | new
    check_non_blank(merged, prefix="items")
    card = new.get("residence_card_number")
    if card and Resident.objects.filter(residence_card_number=card).exclude(pk=resident.pk).exists():
        raise RuleViolation("この在留カードの番号は別の方の住民票または除票に記載されています。番号を確かめてください。",
                            field="items.residence_card_number", code="duplicate_number")
    plan = Plan("nationality_loss", effective_on, notified_on, text, True, reason,
                incidental_reason="ex_officio_correction")
    _household_subjects(plan, resident)
    plan.updates.append(PersonUpdate(
        resident.addressee_number, "nationality_loss_entry", new,
        pre_items={"status": c.REMOVED, "removal_reason": "nationality_loss_removal", "removed_on": effective_on,
                   "removed_on_text": text},
        pre_reason="nationality_loss_removal"))
    plan.summary = f"国籍喪失 {resident.name}（{new['nationality']}）"
    return plan


# ---------------------------------------------------------------- actions

def do_record_former_surname(params: dict, *, actor: Actor) -> Change:
    """旧氏の記載・変更・削除 (`action` entry|change|deletion; `former_surname`, `former_surname_kana`)."""
    return submit("former_surname", params, actor=actor)


def do_record_alias(params: dict, *, actor: Actor) -> Change:
    """通称の記載・削除 (`action` entry|deletion; `alias`, `alias_kana`), foreign residents only."""
    return submit("alias", params, actor=actor)


def do_set_individual_number(params: dict, *, actor: Actor) -> Change:
    """個人番号 (`action` entry|change_request|correction; `individual_number`)."""
    return submit("individual_number", params, actor=actor)


def do_set_resident_code(params: dict, *, actor: Actor) -> Change:
    """住民票コード (`action` entry|change_request|correction; `resident_code`)."""
    return submit("resident_code", params, actor=actor)


def do_naturalize(params: dict, *, actor: Actor) -> Change:
    """帰化・国籍取得 of a living foreign resident; `items` gives the Japanese items (name, domicile …)."""
    return submit("naturalization", params, actor=actor)


def do_record_nationality_loss(params: dict, *, actor: Actor) -> Change:
    """国籍喪失 of a living Japanese resident; `items` gives nationality, article_30_45, name_alphabet …"""
    return submit("nationality_loss", params, actor=actor)
