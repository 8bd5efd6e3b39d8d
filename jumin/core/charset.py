"""The characters the system can print and exchange: IPAmj明朝's cmap (standard-spec §6.3, tooling.md §1).

行政事務標準文字 is the MJ repertoire (plus the GJ additions, which sit in the private use area and are refused
until identified, 文字同定). IPAmj明朝 implements MJ: every MJ character reachable by a code point or a
Moji_Joho/SVS variation sequence is in its cmap (formats 4/12) or its cmap format 14. That one table is used
twice, so the answer is one fact: at entry (`jumin.core.text`, every name and address) and before a
certificate is drawn (`jumin.certificates.render.unprintable`). A character accepted at the counter can
therefore always be printed, and one that cannot be printed is refused when it is typed.

Read once per process, lazily (≈ 0.1 s, two frozensets of ≈ 55,000 and ≈ 11,500 entries), then cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CERTIFICATE_FONT_DIRS = ("/usr/share/fonts/truetype/ipamj",)
CERTIFICATE_FONT = "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"


class RepertoireMissing(RuntimeError):
    """The font that defines the repertoire is not installed (Debian package fonts-ipamj-mincho)."""


def is_variation_selector(code: int) -> bool:
    """SVS (U+FE00–FE0F) or IVS (U+E0100–E01EF)."""
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@lru_cache(maxsize=1)
def font_coverage() -> tuple[frozenset[int], dict[int, frozenset[int]]]:
    """(code points with a glyph, {selector: base code points with a glyph for that sequence})."""
    if not Path(CERTIFICATE_FONT).exists():
        raise RepertoireMissing("文字の確認に使うフォント IPAmj明朝 がありません（Debian パッケージ fonts-ipamj-mincho）。")
    from fontTools.ttLib import TTFont

    font = TTFont(CERTIFICATE_FONT, lazy=True)
    covered: set[int] = set()
    sequences: dict[int, set[int]] = {}
    for table in font["cmap"].tables:
        if table.format == 14:
            for selector, pairs in table.uvsDict.items():
                sequences.setdefault(selector, set()).update(base for base, _glyph in pairs)
        elif table.isUnicode():
            covered.update(table.cmap)
    font.close()
    return frozenset(covered), {k: frozenset(v) for k, v in sequences.items()}


def has_character(code: int) -> bool:
    """True when the font has a glyph for the code point on its own."""
    return code in font_coverage()[0]


def has_sequence(base: int, selector: int) -> bool:
    """True when the font maps exactly this variation sequence (not merely its base character)."""
    return base in font_coverage()[1].get(selector, ())


def unsupported(text: str) -> list[str]:
    """Characters (or base+selector sequences) of `text` outside the repertoire, each once, in order.
    Line breaks, tabs and spaces are layout, not characters, and are left to the caller's rules."""
    covered, sequences = font_coverage()
    out: list[str] = []
    chars = list(text)
    for i, ch in enumerate(chars):
        code = ord(ch)
        if ch in "\n\t ":
            continue
        if is_variation_selector(code):
            base = ord(chars[i - 1]) if i else None
            if base is None or base not in sequences.get(code, ()):
                out.append((chars[i - 1] if i else "") + ch)
            continue
        if code not in covered:
            out.append(ch)
    return list(dict.fromkeys(out))


def code_points(chars: str) -> str:
    """「U+845B U+E0100」: how a character or sequence is named in a refusal."""
    return " ".join(f"U+{ord(ch):04X}" for ch in chars)
