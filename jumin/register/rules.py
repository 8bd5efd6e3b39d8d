"""Pure rules of the resident register: 続柄, household order, 世帯主 after a move, change dates.

No Django and no I/O: actions.py calls these before writing anything, and they can be tested on
their own. Each function cites the part of the standard it follows (docs: standard-spec.md).
"""

import datetime
import re
from dataclasses import dataclass

from jumin.core.errors import RuleViolation

# --------------------------------------------------------------------------- 続柄 (standard-spec §2.5)

HEAD = "世帯主"
RELATIVE_BY_TIE = "縁故者"  # 縁故者: a de-facto tie, or a relative 5+ generations away
LODGER = "同居人"

SPOUSE_TERMS = ("夫", "妻", "夫（未届）", "妻（未届）")
CHILD = "子"
PARENT_TERMS = ("父", "母")
SIBLING_TERMS = ("兄", "姉", "弟", "妹")
CHAIN_TERMS = frozenset(SPOUSE_TERMS + (CHILD,) + PARENT_TERMS + SIBLING_TERMS)

# Values that stand alone and are never part of a chain. 子（子の夫）/子（子の妻） are listed by
# standard-spec §2.5: a child's spouse who is also the head's (adopted) child.
STANDALONE_VALUES = frozenset({HEAD, RELATIVE_BY_TIE, LODGER, "子（子の夫）", "子（子の妻）"})

MAX_GENERATIONS = 4
MAX_TERMS = 6

# Words the standard forbids, with the chain to write instead where one exists.
_FORBIDDEN_HINTS = {
    "孫": "子の子",
    "ひ孫": "子の子の子",
    "曾孫": "子の子の子",
    "曽孫": "子の子の子",
    "祖父": "父の父",
    "祖母": "父の母",
    "甥": "兄の子",
    "姪": "兄の子",
    "おじ": "父の兄",
    "伯父": "父の兄",
    "叔父": "父の弟",
    "おば": "父の姉",
    "伯母": "父の姉",
    "叔母": "父の妹",
    "義父": "妻の父",
    "義母": "妻の母",
    "嫁": "子の妻",
    "婿": "子の夫",
}

_ALLOWED_FORMS = (
    "「世帯主」「縁故者」「同居人」、または「夫」「妻」「夫（未届）」「妻（未届）」「子」「父」「母」"
    "「兄」「姉」「弟」「妹」を「の」でつないだ形（例: 子の妻、妻の父）で入力してください。"
)


def _normalise_relationship(value) -> str:
    text = "" if value is None else str(value)
    for space in (" ", "\u3000"):
        text = text.replace(space, "")
    return text.replace("(", "（").replace(")", "）")


def validate_relationship(value: str, *, field: str = "relationship") -> str:
    """A 世帯主との続柄 as stored, or a RuleViolation (standard-spec §2.5).

    Grammar: exactly one of 世帯主, 縁故者, 同居人 (or 子（子の夫）, 子（子の妻）); or a chain of
    夫, 妻, 夫（未届）, 妻（未届）, 子, 父, 母, 兄, 姉, 弟, 妹 joined by の, with at most 4
    generation steps (each 子/父/母 counts one; 5 or more → 縁故者) and at most 6 terms. A spouse
    of a spouse (妻の夫) and 子 next to 父/母 (子の母, 父の子) are refused: the direct term must be
    used. Half-width parentheses are accepted and stored full-width; spaces are removed.
    """
    text = _normalise_relationship(value)

    def refuse(message: str, code: str = "invalid_relationship") -> None:
        raise RuleViolation(message, field=field, code=code)

    if not text:
        refuse("続柄を入力してください。", "required")
    if text in STANDALONE_VALUES:
        return text

    terms = text.split("の")
    for term in terms:
        if term in _FORBIDDEN_HINTS:
            refuse(f"続柄「{term}」は使用できません。「{_FORBIDDEN_HINTS[term]}」のように記載してください。")
    if not all(term in CHAIN_TERMS for term in terms):
        refuse(f"続柄「{text}」は使用できません。{_ALLOWED_FORMS}")

    generations = sum(1 for term in terms if term == CHILD or term in PARENT_TERMS)
    if generations > MAX_GENERATIONS:
        refuse(
            f"続柄「{text}」は使用できません。5世代以上離れた親族は「{RELATIVE_BY_TIE}」として記載してください。"
        )
    if len(terms) > MAX_TERMS:
        refuse(
            f"続柄「{text}」は長すぎます。「の」でつなぐ語は{MAX_TERMS}語までです。"
            f"これを超える場合は「{RELATIVE_BY_TIE}」として記載してください。"
        )
    for first, second in zip(terms, terms[1:]):
        if first in SPOUSE_TERMS and second in SPOUSE_TERMS:
            refuse(f"続柄「{text}」は使用できません。配偶者の配偶者を表す続柄は記載できません。")
        if (first == CHILD and second in PARENT_TERMS) or (first in PARENT_TERMS and second == CHILD):
            refuse(
                f"続柄「{text}」は使用できません。「子」と「父」「母」を続けず、"
                "直接の続柄（例: 妻、兄、妹）で記載してください。"
            )
    return text


def is_valid_relationship(value: str) -> bool:
    """True when validate_relationship accepts the value."""
    try:
        validate_relationship(value)
    except RuleViolation:
        return False
    return True


# --------------------------------------------------------------------------- 世帯員の並び順 (§4.3)


@dataclass(frozen=True)
class MemberForOrder:
    """What the standard order needs to know about one household member."""

    addressee_number: str
    relationship: str
    birth_date: datetime.date | None


def _rank_from_head(terms: list[str]) -> tuple:
    """Sort rank of a 続柄 chain (already split on の) relative to the 世帯主.

    Level 1: 世帯主 (1, 0), spouse (1, 1), child (1, 2).
    Level 2: the head's children's families: 子の夫/妻 (2, 1, 1), 子の子 (2, 2, 0),
    子の子の夫/妻 (2, 2, 1), 子の子の子 (2, 3, 0) …; any other chain starting with 子 (2, 99).
    Level 3: the head's other family: 父 (3, 0, 0), 母 (3, 0, 1), 兄姉弟妹 (3, 0, 2),
    父の父 / 父の母 / 母の父 / 母の母 (3, 0, 3, 0…3), other chains from 父母兄姉弟妹 (3, 0, 4);
    then the spouse's relatives (3, 1, …), ranked among themselves by the same rule applied to
    the rest of the chain after 妻の / 夫の.
    """
    if not terms:
        return (1, 0)
    first, rest = terms[0], terms[1:]
    if first in SPOUSE_TERMS:
        if not rest:
            return (1, 1)
        return (3, 1) + _rank_from_head(rest)
    if first == CHILD:
        if not rest:
            return (1, 2)
        generations = 1
        while generations < len(terms) and terms[generations] == CHILD:
            generations += 1
        tail = terms[generations:]
        if not tail:
            return (2, generations, 0)
        if len(tail) == 1 and tail[0] in SPOUSE_TERMS:
            return (2, generations, 1)
        return (2, 99)
    if first in PARENT_TERMS and not rest:
        return (3, 0, 0, PARENT_TERMS.index(first))
    if first in SIBLING_TERMS and not rest:
        return (3, 0, 2)
    if first in PARENT_TERMS and len(rest) == 1 and rest[0] in PARENT_TERMS:
        return (3, 0, 3, 2 * PARENT_TERMS.index(first) + PARENT_TERMS.index(rest[0]))
    return (3, 0, 4)


def _rank(relationship: str) -> tuple:
    try:
        value = validate_relationship(relationship)
    except RuleViolation:
        return (5,)  # an invalid or legacy value: after everyone else, never lost
    if value == HEAD:
        return (1, 0)
    if value in ("子（子の夫）", "子（子の妻）"):
        return (1, 2)
    if value == RELATIVE_BY_TIE:
        return (4, 0)
    if value == LODGER:
        return (4, 1)
    return _rank_from_head(value.split("の"))


def standard_household_order(members: list[MemberForOrder]) -> list[str]:
    """宛名番号 of the members in the standard order of standard-spec §4.3 (§5.2 of the spec).

    The spec orders by family (level 2: "each child's family, families ordered by the child's
    birth date"), but a 続柄 such as 子の子 does not say which child it descends from. The
    reading chosen here uses 続柄 alone:
      1. 世帯主, spouse (夫/妻/夫（未届）/妻（未届）), the head's children (子);
      2. 子の夫/子の妻, then 子の子, 子の子の夫/妻, 子の子の子 … (one generation after another),
         then other chains starting with 子;
      3. 父, 母, 兄姉弟妹, grandparents (父の父, 父の母, 母の父, 母の母), other chains starting with
         父母兄姉弟妹; then the spouse's relatives (妻の… / 夫の…) in the same pattern;
      4. 縁故者, then 同居人; unreadable 続柄 last.
    Within a rank: birth date (unknown last), then 宛名番号.
    """

    def key(member: MemberForOrder) -> tuple:
        birth = member.birth_date
        return (
            _rank(member.relationship),
            birth is None,
            birth or datetime.date.max,
            member.addressee_number,
        )

    return [member.addressee_number for member in sorted(members, key=key)]


def append_to_household_order(existing: list[str], new_members: list[str]) -> list[str]:
    """The household order after members join: new members go at the end (standard-spec §4.3).

    The clerk may reorder by hand afterwards. A "new" member already in the household is a
    programming error and raises ValueError.
    """
    seen = set(existing)
    order = list(existing)
    for number in new_members:
        if number in seen:
            raise ValueError(f"{number} is already in the household order")
        seen.add(number)
        order.append(number)
    return order


# --------------------------------------------------------------------------- 世帯主 (§3.1)


@dataclass(frozen=True)
class HeadDecision:
    """Outcome for the 世帯主 when members leave a household (standard-spec §3.1).

    `automatic_new_head` is set when exactly one member remains: that member becomes 世帯主 by
    職権. `new_head` is the 世帯主 of the remaining household after the change, whether automatic
    or chosen by the clerk (None when the head stays, or nobody remains).
    """

    head_leaves: bool
    remaining: tuple[str, ...]
    automatic_new_head: str | None
    new_head: str | None = None


def decide_head_after_departure(
    *,
    head: str | None,
    members: list[str],
    leaving: list[str],
    chosen_new_head: str | None = None,
) -> HeadDecision:
    """Who is 世帯主 after `leaving` move out of a household of `members` (standard-spec §3.1).

    If the head leaves and one member remains, that member becomes head automatically; if two or
    more remain, the clerk must choose the new head first (世帯主変更), otherwise RuleViolation
    (code "head_required"). If nobody remains, no head is needed. If the head stays, nothing
    changes and chosen_new_head is ignored: changing a head who stays is a separate 世帯主変更.
    A household without a recorded head (head=None, allowed by §2.3) is treated as "head stays".
    """
    unknown = [number for number in leaving if number not in members]
    if unknown:
        raise ValueError(f"leaving members {unknown} are not in the household")
    if head is not None and head not in members:
        raise ValueError(f"head {head} is not a member of the household")

    remaining = tuple(number for number in members if number not in leaving)
    head_leaves = head is not None and head in leaving

    if not head_leaves:
        # chosen_new_head is ignored: changing a head who stays is a separate 世帯主変更.
        return HeadDecision(head_leaves=False, remaining=remaining, automatic_new_head=None, new_head=None)

    if chosen_new_head is not None and chosen_new_head not in remaining:
        raise RuleViolation(
            "新しい世帯主には、この世帯に残る世帯員を指定してください。", field="new_head", code="invalid_new_head"
        )
    if not remaining:
        return HeadDecision(head_leaves=True, remaining=(), automatic_new_head=None, new_head=None)
    if len(remaining) == 1:
        return HeadDecision(
            head_leaves=True, remaining=remaining, automatic_new_head=remaining[0], new_head=remaining[0]
        )
    if chosen_new_head is None:
        raise RuleViolation(
            f"世帯主が異動するため、残る世帯員（{len(remaining)}人）から新しい世帯主を指定してください。",
            field="new_head",
            code="head_required",
        )
    return HeadDecision(head_leaves=True, remaining=remaining, automatic_new_head=None, new_head=chosen_new_head)


# --------------------------------------------------------------------------- 異動日・届出日 (§3.1)

LATE_NOTIFICATION_DAYS = 14


def check_effective_on(
    effective_on: datetime.date, *, today: datetime.date, future_allowed: bool, field: str = "effective_on"
) -> None:
    """異動日 may not be after today, except where future_allowed (転出: the planned move-out day)
    (standard-spec §3.1)."""
    if effective_on > today and not future_allowed:
        raise RuleViolation("異動日に未来の日付は指定できません。", field=field, code="future_date")


def check_notified_on(notified_on: datetime.date, *, today: datetime.date, field: str = "notified_on") -> None:
    """届出日 may not be after today (standard-spec §3.1, §4.1.0.2 of the spec)."""
    if notified_on > today:
        raise RuleViolation("届出日に未来の日付は指定できません。", field=field, code="future_date")


def is_late_notification(effective_on: datetime.date, notified_on: datetime.date) -> bool:
    """True when the 届出 came more than 14 days after the change (住民基本台帳法 第22条〜第24条:
    within 14 days). The day of the change is not counted, so notifying on the 14th day after it
    is still in time. A late 転出 is recorded by 職権 (standard-spec §3.2)."""
    return notified_on > effective_on + datetime.timedelta(days=LATE_NOTIFICATION_DAYS)


def check_birth_date(birth: datetime.date | None, *, today: datetime.date, field: str = "birth_date") -> None:
    """生年月日 may not be in the future. None (年月日不詳, standard-spec §2.4) passes."""
    if birth is not None and birth > today:
        raise RuleViolation("生年月日に未来の日付は指定できません。", field=field, code="future_date")


# --------------------------------------------------------------------------- 届出日・異動日の前後 (§3.1, issue #15 item 8)

def _wareki(value: datetime.date) -> str:
    from jumin.core.wareki import format_wareki

    return format_wareki(value)


def check_notified_not_before(effective_on: datetime.date, notified_on: datetime.date, *, label: str = "異動日",
                              field: str = "notified_on") -> None:
    """A 届出 the law asks for *after* the event cannot be dated before it: 転入 and 転居 「…をした日から14日以内」
    (住民基本台帳法 第22条・第23条), 世帯変更 likewise (第25条), 出生・死亡 are reported once they happened.
    Only 転出 is notified in advance (第24条, standard-spec §3.1: 異動日 may be after 届出日); the standard names
    no other allowance, so none is made here."""
    if notified_on < effective_on:
        raise RuleViolation(
            f"届出日（{_wareki(notified_on)}）が{label}（{_wareki(effective_on)}）より前になっています。"
            f"この異動は{label}の後に届け出るものです。届出日と{label}を確認してください。",
            field=field, code="notified_before_event")


EARLY_MOVE_OUT_DAYS = 14


def is_early_move_out_notice(planned_on: datetime.date, notified_on: datetime.date) -> bool:
    """A 転出届 more than 14 days before the 転出予定日: lawful (第24条 sets no limit) but unusual — municipal
    practice takes it about two weeks ahead — so the clerk confirms the date (an alert, not a refusal)."""
    return planned_on > notified_on + datetime.timedelta(days=EARLY_MOVE_OUT_DAYS)


def check_not_before_address_since(effective_on: datetime.date, address_since: datetime.date | None, *,
                                   whose: str, label: str = "異動日", field: str = "effective_on") -> None:
    """Nobody leaves an address before settling there: a 転居 or 転出 dated before the person's current
    住所を定めた年月日 is impossible. For a 不詳日 the stored date is the first day of the period, so a date
    before it is before every day the period could mean (standard-spec §2.4)."""
    if address_since is not None and effective_on < address_since:
        raise RuleViolation(
            f"{label}（{_wareki(effective_on)}）が、{whose}の現在の住所の住所を定めた年月日（{_wareki(address_since)}）"
            f"より前になっています。{label}を確認してください。", field=field, code="before_address_since")


# --------------------------------------------------------------------------- 同一市区町村内の転入 (§3.2)

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
# 指定都市 (JIS X 0402 without check digit): their 区 carry the codes after the city's own, up to the next
# designated city of the prefecture or the first ordinary city (XX201).
DESIGNATED_CITIES = frozenset({
    "01100", "04100", "11100", "12100", "14100", "14130", "14150", "15100", "22100", "22130", "23100", "26100",
    "27100", "27140", "28100", "33100", "34100", "40100", "40130", "43100",
})


def _same_local_government(code5: str, municipality5: str) -> bool:
    if code5 == municipality5:
        return True
    if municipality5 not in DESIGNATED_CITIES or code5[:2] != municipality5[:2]:
        return False
    later = [int(c) for c in DESIGNATED_CITIES if c[:2] == municipality5[:2] and c > municipality5]
    end = min(later, default=int(municipality5[:2] + "201"))
    return int(municipality5) < int(code5) < end


def _compact(text: str) -> str:
    return "".join(text.split()).replace("\u3000", "")


def address_in_municipality(address: dict, *, code: str, name: str, prefecture: str) -> bool:
    """True when an address lies in this municipality: its 住所コード's first five digits are the municipality's
    (or one of its 区, for a 指定都市), or its text begins with the municipality's name — after this
    prefecture's name, or with no prefecture at all."""
    address_code = (address.get("address_code") or "").strip()
    if len(code) >= 5 and len(address_code) >= 5 and address_code[:5].isdigit():
        if _same_local_government(address_code[:5], code[:5]):
            return True
    text = _compact(address.get("address") or "")
    if not text or not name:
        return False
    given = next((p for p in PREFECTURES if text.startswith(p)), None)
    if given is not None:
        if given != prefecture:
            return False
        text = text[len(given):]
    return text.startswith(name)


def check_move_in_from_elsewhere(previous: dict, *, code: str, name: str, prefecture: str,
                                 field: str = "previous_address.address") -> None:
    """転入 is moving into the municipality from outside it (住民基本台帳法 第22条); a move inside it is a 転居
    (第23条; in a 指定都市 a move between its 区 too). A 転入前住所 in this municipality is refused."""
    if address_in_municipality(previous, code=code, name=name, prefecture=prefecture):
        raise RuleViolation(
            f"転入前住所が{prefecture}{name}内です。同一市区町村内の移動は転居として届け出てください。"
            "同じ名前の別の市区町村からの転入であれば、転入前住所を都道府県名から入力してください。",
            field=field, code="move_within_municipality")


# --------------------------------------------------------------------------- 生年月日 and age (§2.4)

# Older than anyone Japan has ever recorded (119 years, 2022): a register entry of 120 or more is more
# likely a 所在不明高齢者 or a typing error than a person, but very old persons exist, so it is an alert.
IMPLAUSIBLE_AGE = 120


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Age in full years on `on` (年齢計算ニ関スル法律: a year is completed the day before the birthday; for
    counting whole years that is the birthday itself)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def is_implausibly_old(birth: datetime.date | None, on: datetime.date) -> bool:
    return birth is not None and birth <= on and age_on(birth, on) >= IMPLAUSIBLE_AGE


def check_born_by(birth: datetime.date | None, on: datetime.date, *, label: str = "異動日",
                  field: str = "birth_date") -> None:
    """Nobody moves in before being born: a 生年月日 after the 異動日 of an entry is refused."""
    if birth is not None and birth > on:
        raise RuleViolation(f"生年月日（{_wareki(birth)}）が{label}（{_wareki(on)}）より後になっています。"
                            "生年月日を確認してください（この日より後に生まれた方は出生として届け出ます）。",
                            field=field, code="born_after_change")


# --------------------------------------------------------------------------- versions the client saw (§ concurrency)

VERSION_SECTIONS = {"residents": "宛名番号", "households": "世帯番号"}


def clean_expected_versions(value) -> dict[str, dict[str, int]]:
    """`expected_versions` as {"residents": {宛名番号: 版}, "households": {世帯番号: 版}}: anything else is refused,
    never ignored, because an ignored version is a lost conflict. A 版 is a whole number ≥ 1 (a screen sends it
    as digits in a hidden field); a number is up to 10 digits."""
    field = "expected_versions"
    if value in (None, ""):
        return {"residents": {}, "households": {}}
    if not isinstance(value, dict):
        raise RuleViolation("版の指定（expected_versions）は residents と households の組で指定してください。", field=field)
    out: dict[str, dict[str, int]] = {}
    for section, value_of in value.items():
        if section not in VERSION_SECTIONS:
            raise RuleViolation(f"版の指定に「{str(section)[:20]}」という区分はありません（residents か households）。",
                                field=field, code="unknown_field")
    for section, label in VERSION_SECTIONS.items():
        given = value.get(section) or {}
        if not isinstance(given, dict):
            raise RuleViolation(f"{section} の版は「{label}: 版」の組で指定してください。", field=f"{field}.{section}")
        cleaned = {}
        for number, version in given.items():
            if not isinstance(number, str) or not number.isdigit() or not 1 <= len(number) <= 10:
                raise RuleViolation(f"版の指定の{label}「{str(number)[:20]}」が正しくありません（10桁以内の数字）。",
                                    field=f"{field}.{section}")
            if isinstance(version, str) and version.strip().isdigit():
                version = int(version.strip())
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise RuleViolation(f"{label} {number} の版は1以上の整数で指定してください。",
                                    field=f"{field}.{section}.{number}")
            cleaned[number] = version
        out[section] = cleaned
    return out


# --------------------------------------------------------------------------- as-of basis (design.md "as of D")

BASES = {"effective": "異動日", "recorded": "記録日"}


def check_basis(basis) -> str:
    """"As of D" is by 異動日 (effective, the legal state) or by record time (recorded): nothing else."""
    if basis not in BASES:
        raise RuleViolation("基準（basis）は effective（異動日）か recorded（記録日）を指定してください。",
                            field="basis", code="invalid")
    return basis


@dataclass(frozen=True)
class Area:
    """Where an address lies for statistics and EUC: 行政区 (指定都市の区; the municipality itself elsewhere)
    and 町丁 (町字 with its 丁目). Codes come from the 住所コード (standard-spec §2.7: JIS X 0402 5 digits +
    町 3 + 丁目 3); names from the address text, which always spells them out."""

    ward_code: str
    ward_name: str
    town_code: str
    town_name: str


_TOWN_END = re.compile(r"^(.*?丁目|.+?(?=[0-9０-９]+(?:番|－|-|の|$))|[^0-9０-９]*)")


def area_of(address_code: str, address: str, *, prefecture: str, municipality: str) -> Area:
    """The 行政区 and 町丁 of one address. `prefecture`/`municipality` (宮城県, 仙台市) are stripped from the
    front of the address; a 指定都市 address then starts with its 区."""
    rest = address or ""
    for prefix in (prefecture, municipality):
        if prefix and rest.startswith(prefix):
            rest = rest[len(prefix):]
    ward_name = ""
    if municipality.endswith("市") and "区" in rest[:6]:
        ward_name, rest = rest[: rest.index("区") + 1], rest[rest.index("区") + 1:]
    town = _TOWN_END.match(rest)
    town_name = (town.group(1) if town else rest).strip()
    code = (address_code or "").strip()
    return Area(ward_code=code[:5], ward_name=ward_name or municipality, town_code=code[:11] if len(code) >= 11
                else code, town_name=town_name)


def in_force(snapshots, on: datetime.date):
    """The snapshot in force on `on` among one person's snapshots in history order (anything with `effective_on`):
    each counts from the latest 異動日 seen so far, so a full snapshot written by a back-dated change (a 誤記修正
    dated before an earlier-recorded 転居) does not count from before that later change. None before the first."""
    found, valid_from = None, None
    for snapshot in snapshots:
        valid_from = snapshot.effective_on if valid_from is None else max(valid_from, snapshot.effective_on)
        if valid_from <= on:
            found = snapshot
    return found

