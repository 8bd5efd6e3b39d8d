"""Search keys: what a clerk types and what is stored are folded the same way (standard-spec §6.1).

The standard spec's search rules (第3章 §2.1) say that a search must ignore differences a clerk
cannot hear or does not see on a paper form: 清音/濁音/半濁音, small and large kana, 長音 and the
dashes that look like it, full and half width, the space between 氏 and 名, the ヴ rows, ヂ=ジ,
ヅ=ズ, ヲ=オ, ワ=ハ, 「ウ」 after an オ段 kana, and 異体字 (髙/高, 邊/辺 …).

Each rule is applied once, when a record is written, to produce a *search key* stored next to the
value; the same function folds the clerk's input. The stored names are never changed: a key is
never shown and never printed.

Queries are parameterised, and a prefix search is an index range (`prefix_range`), not a LIKE
pattern, so SQL metacharacters (% _ ' ;) in a search are ordinary characters. (A partial match
goes through the ORM's `contains`, which escapes % and _.)

Pure functions: no Django, no I/O. The 異体字 map is loaded by jumin.search.variants and passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import jaconv

from jumin.core.errors import RuleViolation

SPACES = " \u3000"

# 長音 and the dashes clerks and forms use for it (standard-spec §6.1: ー―－‐ｰ- are all equal).
CHOONPU_LOOKALIKES = frozenset(
    "\u30fc\uff70\uff0d-\u2212" + "".join(chr(code) for code in range(0x2010, 0x2016))
)

# ヴ followed by a small vowel is a バ行 sound; ヴ alone is ブ.
_VU_ROWS = (("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴゥ", "ブ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"))

_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")

# The equalities the spec lists explicitly; applied before 濁点 are dropped, so ヂ becomes シ (via ジ).
# ヷ and ヺ (ワ and ヲ with 濁点) follow ワ and ヲ.
_EQUALITIES = str.maketrans("ヂヅヲワヺヷ", "ジズオハオハ")

# Spacing and half-width 濁点/半濁点 become the combining marks, so that ウ゛ composes to ヴ.
_SPACING_MARKS = str.maketrans({"\u309b": "\u3099", "\uff9e": "\u3099", "\u309c": "\u309a", "\uff9f": "\u309a"})
_VOICING_MARKS = "\u3099\u309a"

# オ段 as it looks after the other folds (ゴ→コ, ド→ト, ボ/ポ→ホ, ョ→ヨ, ヲ→オ …).
_O_ROW = frozenset("オコソトノホモヨロ")

# Full-width katakana ァ–ヺ: what a folded kana key may contain (small kana are gone by then).
_KATAKANA = re.compile(r"[\u30a1-\u30fa]")

# A run of kana inside a name (hiragana, katakana incl. ー and ・, half-width katakana, voicing marks).
_KANA_RUN = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]+")


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def fold_kana(text: str) -> str:
    """The search key for a フリガナ (standard-spec §6.1), as full-width katakana only.

    The order matters, because some rules need what an earlier rule removes:
      1. width and script: half-width → full-width, hiragana → katakana, ウ+゛ → ヴ;
      2. drop spaces (the 氏/名 separator) and 長音 with its look-alikes (ー―－‐ｰ-, U+2010–2015,
         U+2212), so that neighbouring kana meet for the rules below;
      3. ヴ rows: ヴァ→バ, ヴィ→ビ, ヴゥ→ブ, ヴェ→ベ, ヴォ→ボ, ヴ→ブ (needs the small vowel, so before 4);
      4. small → large: ッ→ツ, ャュョ→ヤユヨ, ァィゥェォ→アイウエオ, ヮ→ワ, ヵ→カ, ヶ→ケ;
      5. listed equalities: ヂ→ジ, ヅ→ズ, ヲ→オ, ワ→ハ (after 4, so ヮ also becomes ハ; ヺ, ヷ too);
      6. 清音/濁音/半濁音: drop every 濁点 and 半濁点 (ガ→カ, バ/パ→ハ, ジ→シ);
      7. anything that is not katakana (・, ヽ, letters, kanji) is dropped;
      8. 「ウ」 after an オ段 kana (オコソトノホモヨロ once folded), from the 2nd character on, becomes
         「オ」 (トウキョウ = トオキョオ = トオキヨオ); a leading ウ stays ウ. The rule looks at the
         already folded text, so a run of ウ/オ after an オ段 kana is all オ (コウウン = コオウン).

    A key is one string, so the spec's equalities cannot all hold at once: because ヂ folds with ジ
    (5 before 6) it becomes シ, not チ. The spec lists ヂ=ジ explicitly (same sound), while ヂ/チ is
    a real difference in sound, so ヂ=ジ wins.
    """
    # 1. width and script
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    text = unicodedata.normalize("NFC", text.translate(_SPACING_MARKS))
    # 2. spaces and 長音
    text = "".join(ch for ch in text if ch not in SPACES and ch not in CHOONPU_LOOKALIKES)
    # 3. ヴ rows
    for vu, ba in _VU_ROWS:
        text = text.replace(vu, ba)
    # 4. small → large, 5. listed equalities
    text = text.translate(_SMALL_TO_LARGE).translate(_EQUALITIES)
    # 6. 清音/濁音/半濁音: decompose and drop the marks
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if ch not in _VOICING_MARKS)
    # 7. katakana only
    text = "".join(_KATAKANA.findall(text))
    # 8. オ段 + ウ → オ, from the second character on
    folded: list[str] = []
    for ch in text:
        if ch == "ウ" and folded and folded[-1] in _O_ROW:
            ch = "オ"
        folded.append(ch)
    return "".join(folded)


def _fold_alphabet(ch: str) -> str:
    if "\uff01" <= ch <= "\uff5e":  # full-width ASCII
        ch = unicodedata.normalize("NFKC", ch)
    return ch.upper()


def fold_name(text: str, variants: Mapping[str, str] | None = None) -> str:
    """The search key for 氏名, 旧氏 or 通称 in kanji or alphabet (standard-spec §6.1).

    Spaces are dropped (the 氏/名 separator is ignored). Each character is mapped 異体字 → 正字
    through `variants` (jumin.search.variants.load_variant_map()): the character together with its
    variation selector is looked up first, because an IVS form may map differently from its base,
    then the base character; the selector is never part of the key. Alphabet letters are folded to
    ASCII upper case (ＷＡＮＧ fang = WANGFANG). Kana inside a name follow fold_kana's rules.

    The key is only for search: the stored name is never changed.
    """
    variants = variants or {}
    text = _KANA_RUN.sub(lambda run: fold_kana(run.group()), text)
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in SPACES or _is_variation_selector(ch):
            continue
        following = text[i + 1] if i + 1 < len(text) else ""
        if following and _is_variation_selector(following) and ch + following in variants:
            out.append(variants[ch + following])
        elif ch in variants:
            out.append(variants[ch])
        else:
            out.append(_fold_alphabet(ch))
    return "".join(out)


_ADDRESS_DASHES = frozenset("－‐‑‒–—―−ーｰ")


def fold_address(text: str) -> str:
    """The search key for 住所 and 方書, for prefix search (standard-spec §6.1).

    Spaces and variation selectors are dropped, full-width digits and letters become ASCII (letters
    upper case), half-width katakana becomes full-width, and a dash look-alike (－‐―ー …) after a
    digit or letter becomes "-" (1－2 = 1ー2 = 1-2; the ー in コーポ stays).

    Kanji numerals are not converted (四丁目 ≠ 4丁目), and 丁目/番/号 are kept: addresses are entered
    from the 住所辞書, so the same address is always written the same way; a clerk searches by
    住所コード or types the address as the dictionary writes it.
    """
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    out: list[str] = []
    for ch in text:
        if ch in SPACES or _is_variation_selector(ch):
            continue
        if "\uff01" <= ch <= "\uff5e":
            ch = unicodedata.normalize("NFKC", ch)
        if ch in _ADDRESS_DASHES and out and out[-1].isascii() and out[-1].isalnum():
            ch = "-"
        out.append(ch.upper() if ch.isascii() else ch)
    return "".join(out)


def split_given_name(name: str) -> str | None:
    """The 名 of a name written "氏 名" (ASCII or ideographic space), for given-name-only search
    (standard-spec §6.1); None when the name has no space."""
    match = re.search(r"[ \u3000]", name.strip(SPACES))
    if match is None:
        return None
    given = name.strip(SPACES)[match.end():].strip(SPACES)
    return given or None


def _refuse(field: str, code: str, message: str) -> RuleViolation:
    return RuleViolation(message, field=field, code=code)


def search_text(value, *, field: str, label: str, max_length: int = 100) -> str:
    """A search input as typed, checked before it is folded (standard-spec §6.1, bad input).

    Refused: more than `max_length` characters (checked before anything else, so a 10,000-character
    paste costs nothing), control and format characters, line breaks, private-use characters (外字
    cannot be searched for; they are identified to a standard character first) and code points that
    are not characters. Surrounding spaces are removed. SQL metacharacters (% _ ' ;) are ordinary
    characters: queries are parameterised, and prefix search uses ranges, not LIKE patterns.
    """
    text = ("" if value is None else str(value)).strip(SPACES)
    if len(text) > max_length:
        raise _refuse(field, "too_long", f"{label}は{max_length}文字以内で入力してください。")
    for ch in text:
        code = ord(ch)
        if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
            raise _refuse(
                field,
                "private_use",
                f"{label}に外字（私用領域の文字 U+{code:04X}）が含まれています。"
                "外字では検索できません。標準の文字で入力してください。",
            )
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Zl", "Zp"):
            raise _refuse(
                field,
                "control_character",
                f"{label}に入力できない制御文字（U+{code:04X}）が含まれています。削除してから検索してください。",
            )
        if category == "Cs" or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            raise _refuse(
                field,
                "invalid_character",
                f"{label}に文字として使えないコード（U+{code:04X}）が含まれています。削除してから検索してください。",
            )
    return text


def prefix_range(key: str) -> tuple[str, str]:
    """(low, high) such that `low <= column < high` means "column starts with key", so a prefix
    search is an index range scan on SQLite and PostgreSQL alike (compare with binary/"C" collation).

    U+10FFFF is the highest code point and never occurs in a key (it is a noncharacter, and
    search_text refuses it), so every string that starts with `key` sorts below `key + U+10FFFF`.
    An empty key is the whole table: refusing too broad a search is the caller's job.
    """
    return key, key + "\U0010ffff"


def fold(how: str, text: str, variants: Mapping[str, str] | None = None) -> str:
    """The key of one value: how = "kana" (フリガナ), "address" (住所・方書) or "name" (氏名・旧氏・通称)."""
    if how == "kana":
        return fold_kana(text)
    if how == "address":
        return fold_address(text)
    return fold_name(text, variants)
