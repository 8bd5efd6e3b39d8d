"""印鑑登録 rules (standard-spec §5). Pure: no Django, no I/O.

The standard's own 印鑑登録 chapter was not found (standard-spec §5 caveat), so these follow the municipal
ordinances summarised there (印鑑条例, after the 1974 自治省 印鑑登録証明事務処理要領). Every choice the
ordinances leave open is a municipal setting (`SealSettings`) or a decision listed in docs/conformance.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jumin.core.errors import RuleViolation

# ------------------------------------------------------------------ routes (standard-spec §5.3)

IN_PERSON = "in_person"
GUARANTOR = "guarantor"
INQUIRY = "inquiry"
ROUTE_CHOICES = [(IN_PERSON, "本人確認書類（写真付き）による即日登録"), (GUARANTOR, "保証人（保証書）による即日登録"),
                 (INQUIRY, "照会書・回答書による登録")]
ROUTE_LABELS = dict(ROUTE_CHOICES)

SELF = "self"
AGENT = "agent"
APPLICANT_CHOICES = [(SELF, "本人"), (AGENT, "代理人（委任状）")]
APPLICANT_LABELS = dict(APPLICANT_CHOICES)

# Official documents with a photo that let the clerk register the same day (ordinances: 官公署発行の写真付き).
PHOTO_IDS = [("my_number_card", "個人番号カード"), ("driving_licence", "運転免許証"), ("passport", "旅券"),
             ("residence_card", "在留カード"), ("special_permanent_certificate", "特別永住者証明書"),
             ("disability_certificate", "身体障害者手帳等（写真付き）"),
             ("other_photo_id", "その他官公署発行の写真付き証明書")]
PHOTO_ID_LABELS = dict(PHOTO_IDS)
# What the bearer of a 回答書 shows besides it (ordinances: 本人確認のできる書類; no photo needed).
REPLY_IDS = PHOTO_IDS + [("health_insurance", "健康保険証等"), ("pension_book", "年金手帳等"), ("other", "その他")]
REPLY_ID_LABELS = dict(REPLY_IDS)

# ------------------------------------------------------------------ what the seal shows (standard-spec §5.2)

NAME = "name"
SURNAME = "surname"
GIVEN_NAME = "given_name"
FORMER_SURNAME = "former_surname"
FORMER_SURNAME_GIVEN = "former_surname_given"
ALIAS = "alias"
NAME_ALPHABET = "name_alphabet"
KATAKANA = "katakana"
REPRESENTS_CHOICES = [(NAME, "氏名"), (SURNAME, "氏"), (GIVEN_NAME, "名"), (FORMER_SURNAME, "旧氏"),
                      (FORMER_SURNAME_GIVEN, "旧氏と名"), (ALIAS, "通称（又はその一部）"),
                      (NAME_ALPHABET, "氏名のアルファベット表記（又はその一部）"),
                      (KATAKANA, "氏名のカタカナ表記（又はその一部）")]
REPRESENTS_LABELS = dict(REPRESENTS_CHOICES)

# The register items a seal depends on: when one of them changes, the seal no longer shows the person's name
# and the registration is abolished ex officio (standard-spec §5.5).
REPRESENTED_PARTS = {
    NAME: ("surname", "given_name"), SURNAME: ("surname",), GIVEN_NAME: ("given_name",),
    FORMER_SURNAME: ("former_surname",), FORMER_SURNAME_GIVEN: ("former_surname", "given_name"),
    ALIAS: ("alias",), NAME_ALPHABET: ("name_alphabet",), KATAKANA: ("katakana_name", "name_alphabet"),
}

# ------------------------------------------------------------------ states

ACTIVE = "active"
ABOLISHED = "abolished"
STATUS_CHOICES = [(ACTIVE, "登録中"), (ABOLISHED, "廃止")]

BY_REQUEST = "request"
LOSS = "loss"
MOVE_OUT = "move_out"
DEATH = "death"
NAME_CHANGE = "name_change"
INELIGIBLE = "ineligible"
ABOLITION_CHOICES = [(BY_REQUEST, "廃止の申請"), (LOSS, "印鑑登録証の亡失"), (MOVE_OUT, "転出（職権抹消）"),
                     (DEATH, "死亡（職権抹消）"), (NAME_CHANGE, "氏名等の変更（職権抹消）"),
                     (INELIGIBLE, "資格の喪失（職権抹消）")]
ABOLITION_LABELS = dict(ABOLITION_CHOICES)
EX_OFFICIO = (MOVE_OUT, DEATH, NAME_CHANGE, INELIGIBLE)

CARD_VALID = "valid"
CARD_LOST = "lost"
CARD_REPLACED = "replaced"
CARD_RETURNED = "returned"
CARD_VOID = "void"
CARD_STATUS_CHOICES = [(CARD_VALID, "有効"), (CARD_LOST, "亡失"), (CARD_REPLACED, "再交付により失効"),
                       (CARD_RETURNED, "返納"), (CARD_VOID, "登録廃止により失効")]
CARD_STATUS_LABELS = dict(CARD_STATUS_CHOICES)

INQUIRY_SENT = "sent"
INQUIRY_ANSWERED = "answered"
INQUIRY_LAPSED = "lapsed"     # derived: sent and past its deadline (nothing is written when it lapses)
INQUIRY_STATUS_CHOICES = [(INQUIRY_SENT, "回答待ち"), (INQUIRY_ANSWERED, "回答済み（登録）"), (INQUIRY_LAPSED, "期限切れ")]
INQUIRY_STATUS_LABELS = dict(INQUIRY_STATUS_CHOICES)

PRESENT_CARD = "card"
PRESENT_MY_NUMBER_CARD = "my_number_card"
PRESENTATION_CHOICES = [(PRESENT_CARD, "印鑑登録証"), (PRESENT_MY_NUMBER_CARD, "個人番号カード（本人のみ）")]

REISSUE_DAMAGED = "damaged"
REISSUE_LOST = "lost"
REISSUE_CHOICES = [(REISSUE_DAMAGED, "毀損・汚損（旧登録証を回収）"), (REISSUE_LOST, "亡失（亡失届の後）")]

# ------------------------------------------------------------------ eligibility (standard-spec §5.1)


def age_on(birth: date, day: date) -> int:
    """Age in completed years on `day`. Under 年齢計算ニ関スル法律 and 民法 §143 a year of age ends at the close of
    the day before the birthday, so one is 15 from the start of the 15th birthday (a person born on 29 Feb: from
    1 Mar in a common year) — which is counting completed birthdays."""
    years = day.year - birth.year
    return years if (day.month, day.day) >= (birth.month, birth.day) else years - 1


@dataclass(frozen=True)
class Person:
    """What the rules know about the applicant, from the register."""

    addressee_number: str
    name: str
    status: str                      # "resident" | "removed"
    birth_date: date | None
    adult_ward: bool = False         # 成年被後見人
    pending_change: bool = False
    resident_type: str = "japanese"


def check_eligibility(person: Person, *, today: date, min_age: int, adult_ward_allowed: bool,
                      guardian_present: bool, guardian_name: str, active_registration: str | None,
                      field: str = "addressee_number") -> None:
    """Who may register (standard-spec §5.1): a living resident of this municipality, 15 or older, with 意思能力
    (a 成年被後見人 only where the municipality allows it and with the guardian present), not yet registered."""
    if person.status != "resident":
        raise RuleViolation(f"{person.name}さんは住民ではありません（除票）。印鑑登録は住民基本台帳に記録されている方だけが"
                            "できます。", field=field, code="not_resident")
    if person.pending_change:
        raise RuleViolation(f"{person.name}さんには仮登録中の異動があります。本登録の後に手続きしてください。",
                            field=field, code="pending_change")
    if person.birth_date is None:
        raise RuleViolation(f"{person.name}さんの生年月日が不詳のため、年齢（{min_age}歳以上）を確認できません。",
                            field=field, code="age_unknown")
    age = age_on(person.birth_date, today)
    if age < min_age:
        raise RuleViolation(f"{person.name}さんは{age}歳です。{min_age}歳未満の方は印鑑登録できません。", field=field,
                            code="too_young")
    if person.adult_ward:
        if not adult_ward_allowed:
            raise RuleViolation(f"{person.name}さんは成年被後見人です。この市区町村では成年被後見人の印鑑登録は"
                                "できません。", field=field, code="adult_ward")
        if not guardian_present or not guardian_name.strip():
            raise RuleViolation("成年被後見人の方の登録には成年後見人の同行が必要です。同行を確認し、成年後見人の氏名を"
                                "入力してください。", field="guardian_name", code="guardian_required")
    if active_registration:
        raise RuleViolation(f"{person.name}さんは既に印鑑登録しています（登録番号 {active_registration}）。1人が登録できる"
                            "印鑑は1つです。登録を変えるときは、今の登録を廃止してから登録してください。", field=field,
                            code="already_registered")


# ------------------------------------------------------------------ the application


@dataclass(frozen=True)
class Application:
    route: str
    applicant: str                   # self | agent
    agent_name: str = ""
    agent_letter: bool = False       # 委任状 (代理権授与通知書) checked
    identity_document: str = ""      # photo ID for in_person
    guarantor_number: str = ""       # 保証人の印鑑登録番号
    guarantee_checked: bool = False  # the 保証書 bears the guarantor's registered seal (clerk compared)
    represents: str = ""
    katakana_name: str = ""
    seal_checked: bool = False       # material and impression inspected (no rubber, no chips, not reversed)
    guardian_present: bool = False
    guardian_name: str = ""


def check_application(app: Application) -> None:
    """Everything about the form that can be judged without the register (standard-spec §5.2, §5.3)."""
    if app.route not in ROUTE_LABELS:
        raise RuleViolation("登録の方法（本人確認書類・保証人・照会書）を選んでください。", field="route", code="required")
    if app.applicant not in APPLICANT_LABELS:
        raise RuleViolation("申請者（本人・代理人）を選んでください。", field="applicant", code="required")
    if app.applicant == AGENT:
        if app.route != INQUIRY:
            raise RuleViolation("代理人による申請は照会書・回答書の方法で受け付けます（即日登録はできません）。",
                                field="route", code="agent_needs_inquiry")
        if not app.agent_name.strip():
            raise RuleViolation("代理人の氏名を入力してください。", field="agent_name", code="required")
        if not app.agent_letter:
            raise RuleViolation("代理人の申請には委任状（代理権授与通知書）の確認が必要です。", field="agent_letter",
                                code="agent_letter_required")
    if app.route == IN_PERSON and app.identity_document not in PHOTO_ID_LABELS:
        raise RuleViolation("確認した写真付きの本人確認書類を選んでください。写真付きの書類がないときは、保証人または"
                            "照会書の方法で受け付けてください。", field="identity_document", code="required")
    if app.route == GUARANTOR:
        if not app.guarantor_number.strip():
            raise RuleViolation("保証人の印鑑登録番号を入力してください。", field="guarantor_number", code="required")
        if not app.guarantee_checked:
            raise RuleViolation("保証書の印影が保証人の登録印と一致することを確認してください。", field="guarantee_checked",
                                code="guarantee_unchecked")
    if app.represents not in REPRESENTS_LABELS:
        raise RuleViolation("印鑑に彫られている名前（氏名・氏・名・旧氏・通称 など）を選んでください。氏名以外の事項"
                            "（職業・資格など）を表した印鑑は登録できません。", field="represents", code="required")
    if app.represents == KATAKANA and not app.katakana_name.strip():
        raise RuleViolation("氏名のカタカナ表記を入力してください（原票に登録し、証明書に記載します）。",
                            field="katakana_name", code="required")
    if app.katakana_name and not _is_katakana(app.katakana_name):
        raise RuleViolation("氏名のカタカナ表記は全角カタカナで入力してください。", field="katakana_name")
    if not app.seal_checked:
        raise RuleViolation("印鑑を確認してください（ゴム印など変形しやすいもの、欠けたもの、印影が不鮮明なもの、"
                            "逆さ彫りは登録できません）。", field="seal_checked", code="seal_unchecked")


def _is_katakana(text: str) -> bool:
    return all("\u30a0" <= ch <= "\u30ff" or ch in " \u3000" for ch in text)


def check_represents(represents: str, record: dict) -> None:
    """The seal must show a name the register holds (旧氏・通称 only where recorded; alphabet and katakana names
    are for foreign residents)."""
    foreign = record.get("resident_type") == "foreign"
    if represents in (FORMER_SURNAME, FORMER_SURNAME_GIVEN) and not record.get("former_surname"):
        raise RuleViolation("住民票に旧氏が記載されていないため、旧氏の印鑑は登録できません。", field="represents",
                            code="no_former_surname")
    if represents == ALIAS and not record.get("alias"):
        raise RuleViolation("住民票に通称が記載されていないため、通称の印鑑は登録できません。", field="represents",
                            code="no_alias")
    if represents in (NAME_ALPHABET, KATAKANA) and not foreign:
        raise RuleViolation("アルファベット・カタカナ表記の印鑑は外国人住民の方だけが登録できます。", field="represents",
                            code="not_foreign")


def check_guarantor(*, guarantor_status: str | None, guarantor_number: str, guarantor_addressee: str,
                    applicant_addressee: str) -> None:
    """保証人: a person whose own seal is registered in this municipality, and not the applicant."""
    if guarantor_status is None:
        raise RuleViolation(f"印鑑登録番号 {guarantor_number} の登録はありません。保証人はこの市区町村で印鑑登録している"
                            "方に限ります。", field="guarantor_number", code="guarantor_not_found")
    if guarantor_status != ACTIVE:
        raise RuleViolation(f"印鑑登録番号 {guarantor_number} の登録は廃止されています。保証人にはなれません。",
                            field="guarantor_number", code="guarantor_abolished")
    if guarantor_addressee == applicant_addressee:
        raise RuleViolation("申請者本人は保証人になれません。", field="guarantor_number", code="guarantor_self")


# ------------------------------------------------------------------ 照会書・回答書


def reply_deadline(sent_on: date, days: int) -> date:
    """The last day a 回答書 may be brought back: the sending day plus the municipality's days (default 15)."""
    return sent_on + timedelta(days=days)


def check_reply(*, status: str, deadline: date, today: date, fmt) -> None:
    if status == INQUIRY_ANSWERED:
        raise RuleViolation("この照会書は回答済みです（登録済み）。", field="inquiry_number", code="answered")
    if today > deadline:
        raise RuleViolation(f"回答書の提出期限（{fmt(deadline)}）を過ぎています。照会は失効しました。改めて申請してください。",
                            field="inquiry_number", code="inquiry_expired")


def inquiry_status(status: str, deadline: date, today: date) -> str:
    return INQUIRY_LAPSED if status == INQUIRY_SENT and today > deadline else status


def check_reply_bearer(*, bearer: str, agent_name: str, agent_letter: bool, identity_document: str,
                       reply_checked: bool) -> None:
    if bearer not in APPLICANT_LABELS:
        raise RuleViolation("回答書を持参した方（本人・代理人）を選んでください。", field="bearer", code="required")
    if bearer == AGENT:
        if not agent_name.strip():
            raise RuleViolation("代理人の氏名を入力してください。", field="agent_name", code="required")
        if not agent_letter:
            raise RuleViolation("代理人が回答書を持参したときは委任状（回答書の委任欄）の確認が必要です。",
                                field="agent_letter", code="agent_letter_required")
    if identity_document not in REPLY_ID_LABELS:
        raise RuleViolation("回答書とあわせて確認した本人確認書類を選んでください。", field="identity_document",
                            code="required")
    if not reply_checked:
        raise RuleViolation("回答書に申請者本人の記入と申請した印鑑の押印があることを確認してください。",
                            field="reply_checked", code="reply_unchecked")


# ------------------------------------------------------------------ name changes (職権抹消, standard-spec §5.5)


def name_parts(name: str) -> tuple[str, str]:
    """(氏, 名): the register keeps one 氏名 with a space between them (half- or full-width)."""
    text = (name or "").strip().replace("\u3000", " ")
    surname, _, given = text.partition(" ")
    return surname, given.strip()


def seal_parts(record: dict) -> dict:
    """The name parts a seal can show, from a register record (+ the 原票's own カタカナ表記)."""
    surname, given = name_parts(record.get("name", ""))
    return {"surname": surname, "given_name": given, "former_surname": record.get("former_surname", ""),
            "alias": record.get("alias", ""), "name_alphabet": record.get("name_alphabet", ""),
            "katakana_name": record.get("katakana_name", "")}


def lapses_on_name_change(represents: str, before: dict, after: dict) -> list[str]:
    """The parts the seal shows that changed between two records ([] = the seal still shows the name)."""
    old, new = seal_parts(before), seal_parts(after)
    return [part for part in REPRESENTED_PARTS.get(represents, ("surname", "given_name")) if old[part] != new[part]]


def abolition_for_removal(removal_reason: str) -> str:
    if removal_reason in ("move_out_domestic", "move_out_abroad"):
        return MOVE_OUT
    if removal_reason == "death":
        return DEATH
    return INELIGIBLE


# ------------------------------------------------------------------ cards and certificates


def check_card(*, card_status: str | None, card_number: str, lost_on_text: str, registration_status: str | None,
               abolished_text: str) -> None:
    """A 印鑑登録証 presented for a certificate (standard-spec §5.4: issued on presentation of the card)."""
    if card_status is None:
        raise RuleViolation(f"印鑑登録証番号 {card_number} の登録証はありません。番号を確かめてください。",
                            field="card_number", code="card_not_found")
    if card_status == CARD_LOST:
        raise RuleViolation(f"この印鑑登録証（{card_number}）は亡失の届出がされています（{lost_on_text}）。この登録証では"
                            "証明書を交付できません。", field="card_number", code="card_lost")
    if card_status == CARD_REPLACED:
        raise RuleViolation(f"この印鑑登録証（{card_number}）は再交付により使えなくなっています。新しい登録証を提示して"
                            "ください。", field="card_number", code="card_replaced")
    if card_status in (CARD_RETURNED, CARD_VOID) or registration_status != ACTIVE:
        raise RuleViolation(f"この印鑑登録証（{card_number}）の印鑑登録は廃止されています（{abolished_text}）。",
                            field="card_number", code="registration_abolished")


def retain_until(abolished_on: date, years: int) -> date:
    """The last day an abolished 原票 is kept (default 5 years after the abolition)."""
    try:
        return abolished_on.replace(year=abolished_on.year + years)
    except ValueError:   # 29 Feb → 28 Feb
        return abolished_on.replace(year=abolished_on.year + years, day=28)
