"""Pure rules of 住登外者宛名番号管理 (共通機能 §2.3): the kinds and states of a 住登外者, the 事由 of each change, and
the cleaning of what a clerk or another system sends — 基本4情報 required, dates and names refused exactly as the
register refuses them (jumin.register.item_rules), a domestic address or one abroad, 業務ID from the one list.

No Django, no I/O. Every refusal names the field it is about, in Japanese.
"""

from __future__ import annotations

from datetime import date

from jumin.core import businesses, text
from jumin.core.errors import RuleViolation
from jumin.register import item_rules

# 住登外者種別 (the consumer schema's 1-character 種別, common-functions.md §2.2; the values are jumin's decision,
# recorded in docs/addressees.md).
FORMER_RESIDENT, TAXPAYER, INSURED, ABROAD, OTHER = "former", "taxpayer", "insured", "abroad", "other"
KIND_CHOICES = [
    (FORMER_RESIDENT, "元住民（転出・死亡等の除票者）"),
    (TAXPAYER, "住所地外の納税義務者（土地・家屋の所有者等）"),
    (INSURED, "住所地特例等の被保険者・受給者"),
    (ABROAD, "国外居住者"),
    (OTHER, "その他（住所地外接種者等）"),
]

# 住登外者状態
IN_USE, MERGED, RETIRED, BECAME_RESIDENT = "in_use", "merged", "retired", "resident"
STATE_CHOICES = [
    (IN_USE, "使用中"),
    (MERGED, "名寄せ済（名寄せ先の宛名番号を使用）"),
    (RETIRED, "使用停止"),
    (BECAME_RESIDENT, "住民となった（住民記録の宛名番号として使用）"),
]

DOMESTIC, OVERSEAS = "domestic", "abroad"
ADDRESS_KIND_CHOICES = [(DOMESTIC, "国内"), (OVERSEAS, "国外")]

# 事由 of a snapshot
REGISTERED, REGISTERED_EX_OFFICIO, CHANGED, RETIRED_REASON = "registered", "registered_ex_officio", "changed", "retired"
BECAME_RESIDENT_REASON = "became_resident"
MIGRATED = "migrated"
MERGED_REASON, UNMERGED_REASON = "merged", "unmerged"
REASON_CHOICES = [
    (REGISTERED, "登録（届出・申請による）"),
    (REGISTERED_EX_OFFICIO, "職権登録"),
    (CHANGED, "基本4情報等の変更"),
    (RETIRED_REASON, "使用停止"),
    (BECAME_RESIDENT_REASON, "住民となった（転入・出生・職権記載。宛名番号を引き継ぐ）"),
    (MIGRATED, "移行（既存システムの宛名番号のまま）"),
    (MERGED_REASON, "名寄せ（名寄せ先の宛名番号を使用）"),
    (UNMERGED_REASON, "名寄せの解除"),
]

# 名寄せの提案
PROPOSED, APPROVED, REJECTED, UNDONE = "proposed", "approved", "rejected", "undone"
MERGE_STATUS_CHOICES = [(PROPOSED, "提案中（審査待ち）"), (APPROVED, "名寄せ済"), (REJECTED, "却下"),
                        (UNDONE, "解除済")]
NON_RESIDENT, RESIDENT = "non_resident", "resident"
TARGET_CHOICES = [(NON_RESIDENT, "住登外者"), (RESIDENT, "住民記録（住民・除票）")]
REASONS = dict(REASON_CHOICES)

NAME_LIMIT = 200
CONTACT_LIMIT = 100

# The items a caller may send (register / change). Everything else is refused by name.
PERSON_ITEMS = {"name", "name_kana", "name_alphabet", "alias", "alias_kana", "birth_date", "sex",
                "individual_number"}
OWN_ITEMS = {"kind", "address", "referring_businesses", "other_business_hidden", "contact", "notified_on"}
ADDRESS_ITEMS = {"kind", "postcode", "municipality_code", "town_code", "address", "address_supplement",
                 "country_code", "country_name", "foreign_address"}


def _choice(value, choices, *, field: str, label: str) -> str:
    if not isinstance(value, str) or value not in dict(choices):
        allowed = "、".join(f"{k}（{v}）" for k, v in choices)
        raise RuleViolation(f"{label}は次のいずれかを指定してください: {allowed}", field=field, code="invalid_choice")
    return value


def _digits(value, *, field: str, label: str, length: int) -> str:
    raw = value.strip() if isinstance(value, str) else ""
    if value not in (None, "") and (len(raw) != length or not raw.isdigit()):
        raise RuleViolation(f"{label}は{length}桁の数字で入力してください。", field=field)
    return raw


def clean_address(data) -> dict:
    """住所: 国内 (市区町村コード, 町字コード, 住所, 方書, 郵便番号) or 国外 (国名コード, 国名等, 国外住所)."""
    if not isinstance(data, dict):
        raise RuleViolation("住所を入力してください。", field="address", code="required")
    unknown = sorted(set(data) - ADDRESS_ITEMS)
    if unknown:
        raise RuleViolation(f"住所の項目「{unknown[0]}」はありません。", field=f"address.{unknown[0]}",
                            code="unknown_field")
    kind = _choice(data.get("kind", DOMESTIC), ADDRESS_KIND_CHOICES, field="address.kind", label="住所の区分")
    out = {"address_kind": kind, "postcode": "", "municipality_code": "", "town_code": "", "address": "",
           "address_supplement": "", "country_code": "", "country_name": "", "foreign_address": ""}
    if kind == DOMESTIC:
        for name in ("country_code", "country_name", "foreign_address"):
            if data.get(name):
                raise RuleViolation("国内の住所に国外の項目は入力できません。", field=f"address.{name}")
        out["address"] = text.validate_text(data.get("address"), field="address.address", label="住所",
                                            required=True, max_length=200)
        out["address_supplement"] = text.validate_text(data.get("address_supplement"),
                                                       field="address.address_supplement", label="方書",
                                                       max_length=200)
        out["postcode"] = item_rules.clean_postcode(data.get("postcode"), "address.postcode")
        out["municipality_code"] = _digits(data.get("municipality_code"), field="address.municipality_code",
                                           label="市区町村コード", length=6)
        out["town_code"] = _digits(data.get("town_code"), field="address.town_code", label="町字コード", length=7)
        return out
    for name in ("municipality_code", "town_code", "postcode", "address", "address_supplement"):
        if data.get(name):
            raise RuleViolation("国外の住所に国内の項目は入力できません。", field=f"address.{name}")
    out["country_code"] = _digits(data.get("country_code"), field="address.country_code", label="国名コード",
                                  length=3)
    out["country_name"] = text.validate_text(data.get("country_name"), field="address.country_name",
                                             label="国名等", required=True, max_length=200)
    out["foreign_address"] = text.validate_text(data.get("foreign_address"), field="address.foreign_address",
                                                label="国外住所", required=True, max_length=300)
    return out


def clean_referring(value, registering: str) -> list[str]:
    """参照業務: the 業務ID that may refer to the person besides the one that registered it (in code order)."""
    if value in (None, ""):
        return [registering]
    if not isinstance(value, list) or len(value) > len(businesses.BUSINESSES):
        raise RuleViolation("参照業務は業務IDの一覧で指定してください。", field="referring_businesses")
    codes = {businesses.validate_business(v, field=f"referring_businesses[{i}]", label="参照業務")
             for i, v in enumerate(value)}
    return sorted(codes | {registering})


def clean_items(data, *, registering: str, today: date, partial: bool = False) -> dict:
    """What a registration (or, `partial`, a change) sends → the record's items. Unknown keys are refused; a
    registration needs the 基本4情報 (氏名, 生年月日 or its 不詳 form, 性別, 住所) and a 住登外者種別."""
    if not isinstance(data, dict):
        raise RuleViolation("入力の形式が正しくありません。", code="invalid")
    unknown = sorted(set(data) - PERSON_ITEMS - OWN_ITEMS)
    if unknown:
        raise RuleViolation(f"項目「{str(unknown[0])[:40]}」は住登外者の項目ではありません。", field=str(unknown[0])[:40],
                            code="unknown_field")
    out = item_rules.clean_person_items({k: v for k, v in data.items() if k in PERSON_ITEMS},
                                        only=PERSON_ITEMS)
    item_rules.check_birth_not_future(out, today=today)
    if "kind" in data or not partial:
        out["kind"] = _choice(data.get("kind"), KIND_CHOICES, field="kind", label="住登外者種別")
    if "address" in data or not partial:
        out.update(clean_address(data.get("address")))
    if "referring_businesses" in data or not partial:
        out["referring_businesses"] = clean_referring(data.get("referring_businesses"), registering)
    if "other_business_hidden" in data:
        if not isinstance(data["other_business_hidden"], bool):
            raise RuleViolation("他業務参照不可は true / false で指定してください。", field="other_business_hidden")
        out["other_business_hidden"] = data["other_business_hidden"]
    if "contact" in data:
        out["contact"] = text.validate_text(data.get("contact"), field="contact", label="連絡先",
                                            max_length=CONTACT_LIMIT)
    if "notified_on" in data:
        notified, _ = item_rules.clean_date(data.get("notified_on"), name="notified_on", label="届出年月日",
                                            allow_uncertain=False)
        if notified is not None and notified > today:
            raise RuleViolation("届出年月日に未来の日付は指定できません。", field="notified_on")
        out["notified_on"] = notified
    if not partial:
        check_complete(out)
    return out


def check_complete(items: dict) -> None:
    """A record in use always has its 基本4情報: 氏名, 生年月日 (or its 不詳 form), 性別 and 住所 (at home: 住所;
    abroad: 国名等 and 国外住所) — after a registration and after every change."""
    for name, label in (("name", "氏名"), ("sex", "性別")):
        if not items.get(name):
            raise RuleViolation(f"{label}を入力してください（基本4情報）。", field=name, code="required")
    if items.get("birth_date") is None and not items.get("birth_date_text"):
        raise RuleViolation("生年月日を入力してください（基本4情報。不詳のときは不詳の表記で）。", field="birth_date",
                            code="required")
    if items.get("address_kind") == OVERSEAS:
        if not (items.get("country_name") and items.get("foreign_address")):
            raise RuleViolation("国外の住所は国名等と国外住所を入力してください（基本4情報）。", field="address",
                                code="required")
    elif not items.get("address"):
        raise RuleViolation("住所を入力してください（基本4情報）。", field="address", code="required")


def basic_four(items: dict) -> tuple:
    """The 基本4情報 of a record as compared for sameness: 氏名 without 異体字セレクタ, 生年月日 (or its 不詳 text),
    性別, 住所 (国内 or 国外)."""
    name = text.strip_variation_selectors(items.get("name") or "")
    birth = items.get("birth_date") or items.get("birth_date_text") or ""
    place = items.get("address") or items.get("foreign_address") or ""
    return name, str(birth), items.get("sex") or "", place


def check_may_change(state: str, *, number: str) -> None:
    """Only a record in use is changed or retired: a merged or retired number is history."""
    if state != IN_USE:
        label = dict(STATE_CHOICES).get(state, state)
        raise RuleViolation(f"宛名番号 {number} の住登外者は「{label}」のため、変更・使用停止できません。",
                            field="addressee_number", code="not_in_use")


def import_collisions(rows: list[tuple[int, str]], *, residents: dict[str, str], held: set[str]) -> list[dict]:
    """共通機能 §2.3.5: a migrated 宛名番号 is kept as it is (no renumbering), so before anything is loaded every
    collision must be resolved — with a resident's or a 除票's number (`residents`: number → 氏名), with a 住登外者
    already held (`held`), or within the file. `rows`: (line, 宛名番号). One report line per collision, in line order."""
    first: dict[str, int] = {}
    report = []
    for line, number in rows:
        if number in residents:
            report.append({"line": line, "addressee_number": number, "code": "resident",
                           "message": f"宛名番号 {number} は住民記録の方（{residents[number]}）の宛名番号と重複します。"})
        elif number in held:
            report.append({"line": line, "addressee_number": number, "code": "held",
                           "message": f"宛名番号 {number} はすでに住登外者として登録されています。"})
        elif number in first:
            report.append({"line": line, "addressee_number": number, "code": "in_file",
                           "message": f"宛名番号 {number} はファイルの {first[number]} 行目と重複します。"})
        first.setdefault(number, line)
    return report


def check_merge(source: dict | None, target: dict | None, *, source_number: str, target_number: str,
                target_is_resident: bool) -> None:
    """名寄せ: a 住登外 record (`source`) is merged into another 住登外 record or into a resident's or 除票's (`target`),
    whose 宛名番号 survives. Refused: the same number twice, a source that is not a 住登外者 (two residents are the
    register's business), a record missing, already merged or not in use, and two different 個人番号."""
    if source_number == target_number:
        raise RuleViolation("同じ宛名番号どうしは名寄せできません。", field="target", code="same_record")
    if source is None:
        raise RuleViolation(f"宛名番号 {source_number} は住登外者ではありません（住民どうしの名寄せは住民記録の異動で"
                            "行います）。", field="source", code="not_a_non_resident")
    if target is None:
        raise RuleViolation(f"名寄せ先の宛名番号 {target_number} は見つかりません。", field="target", code="not_found")
    for record, field, label in ((source, "source", "名寄せ元"), (target, "target", "名寄せ先")):
        state = record.get("state")
        if state == MERGED:
            raise RuleViolation(f"{label}の宛名番号 {record['addressee_number']} はすでに名寄せ済です。", field=field,
                                code="already_merged")
        if not target_is_resident or field == "source":
            if state != IN_USE:
                label_state = dict(STATE_CHOICES).get(state, state)
                raise RuleViolation(f"{label}の宛名番号 {record['addressee_number']} は「{label_state}」のため名寄せ"
                                    "できません。", field=field, code="not_in_use")
    a, b = source.get("individual_number"), target.get("individual_number")
    if a and b and a != b:
        raise RuleViolation("個人番号が異なるため、同じ方として名寄せできません。", field="target",
                            code="individual_number_differs")
