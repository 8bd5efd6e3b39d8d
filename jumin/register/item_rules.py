"""Pure rules for the items of one 住民票: cleaning what the clerk typed, and the non-blank rules.

No Django, no I/O. Used by every change kind so that a name, a date or a number is refused the same
way wherever it is entered. Field names in refusals are paths into the request ("members[0].name").
"""

from datetime import date

from jumin.core import check_digits, text, wareki
from jumin.core.errors import RuleViolation
from jumin.register import choices as c
from jumin.register.rules import validate_relationship

# Dates that may be non-calendar or 不詳日 (standard-spec §2.4)
UNCERTAIN_DATE_ITEMS = {"birth_date", "became_resident_on", "address_since", "foreign_resident_since",
                        "former_alien_registration_on", "removed_on"}

DATE_LABELS = {
    "birth_date": "生年月日",
    "became_resident_on": "住民となった年月日",
    "address_since": "住所を定めた年月日",
    "foreign_resident_since": "外国人住民となった年月日",
    "former_alien_registration_on": "旧外登法による登録年月日",
    "period_expires_on": "在留期間の満了の日",
    "alias_recorded_on": "通称を記載した年月日",
    "removed_on": "消除事由の生じた年月日",
}

NAME_ITEMS = {"name": "氏名", "former_surname": "旧氏", "alias": "通称", "domicile_head": "筆頭者"}
KANA_ITEMS = {"name_kana": "氏名フリガナ", "former_surname_kana": "旧氏フリガナ", "alias_kana": "通称フリガナ"}
TEXT_ITEMS = {
    "name_alphabet": ("氏名（アルファベット）", 200), "domicile": ("本籍", 200), "nationality": ("国籍・地域", 60),
    "residence_status": ("在留資格", 60), "period_of_stay": ("在留期間", 30), "landing_period": ("上陸期間", 30),
    "provisional_stay_period": ("仮滞在期間", 30), "basic_pension_number": ("基礎年金番号", 10),
}
FLAG_ITEMS = {"name_kana_confirmed", "former_surname_kana_confirmed", "alias_kana_confirmed", "electoral_roll",
              "nhi_member", "late_elderly_member", "long_term_care_member", "pension_member", "adult_ward"}
CHOICE_ITEMS = {
    "sex": ("性別", c.SEX_CHOICES),
    "resident_type": ("住民種別", c.RESIDENT_TYPE_CHOICES),
    "domicile_status": ("本籍の記載区分", c.DOMICILE_STATUS_CHOICES),
    "article_30_45": ("法第30条の45に規定する区分", c.ARTICLE_30_45_CHOICES),
    "transitional_reason": ("経過滞在者の事由", c.TRANSITIONAL_REASON_CHOICES),
    "name_priority": ("氏名優先区分", c.NAME_PRIORITY_CHOICES),
}
ADDRESS_LABELS = {"address": "住所", "address_supplement": "方書"}

# 在留資格 without a 在留期間 (no expiry date to record): 永住者 and 高度専門職２号.
INDEFINITE_STATUSES = {"永住者", "高度専門職２号", "高度専門職2号"}

# Items a clerk may set on a person through the change kinds (not status, numbers or history keys).
PERSON_ITEMS = (set(DATE_LABELS) | set(NAME_ITEMS) | set(KANA_ITEMS) | set(TEXT_ITEMS) | FLAG_ITEMS
                | set(CHOICE_ITEMS) | {"relationship", "individual_number", "resident_code", "residence_card_number",
                                       "special_permanent_certificate_number"})


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _as_str(value, field: str, label: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RuleViolation(f"{label}の形式が正しくありません。", field=field)
    return value


def clean_date(value, *, name: str, prefix: str = "", label: str | None = None,
               allow_uncertain: bool | None = None) -> tuple[date | None, str]:
    """A date as typed (和暦 or 西暦) → (internal date, display text for 不詳日/non-calendar forms)."""
    field = _path(prefix, name)
    label = label or DATE_LABELS.get(name, name)
    if isinstance(value, date):
        return value, ""
    raw = _as_str(value, field, label).strip()
    if not raw:
        return None, ""
    if allow_uncertain is None:
        allow_uncertain = name in UNCERTAIN_DATE_ITEMS
    parsed = wareki.parse_date(raw, allow_uncertain=allow_uncertain, field=field, label=label)
    return parsed.date, parsed.text or ""


def clean_postcode(value, field: str) -> str:
    raw = _as_str(value, field, "郵便番号").strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    digits = raw.replace("-", "").replace("〒", "").strip()
    if digits and (len(digits) != 7 or not digits.isdigit()):
        raise RuleViolation("郵便番号は7桁の数字で入力してください（例: 980-8671）。", field=field)
    return digits


def clean_address_code(value, field: str) -> str:
    raw = _as_str(value, field, "住所コード").strip()
    if raw and (len(raw) != 11 or not raw.isdigit()):
        raise RuleViolation("住所コードは11桁の数字で入力してください（都道府県2＋市区町村3＋大字3＋小字3）。",
                            field=field)
    return raw


def clean_address(data: dict | None, *, prefix: str, required: bool = True, label: str = "住所") -> dict:
    """An address block: {postcode, address_code, address, address_supplement} (standard-spec §2.7)."""
    data = data or {}
    if not isinstance(data, dict):
        raise RuleViolation(f"{label}の形式が正しくありません。", field=prefix)
    address = text.validate_text(data.get("address"), field=_path(prefix, "address"), label=label,
                                 required=required, max_length=200)
    return {
        "address": address,
        "address_supplement": text.validate_text(data.get("address_supplement"),
                                                 field=_path(prefix, "address_supplement"),
                                                 label=f"{label}の方書", max_length=200),
        "postcode": clean_postcode(data.get("postcode"), _path(prefix, "postcode")),
        "address_code": clean_address_code(data.get("address_code"), _path(prefix, "address_code")),
    }


def clean_person_items(data: dict, *, prefix: str = "", only: set[str] | None = None) -> dict:
    """Clean the person items present in `data`. Unknown keys are refused, so a typo is never ignored."""
    if not isinstance(data, dict):
        raise RuleViolation("入力の形式が正しくありません。", field=prefix or None)
    allowed = PERSON_ITEMS if only is None else only
    out: dict = {}
    for name, value in data.items():
        field = _path(prefix, name)
        if name not in allowed:
            raise RuleViolation(f"項目「{name}」はこの異動では入力できません。", field=field, code="unknown_field")
        if name in NAME_ITEMS:
            out[name] = text.validate_name(_as_str(value, field, NAME_ITEMS[name]), field=field,
                                           label=NAME_ITEMS[name], required=(name == "name"))
        elif name in KANA_ITEMS:
            out[name] = text.validate_kana(_as_str(value, field, KANA_ITEMS[name]), field=field, label=KANA_ITEMS[name])
        elif name in TEXT_ITEMS:
            label, length = TEXT_ITEMS[name]
            out[name] = text.validate_text(_as_str(value, field, label), field=field, label=label, max_length=length)
        elif name in DATE_LABELS:
            out[name], out[name + "_text"] = clean_date(value, name=name, prefix=prefix)
            if name not in UNCERTAIN_DATE_ITEMS:
                del out[name + "_text"]
        elif name in FLAG_ITEMS:
            if not isinstance(value, bool):
                raise RuleViolation("はい・いいえで指定してください。", field=field)
            out[name] = value
        elif name in CHOICE_ITEMS:
            label, choices = CHOICE_ITEMS[name]
            value = _as_str(value, field, label)
            if value and value not in dict(choices):
                allowed_labels = "、".join(f"{k}（{v}）" for k, v in choices)
                raise RuleViolation(f"{label}は次のいずれかを指定してください: {allowed_labels}", field=field)
            out[name] = value
        elif name == "relationship":
            out[name] = validate_relationship(_as_str(value, field, "続柄"), field=field)
        elif name == "individual_number":
            value = _as_str(value, field, "個人番号")
            out[name] = check_digits.validate_individual_number(value, field=field) if value.strip() else ""
        elif name == "resident_code":
            value = _as_str(value, field, "住民票コード")
            out[name] = check_digits.validate_resident_code(value, field=field) if value.strip() else ""
        elif name == "residence_card_number":
            value = _as_str(value, field, "在留カードの番号")
            out[name] = check_digits.validate_residence_card_number(value, field=field) if value.strip() else ""
        elif name == "special_permanent_certificate_number":
            out[name] = text.validate_text(_as_str(value, field, "特別永住者証明書の番号"), field=field,
                                           label="特別永住者証明書の番号", max_length=12).upper()
    return out


def check_birth_not_future(items: dict, *, today: date, prefix: str = "") -> None:
    birth = items.get("birth_date")
    if birth is not None and birth > today:
        raise RuleViolation("生年月日に未来の日付は指定できません。", field=_path(prefix, "birth_date"))


def check_non_blank(items: dict, *, prefix: str = "") -> None:
    """Items that must not be blank on a living record (standard-spec §2.3)."""

    def need(name: str, label: str) -> None:
        if items.get(name) in (None, "") and not items.get(name + "_text"):
            raise RuleViolation(f"{label}を入力してください。", field=_path(prefix, name), code="required")

    need("name", "氏名")
    need("sex", "性別")
    need("birth_date", "生年月日")
    need("relationship", "続柄")
    resident_type = items.get("resident_type") or c.JAPANESE
    if resident_type == c.JAPANESE:
        if not items.get("domicile_status"):
            raise RuleViolation("本籍を入力してください（ない場合は「なし」、分からない場合は「不明」を選んでください）。",
                                field=_path(prefix, "domicile_status"), code="required")
        if items["domicile_status"] == c.DOMICILE_RECORDED:
            need("domicile", "本籍")
            need("domicile_head", "筆頭者")
        for foreign_only in ("article_30_45", "nationality", "alias", "residence_card_number"):
            if items.get(foreign_only):
                raise RuleViolation("日本人住民には外国人住民の項目を記載できません。",
                                    field=_path(prefix, foreign_only))
    else:
        if items.get("domicile_status") or items.get("domicile"):
            raise RuleViolation("外国人住民には本籍を記載できません。", field=_path(prefix, "domicile"))
        if items.get("former_surname"):
            raise RuleViolation("外国人住民には旧氏を記載できません（通称を使用してください）。",
                                field=_path(prefix, "former_surname"))
        need("nationality", "国籍・地域")
        need("article_30_45", "法第30条の45に規定する区分")
        category = items["article_30_45"]
        if category == c.MID_LONG_TERM:
            need("residence_status", "在留資格")
            if items.get("residence_status") not in INDEFINITE_STATUSES:
                need("period_of_stay", "在留期間")
                need("period_expires_on", "在留期間の満了の日")
            need("residence_card_number", "在留カードの番号")
        elif category == c.SPECIAL_PERMANENT:
            need("special_permanent_certificate_number", "特別永住者証明書の番号")
        elif category == c.TEMPORARY_REFUGE:
            need("landing_period", "上陸期間")
        elif category == c.PROVISIONAL_STAY:
            need("provisional_stay_period", "仮滞在期間")
        elif category == c.TRANSITIONAL:
            need("transitional_reason", "経過滞在者の事由")
