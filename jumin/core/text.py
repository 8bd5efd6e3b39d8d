"""Checks for names, フリガナ and free text (standard-spec §6.3 文字要件, tooling.md §5).

Names are stored exactly as typed. They are never NFKC- or NFC-normalised: NFC silently replaces
CJK compatibility ideographs (神 U+FA19 → 神 U+795E) and NFKC also turns the ideographic space that
separates 氏 and 名 into an ASCII space. Ideographic variation sequences (IVS, U+E0100–E01EF) and
standardized variation sequences (SVS, U+FE00–FE0F) are kept, because MJ characters need them.
Only the フリガナ field is normalised, with an explicit kana-only mapping.

What is refused: private-use characters (legacy 外字 must first be identified to an MJ+ character,
文字同定), control and format characters, line breaks, lone surrogates, noncharacters and
variation selectors that do not follow a character.
"""

import re
import unicodedata

import jaconv

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
        previous = ch


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
