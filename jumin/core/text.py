"""Checks for names, フリガナ and free text (standard-spec §6.3 文字要件, tooling.md §5).

Names are stored exactly as typed. They are never NFKC- or NFC-normalised: NFC silently replaces
CJK compatibility ideographs (神 U+FA19 → 神 U+795E) and NFKC also turns the ideographic space that
separates 氏 and 名 into an ASCII space. Ideographic variation sequences (IVS, U+E0100–E01EF) and
standardized variation sequences (SVS, U+FE00–FE0F) are kept, because MJ characters need them.
Only the フリガナ field is normalised, with an explicit kana-only mapping.

What is refused: private-use characters (legacy 外字 must first be identified to an MJ+ character,
文字同定), control and format characters, line breaks, lone surrogates, noncharacters,
variation selectors that do not follow a character, and — issue #15 item 7 — every character or
variation sequence outside the repertoire the system prints and exchanges (行政事務標準文字 as IPAmj明朝
implements it, `jumin.core.charset`: the same table the certificates check, so nothing accepted here is
found unprintable later), half-width katakana and the markup characters < > &.

DECISIONS (standard-spec §6.3 names the set, but its text was not retrieved):
- Half-width katakana (U+FF61–FF9F) are not in 行政事務標準文字 (MJ is kanji; its non-kanji part is that of
  JIS X 0213, which has no half-width kana). In a フリガナ they are folded to full-width, because that field
  is normalised by design (katakana only, standard-spec §2.7). In a name or an address they are refused with
  a hint, not folded: names are stored exactly as typed, and the clerk should see what is stored.
- The half-width markup characters < > & are refused in names and addresses. IPAmj has glyphs for them, but
  no name or address needs them, and each is special to the XML and HTML that data travels in (中間標準
  レイアウト XML, 住基ネット, screens). Full-width ＆ stays allowed (building names such as 「Ａ＆Ｂハイツ」).
- An Adobe-Japan1 variation sequence that IPAmj does not map (葛 + U+E0100) is refused: it would print as
  the plain 葛. The MJ sequence (葛 + U+E0102 …) must be entered instead.
"""

import re
import unicodedata

import jaconv

from jumin.core import charset
from jumin.core.errors import RuleViolation

NAME_MAX_LENGTH = 100

_EDGE_SPACES = " \u3000"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_private_use(ch: str) -> bool:
    code = ord(ch)
    return 0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0x10FFFF


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def display_length(s: str) -> int:
    """Length as a clerk counts it: a base character and its variation selector count as one."""
    return sum(1 for ch in s if not _is_variation_selector(ch))


def strip_variation_selectors(s: str) -> str:
    """The string without IVS/SVS selectors: for search keys and fallback output, never for storage."""
    return "".join(ch for ch in s if not _is_variation_selector(ch))


def _too_long(label: str, max_length: int, field: str) -> RuleViolation:
    return RuleViolation(f"{label}は{max_length}文字以内で入力してください。", field=field, code="too_long")


def _check_characters(text: str, *, field: str, label: str, allow_newline: bool) -> None:
    """Refuse characters that cannot be stored, printed or sent to 住基ネット (standard-spec §6.3)."""
    previous = None
    for ch in text:
        code = f"U+{ord(ch):04X}"
        if _is_private_use(ch):
            raise RuleViolation(
                f"{label}に外字（私用領域の文字 {code}）が含まれています。"
                "外字は、標準の文字（行政事務標準文字）に文字同定してから入力してください。",
                field=field,
                code="private_use",
            )
        if ch in _LINE_BREAKS and not (allow_newline and ch == "\n"):
            raise RuleViolation(f"{label}に改行は入力できません。", field=field, code="line_break")
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf") and not (allow_newline and ch == "\n"):
            raise RuleViolation(
                f"{label}に入力できない制御文字（{code}）が含まれています。", field=field, code="control_character"
            )
        if category == "Cs" or _is_noncharacter(ch):
            raise RuleViolation(
                f"{label}に文字として使えないコード（{code}）が含まれています。", field=field, code="invalid_character"
            )
        if _is_variation_selector(ch) and (previous is None or _is_variation_selector(previous) or previous.isspace()):
            raise RuleViolation(
                f"{label}に、文字の後ろにない異体字セレクタ（{code}）が含まれています。"
                "異体字は文字と組み合わせて入力してください。",
                field=field,
                code="stray_variation_selector",
            )
        if ch in MARKUP:
            raise RuleViolation(
                f"{label}に使用できない記号「{ch}」（{code}）が含まれています。", field=field, code="markup"
            )
        if _is_halfwidth_katakana(ch):
            raise RuleViolation(
                f"{label}に半角カタカナ「{ch}」（{code}）は使用できません。全角で入力してください。",
                field=field,
                code="halfwidth_katakana",
            )
        previous = ch
    _check_repertoire(text, field=field, label=label)


# Half-width characters special to XML/HTML: refused in names and addresses (see the module's DECISIONS).
MARKUP = frozenset("<>&")


def _is_halfwidth_katakana(ch: str) -> bool:
    return 0xFF61 <= ord(ch) <= 0xFF9F


def _check_repertoire(text: str, *, field: str, label: str) -> None:
    """Every character and variation sequence must be one the system can print and exchange (行政事務標準文字
    as IPAmj明朝 implements it, standard-spec §6.3): the same table the certificates use."""
    missing = charset.unsupported(text)
    if not missing:
        return
    first = missing[0]
    shown = first if not _is_variation_selector(first[0]) else ""
    if len(first) > 1:
        raise RuleViolation(
            f"{label}に使用できない異体字「{shown}」（{charset.code_points(first)}）が含まれています。"
            "行政事務標準文字（MJ）の異体字セレクタで入力してください。",
            field=field,
            code="unsupported_character",
        )
    raise RuleViolation(
        f"{label}に使用できない文字「{shown}」（{charset.code_points(first)}）が含まれています。"
        "証明書に印字でき、住基ネット等とやり取りできる文字（行政事務標準文字）で入力してください。",
        field=field,
        code="unsupported_character",
    )


def validate_name(
    value,
    *,
    field: str,
    label: str,
    required: bool = True,
    max_length: int = NAME_MAX_LENGTH,
) -> str:
    """A name (氏名, 旧氏, 通称, 世帯主の氏名 …) as it will be stored: exactly as typed, with
    leading and trailing spaces removed (standard-spec §6.3, tooling.md §5).

    A single space (ASCII or U+3000) may separate parts of the name, e.g. 氏 and 名, or the parts
    of a foreign resident's alphabet name. DECISION: runs of spaces and other space characters
    (no-break space and the like) are refused, because they break search and are invisible on
    screen. Raises RuleViolation.
    """
    text = "" if value is None else str(value)
    text = text.strip(_EDGE_SPACES)
    # A base character plus one selector is at most two code points, so anything longer than
    # twice the limit is refused before a single character is looked at.
    if len(text) > 2 * max_length:
        raise _too_long(label, max_length, field)
    if not text:
        if required:
            raise RuleViolation(f"{label}を入力してください。", field=field, code="required")
        return ""
    _check_characters(text, field=field, label=label, allow_newline=False)
    for ch in text:
        if ch.isspace() and ch not in _EDGE_SPACES:
            raise RuleViolation(
                f"{label}に使用できない空白文字（U+{ord(ch):04X}）が含まれています。"
                "空白は半角または全角のスペースを使用してください。",
                field=field,
                code="invalid_space",
            )
    if re.search(r"[ \u3000]{2,}", text):
        raise RuleViolation(f"{label}の途中の空白は1文字にしてください。", field=field, code="invalid_space")
    if display_length(text) > max_length:
        raise _too_long(label, max_length, field)
    return text


# Full-width katakana ァ–ヶ (includes ヴ, ヵ, ヶ and the small kana), ・, ー, and the ideographic space.
_KANA = re.compile(r"[\u30A1-\u30F6\u30FB\u30FC\u3000]*")


def validate_kana(
    value,
    *,
    field: str,
    label: str,
    required: bool = False,
    max_length: int = 100,
) -> str:
    """A フリガナ as it will be stored: full-width katakana (standard-spec §2.7 フリガナ, tooling.md §5).

    Half-width katakana becomes full-width and hiragana becomes katakana; runs of spaces become one
    ideographic space (U+3000). Only katakana (including ヴヵヶ and small kana), ー, ・ and the
    space remain allowed. Raises RuleViolation.
    """
    text = "" if value is None else str(value)
    text = text.strip(_EDGE_SPACES)
    if len(text) > 2 * max_length:  # ｶﾞ (two code points) becomes ガ, so allow twice the limit here
        raise _too_long(label, max_length, field)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    text = re.sub(r"[ \u3000]+", "\u3000", text)
    if not text:
        if required:
            raise RuleViolation(f"{label}を入力してください。", field=field, code="required")
        return ""
    if not _KANA.fullmatch(text):
        wrong = next(ch for ch in text if not _KANA.fullmatch(ch))
        raise RuleViolation(
            f"{label}はカタカナで入力してください（使用できない文字:「{wrong}」）。", field=field, code="not_katakana"
        )
    if len(text) > max_length:
        raise _too_long(label, max_length, field)
    return text


def validate_text(
    value,
    *,
    field: str,
    label: str,
    required: bool = False,
    max_length: int = 200,
    multiline: bool = False,
) -> str:
    """Free text such as 住所, 方書, 本籍 or 備考: kept as typed, with the same character checks as
    names (standard-spec §6.3). Line breaks are allowed only when multiline=True and are stored as
    "\\n". Raises RuleViolation.
    """
    text = "" if value is None else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.strip(_EDGE_SPACES + "\n")
    else:
        text = text.strip(_EDGE_SPACES)
    if len(text) > 2 * max_length:
        raise _too_long(label, max_length, field)
    if not text:
        if required:
            raise RuleViolation(f"{label}を入力してください。", field=field, code="required")
        return ""
    _check_characters(text, field=field, label=label, allow_newline=multiline)
    if display_length(text) > max_length:
        raise _too_long(label, max_length, field)
    return text
