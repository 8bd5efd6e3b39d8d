"""Certificate rules (standard-spec §4). Pure: no Django, no I/O.

What a certificate may contain, for whom, how its pages and numbers look, what it costs and whether its text
fits its boxes. The action (`actions.do_issue_certificate`) loads the records, calls these in order and
writes the issuance; the renderer only draws what `build_content` returns.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import date

from jumin.core.errors import RuleViolation

# ------------------------------------------------------------------ kinds (standard-spec §4.1, §4.4)

HOUSEHOLD = "household"     # 世帯連記式: up to 4 persons a sheet
INDIVIDUAL = "individual"   # 個人票: one person a sheet, A4 portrait
NOTICE = "notice"           # 通知票 (not a certificate: no 認証文)

LIVING = "living"           # the subjects must be on the register (or before their 転出予定日)
REMOVED = "removed"         # the subjects must be 除票
MOVED_OUT = "moved_out"     # the subjects must have filed a 転出届


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    layouts: tuple[str, ...]
    subjects: str
    attestation: str          # 認証文 (standard-spec §4.2); "" for notices
    attestation_all: str = ""  # 世帯全員 wording where it differs
    items_certificate: bool = False  # 記載事項証明書: only the items chosen
    reissue_allowed: bool = False
    own_screen: str = ""      # issued by another app's action (e.g. the 印鑑登録証明書 by jumin.seals)


KINDS: dict[str, Kind] = {k.code: k for k in [
    Kind("resident_copy", "住民票の写し", (HOUSEHOLD, INDIVIDUAL), LIVING,
         "この写しは、住民票の原本と相違ないことを証明する。",
         "この写しは、世帯全員の住民票の原本と相違ないことを証明する。"),
    Kind("resident_items", "住民票記載事項証明書", (HOUSEHOLD, INDIVIDUAL), LIVING,
         "上記の事項は、住民票に記載されている事項と相違ないことを証明する。", items_certificate=True),
    Kind("removed_copy", "住民票の除票の写し", (INDIVIDUAL,), REMOVED,
         "この写しは、住民票の除票の原本と相違ないことを証明する。"),
    Kind("removed_items", "住民票除票記載事項証明書", (INDIVIDUAL,), REMOVED,
         "上記の事項は、住民票の除票に記載されている事項と相違ないことを証明する。", items_certificate=True),
    Kind("move_out", "転出証明書", (HOUSEHOLD,), MOVED_OUT,
         "上記のとおり転出の届出があったことを証明する。", reissue_allowed=True),
    Kind("move_out_equivalent", "転出証明書に準ずる証明書", (HOUSEHOLD,), MOVED_OUT,
         "上記のとおり転出したことを証明する。", reissue_allowed=True),
    Kind("resident_code_notice", "住民票コード通知票", (INDIVIDUAL,), LIVING, ""),
    Kind("seal_certificate", "印鑑登録証明書", (INDIVIDUAL,), LIVING,
         "この写しは、登録されている印影と相違ないことを証明する。", own_screen="印鑑登録"),
]}

KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]
LAYOUT_CHOICES = [(HOUSEHOLD, "世帯連記式"), (INDIVIDUAL, "個人票")]
PERSONS_PER_SHEET = 4  # standard-spec §4.4

# ------------------------------------------------------------------ requesters (standard-spec §4.2)

SELF = "self"
SAME_HOUSEHOLD = "household"
AGENT = "agent"
THIRD_PARTY = "third_party"
OFFICIAL = "official"
REQUESTER_CHOICES = [(SELF, "本人"), (SAME_HOUSEHOLD, "同一世帯員"), (AGENT, "代理人（委任状）"),
                     (THIRD_PARTY, "第三者"), (OFFICIAL, "公用")]
REQUESTER_LABELS = dict(REQUESTER_CHOICES)

IDENTITY_CHECKS = [("my_number_card", "個人番号カード"), ("driving_licence", "運転免許証"),
                   ("passport", "旅券"), ("residence_card", "在留カード"), ("health_insurance", "健康保険証等（2点）"),
                   ("official_document", "公用請求書（公印）"), ("seal_card", "印鑑登録証"), ("other", "その他")]
IDENTITY_LABELS = dict(IDENTITY_CHECKS)

# ------------------------------------------------------------------ options (standard-spec §4.2)

OPTION_LABELS = {
    "head_relationship": "世帯主・続柄",
    "domicile": "本籍・筆頭者",
    "resident_code": "住民票コード",
    "individual_number": "個人番号",
    "former_surname": "旧氏",
    "alias": "通称",
    "history": "履歴",
    "previous_address": "転入前住所",
    "furigana": "フリガナ",
}
OPTIONS = tuple(OPTION_LABELS)
# What a municipality starts with when it has set nothing: everything printed except the sensitive numbers
# and 本籍 (municipal practice: omitted unless requested, standard-spec §4.2).
DEFAULT_OPTIONS = {"head_relationship": True, "domicile": False, "resident_code": False, "individual_number": False,
                   "former_surname": True, "alias": True, "history": False, "previous_address": True,
                   "furigana": False}
NEVER_FOR_THIRD_PARTY = ("individual_number", "resident_code")


@dataclass(frozen=True)
class Request:
    """A 交付請求 as parsed from the screen or the API."""

    kind: str
    layout: str
    requester_kind: str
    requester_name: str
    identity_check: str
    purpose: str
    options: dict
    copies: int = 1
    reissue: bool = False
    agent_letter: bool = False  # 委任状


def resolve_options(kind: Kind, requester_kind: str, asked: dict, defaults: dict) -> dict:
    """The municipality's defaults, overridden by what the requester specially asked for; then the refusals."""
    options = {name: bool(defaults.get(name, DEFAULT_OPTIONS[name])) for name in OPTIONS}
    for name, value in (asked or {}).items():
        if name not in OPTION_LABELS:
            raise RuleViolation(f"証明書の記載事項「{name}」はありません。", field=f"options.{name}")
        if value is not None:
            options[name] = bool(value)
    if requester_kind == THIRD_PARTY:
        for name in NEVER_FOR_THIRD_PARTY:
            if (asked or {}).get(name):
                raise RuleViolation(f"第三者からの請求には{OPTION_LABELS[name]}を記載できません。", field=f"options.{name}")
            options[name] = False
    if kind.code == "resident_code_notice":
        options["resident_code"] = True
    return options


def parse_copies(value) -> int:
    """通数 as sent: blank means one copy (the screen's default); anything else must be a whole number, and
    check_request bounds it. 0 used to read as "blank" and issued one copy with its fee (issue #15 item 8)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise RuleViolation("通数は1以上の整数で入力してください。", field="copies")


def check_request(req: Request, *, max_copies: int = 20) -> None:
    """Everything about a request that can be judged without the register."""
    kind = KINDS.get(req.kind)
    if kind is None:
        raise RuleViolation("証明書の種類を選んでください。", field="kind")
    if kind.own_screen:
        raise RuleViolation(f"{kind.label}は{kind.own_screen}の画面・APIから交付してください。", field="kind")
    if req.layout not in kind.layouts:
        labels = "・".join(dict(LAYOUT_CHOICES)[x] for x in kind.layouts)
        raise RuleViolation(f"{kind.label}の様式は{labels}です。", field="layout")
    if req.requester_kind not in REQUESTER_LABELS:
        raise RuleViolation("請求者の区分（本人・同一世帯員・代理人・第三者・公用）を選んでください。", field="requester.kind")
    if not req.requester_name.strip():
        raise RuleViolation("請求者の氏名（公用は請求機関名）を入力してください。", field="requester.name")
    if req.identity_check not in IDENTITY_LABELS:
        raise RuleViolation("本人確認の方法を選んでください。", field="identity_check")
    if req.requester_kind in (THIRD_PARTY, OFFICIAL, AGENT) and not req.purpose.strip():
        raise RuleViolation("第三者・公用・代理人の請求には請求事由（利用目的）を入力してください。", field="purpose")
    if req.requester_kind == AGENT and not req.agent_letter:
        raise RuleViolation("代理人の請求には委任状の確認が必要です。", field="agent_letter")
    if req.options.get("individual_number") and not req.purpose.strip():
        raise RuleViolation("個人番号を記載するには請求事由（利用目的）を入力してください。", field="purpose")
    if req.copies < 1:
        raise RuleViolation(f"通数は1通以上で指定してください（{req.copies}通は指定できません）。", field="copies")
    if req.copies > max_copies:
        raise RuleViolation(f"1回の請求で交付できるのは{max_copies}通までです。", field="copies")
    if req.reissue and not kind.reissue_allowed:
        raise RuleViolation(f"{kind.label}は再交付できません。新たに交付してください。", field="reissue")
    if kind.code == "resident_code_notice" and req.requester_kind not in (SELF, SAME_HOUSEHOLD, AGENT):
        raise RuleViolation("住民票コード通知票は本人・同一世帯員・代理人にのみ交付できます。", field="requester.kind")


# ------------------------------------------------------------------ subjects

@dataclass(frozen=True)
class SubjectState:
    """What the action knows about one person before issuing."""

    addressee_number: str
    name: str
    status: str                  # "resident" | "removed"
    removal_reason: str = ""
    removed_on: date | None = None
    planned_move_out_on: date | None = None
    pending_change: bool = False
    household_number: str = ""


MOVE_OUT_REASONS = ("move_out_domestic", "move_out_abroad")


def before_planned_move_out(s: SubjectState, today: date) -> bool:
    """A person who filed a 転出届 is still a resident until the 転出予定日 (standard-spec §4.2)."""
    return (s.status == "removed" and s.removal_reason in MOVE_OUT_REASONS
            and s.planned_move_out_on is not None and today < s.planned_move_out_on)


def check_subjects(kind: Kind, layout: str, subjects: list[SubjectState], today: date) -> None:
    """Refusals that depend on the persons (issue #5 item 8): removed, in draft, mixed households."""
    if not subjects:
        raise RuleViolation("証明書に記載する方を選んでください。", field="subjects")
    for s in subjects:
        if s.pending_change:
            raise RuleViolation(f"{s.name}さんには仮登録中の異動があります。本登録の後に交付してください。",
                                field="subjects", code="pending_change")
        living = s.status == "resident" or before_planned_move_out(s, today)
        if kind.subjects == LIVING and not living:
            raise RuleViolation(f"{s.name}さんは除票です。住民票の除票の写しを選んでください。",
                                field="subjects", code="removed")
        if kind.subjects == REMOVED and s.status != "removed":
            raise RuleViolation(f"{s.name}さんは住民です。除票の写しは交付できません。", field="subjects")
        if kind.subjects == REMOVED and before_planned_move_out(s, today):
            raise RuleViolation(f"{s.name}さんは転出予定日前です。住民票の写しを選んでください。", field="subjects")
        if kind.subjects == MOVED_OUT and s.removal_reason not in MOVE_OUT_REASONS:
            raise RuleViolation(f"{s.name}さんには転出の届出がありません。", field="subjects")
    if kind.subjects == MOVED_OUT and any(s.removal_reason != "move_out_domestic" for s in subjects):
        raise RuleViolation("国外転出には転出証明書を交付しません（転入先は国外です）。", field="subjects")
    if layout == HOUSEHOLD and len({s.household_number for s in subjects}) > 1:
        # 除票 persons are never mixed into a 世帯連記式 copy (standard-spec §4.2): one household per copy.
        raise RuleViolation("世帯連記式には同じ世帯の方だけを記載できます。", field="subjects")
    if layout == INDIVIDUAL and len(subjects) > 1 and kind.code in ("removed_copy", "removed_items",
                                                                     "resident_code_notice"):
        raise RuleViolation(f"{kind.label}は1人ずつ交付します。", field="subjects")


# ------------------------------------------------------------------ content

def _era_date(value, text, fmt_wareki, fmt_seireki, *, seireki=False) -> str:
    if text:
        return text
    if value is None:
        return ""
    return fmt_seireki(value) if seireki else fmt_wareki(value)


@dataclass
class Line:
    label: str
    value: str
    item: str            # the register item (for the 記載事項 list and the overflow list)
    width: float = 16.0  # the box's width in full-width characters
    lines: int = 1       # how many lines the box may use after shrinking


@dataclass
class PersonBlock:
    addressee_number: str
    lines: list[Line] = field(default_factory=list)
    history: list[Line] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def person_block(record: dict, kind: Kind, options: dict, *, today: date, fmt_wareki, fmt_seireki,
                 history: list[dict] | None = None, chosen_items: set[str] | None = None) -> PersonBlock:
    """The printed items of one person, in the standard order. `record` is the register's item dict."""
    foreign = record.get("resident_type") == "foreign"
    as_living = before_planned_move_out_record(record, today)
    b = PersonBlock(record["addressee_number"])

    def add(label, value, item, width=16.0, lines=1):
        if chosen_items is not None and item not in chosen_items and item not in ("name",):
            return
        if value not in (None, ""):
            b.lines.append(Line(label, str(value), item, width, lines))

    def with_kana(value: str, kana: str | None) -> str:
        """フリガナ on certificates (standard-spec §4.2, §5.3; an option): katakana in brackets after 氏名, 旧氏
        and 通称 only — 住民 太郎（ジュウミン タロウ）."""
        return f"{value}（{kana}）" if options.get("furigana") and kana else value

    add("氏名", with_kana(record["name"], record.get("name_kana")), "name", 18, 2)
    if foreign and record.get("name_alphabet"):
        add("氏名（アルファベット）", record["name_alphabet"], "name_alphabet", 30, 2)
    if options.get("former_surname") and record.get("former_surname"):
        add("旧氏", with_kana(record["former_surname"], record.get("former_surname_kana")), "former_surname", 12)
    if options.get("alias") and record.get("alias"):
        add("通称", with_kana(record["alias"], record.get("alias_kana")), "alias", 18, 2)
    add("生年月日", _era_date(record.get("birth_date"), record.get("birth_date_text"), fmt_wareki, fmt_seireki,
                          seireki=foreign), "birth_date", 12)
    add("性別", {"1": "男", "2": "女"}.get(record.get("sex"), ""), "sex", 3)
    if options.get("head_relationship"):
        add("世帯主", record.get("head_name", ""), "head_name", 18, 2)
        add("続柄", record.get("relationship", ""), "relationship", 12, 2)
    add("住民となった年月日", _era_date(record.get("became_resident_on"), record.get("became_resident_on_text"),
                                fmt_wareki, fmt_seireki), "became_resident_on", 12)
    add("住所を定めた年月日", _era_date(record.get("address_since"), record.get("address_since_text"),
                                fmt_wareki, fmt_seireki), "address_since", 12)
    if not foreign and options.get("domicile"):
        status = record.get("domicile_status")
        domicile = record.get("domicile") if status == "recorded" else ("なし" if status == "none" else "不明")
        add("本籍", domicile, "domicile", 30, 2)
        if status == "recorded":
            add("筆頭者", record.get("domicile_head", ""), "domicile_head", 18)
    if options.get("previous_address") and record.get("previous_address"):
        prev = " ".join(x for x in (record["previous_address"], record.get("previous_address_supplement")) if x)
        add("転入前住所", prev, "previous_address", 30, 2)
    if foreign:
        add("国籍・地域", record.get("nationality", ""), "nationality", 16)
        add("法第30条の45に規定する区分", ARTICLE_LABELS.get(record.get("article_30_45", ""), ""), "article_30_45", 20, 2)
        add("在留資格", record.get("residence_status", ""), "residence_status", 16, 2)
        add("在留期間", record.get("period_of_stay", ""), "period_of_stay", 10)
        add("在留期間の満了の日", _era_date(record.get("period_expires_on"), "", fmt_wareki, fmt_seireki,
                                     seireki=True), "period_expires_on", 12)
        add("在留カード等の番号", record.get("residence_card_number") or record.get("special_permanent_certificate_number", ""),
            "residence_card_number", 12)
    if options.get("resident_code"):
        add("住民票コード", record.get("resident_code", ""), "resident_code", 11)
    if options.get("individual_number"):
        add("個人番号", record.get("individual_number", ""), "individual_number", 12)
    removed = record.get("status") == "removed" and not as_living
    if removed or kind.subjects == MOVED_OUT:
        reason = REMOVAL_LABELS.get(record.get("removal_reason", ""), "")
        when = _era_date(record.get("removed_on"), record.get("removed_on_text"), fmt_wareki, fmt_seireki)
        if kind.subjects == MOVED_OUT:
            add("転出予定年月日", _era_date(record.get("planned_move_out_on"), "", fmt_wareki, fmt_seireki),
                "planned_move_out_on", 12)
            dest = " ".join(x for x in (record.get("destination"), record.get("destination_supplement")) if x)
            add("転出先", dest, "destination", 30, 2)
        else:
            add("消除事由", f"{when} {reason}".strip(), "removal_reason", 20)
            dest = " ".join(x for x in (record.get("destination_confirmed") or record.get("destination"),
                                        record.get("destination_confirmed_supplement")
                                        or record.get("destination_supplement")) if x)
            if record.get("removal_reason") in MOVE_OUT_REASONS:
                add("転出先", dest, "destination", 30, 2)
    for h in history or []:
        b.history.append(Line(h["label"], h["value"], "history", 30, 2))
    return b


def before_planned_move_out_record(record: dict, today: date) -> bool:
    planned = record.get("planned_move_out_on")
    if isinstance(planned, str) and planned:
        planned = date.fromisoformat(planned)
    return (record.get("status") == "removed" and record.get("removal_reason") in MOVE_OUT_REASONS
            and planned is not None and today < planned)


ARTICLE_LABELS = {"mid_long_term": "中長期在留者", "special_permanent": "特別永住者",
                  "temporary_refuge": "一時庇護許可者", "provisional_stay": "仮滞在許可者",
                  "transitional": "経過滞在者"}
REMOVAL_LABELS = {"move_out_domestic": "転出", "move_out_abroad": "国外転出", "death": "死亡",
                  "naturalization_removal": "職権消除（帰化等）", "nationality_loss_removal": "職権消除（国籍喪失）",
                  "ex_officio_removal": "職権消除", "cancel_decrease": "異動の取消し"}


def sheets(blocks: list, layout: str) -> list[list]:
    """Persons split into sheets: 4 a sheet for 世帯連記式, 1 for 個人票 (standard-spec §4.4)."""
    size = PERSONS_PER_SHEET if layout == HOUSEHOLD else 1
    return [blocks[i:i + size] for i in range(0, len(blocks), size)] or [[]]


# ------------------------------------------------------------------ fitting text (standard-spec §4.2 overflow)

MIN_SCALE = 0.6  # shrink text down to 60 % before the box counts as overflowing


def text_width(text: str) -> float:
    """Width in full-width character units: ASCII and half-width kana count half; selectors nothing."""
    width = 0.0
    for ch in text:
        code = ord(ch)
        if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
            continue
        width += 0.5 if code < 0x2E80 or 0xFF61 <= code <= 0xFF9F else 1.0
    return width


def fit(line: Line) -> float | None:
    """The text scale (1.0 = normal) that fits the box, or None when even MIN_SCALE cannot (文字超過).
    A box holds `lines` lines; shrinking the type by s fits 1/s more characters on each of them."""
    need = text_width(line.value)
    room = line.width * line.lines
    if need <= room:
        return 1.0
    scale = room / need
    return scale if scale >= MIN_SCALE else None


OVERFLOW_REFUSE = "refuse"   # alert + 文字超過リスト, nothing issued (default)
OVERFLOW_LIMIT = "limit"     # print as much as fits, marked ※, alert + list
OVERFLOW_BLANK = "blank"     # print the box blank, marked ※, alert + list
OVERFLOW_MODES = [(OVERFLOW_REFUSE, "交付しない（文字超過リストに記録）"), (OVERFLOW_LIMIT, "枠内まで印字して※を付す"),
                  (OVERFLOW_BLANK, "空欄として※を付す")]


def clip(text: str, width: float) -> str:
    out, used = "", 0.0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:  # leave room for the ※ mark
            break
        out += ch
        used += w
    return out


# ------------------------------------------------------------------ numbers, fees, digests

def issue_number(day: date, municipality: str, terminal: str, printer: str, serial: int, page: int,
                 pages: int) -> str:
    """発行番号 (standard-spec §4.2): 発行年月日・市区町村名・端末番号・プリンタ番号・通番・ページ/総ページ,
    e.g. `20200502 ●●市 本庁1 プリンタ001 011 1/2`."""
    return f"{day:%Y%m%d} {municipality} {terminal or '端末未設定'} {printer or 'プリンタ001'} {serial:03d} {page}/{pages}"


def fee_for(kind: str, copies: int, requester_kind: str, fees: dict) -> int:
    """Fee in yen: per copy of each kind (municipal setting); 公用 is exempt (手数料条例)."""
    if requester_kind == OFFICIAL:
        return 0
    per_copy = fees.get(kind, DEFAULT_FEES.get(kind, 0))
    return int(per_copy) * copies


DEFAULT_FEES = {"resident_copy": 300, "resident_items": 300, "removed_copy": 300, "removed_items": 300,
                "move_out": 0, "move_out_equivalent": 300, "resident_code_notice": 0, "seal_certificate": 300}

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_verification_code(random_bytes: bytes | None = None) -> str:
    """A 12-character code (60 bits) printed on every page, plus one check character: typed back from paper."""
    raw = random_bytes if random_bytes is not None else secrets.token_bytes(8)
    n = int.from_bytes(raw, "big")
    body = ""
    for _ in range(12):
        n, r = divmod(n, 32)
        body += _CODE_ALPHABET[r]
    return f"{body[:4]}-{body[4:8]}-{body[8:]}{_check_char(body)}"


def _check_char(body: str) -> str:
    total = sum((i + 1) * _CODE_ALPHABET.index(ch) for i, ch in enumerate(body))
    return _CODE_ALPHABET[total % 32]


def normalise_code(text: str) -> str | None:
    """The code as typed (any case, with or without hyphens or spaces); None if it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(cleaned) != 13 or any(ch not in _CODE_ALPHABET for ch in cleaned):
        return None
    body, check = cleaned[:12], cleaned[12]
    if _check_char(body) != check:
        return None
    return f"{body[:4]}-{body[4:8]}-{body[8:]}{check}"


def content_digest(content: dict) -> str:
    """SHA-256 of what was printed, in a canonical form: the verifier compares against it."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
