"""The 異体字 → 正字 map for name search keys, built from the MJ縮退マップ (standard-spec §6.1, tooling.md §3).

A clerk must find 髙橋 by typing 高橋, and 渡邊 or 渡邉 (with or without an IVS) by typing 渡辺. The map
is national reference data, never a hand-written list: `jumin build_reference_data` builds it at
install time from the npm package @mandel59/mojidata (its SQLite file moji.db holds the MJ文字情報一覧表
and the MJ縮退マップ of IPA) and writes var/reference/mj-variants.json; `load_variant_map` reads it.

How the map is built (`build_variant_map`), one MJ character at a time:

* Keys. The character's 実装したMoji_JohoコレクションIVS (邉 + U+E0110), its 実装したSVS (欄 + U+FE00)
  and its 実装したUCS (the bare code point it is implemented as, e.g. 﨑 U+FA11). A bare code point
  is keyed only by the MJ character that implements it: the ten other MJ characters whose
  対応するUCS is 邊 are IVS forms and do not decide what a plain 邊 means. 対応するUCS is a key only
  when no MJ character implements that code point (none in 1.8.1, kept for later versions).
* Target, from the first of these MJ縮退マップ tables that has a row for the character:
    1. 戸籍統一文字情報_親字正字, fewest ホップ数 (髙→高, 﨑→崎, 邊→辺, 邉→辺, 濱→浜, 齋→斎);
    2. 法務省告示582号別表第四 (一, then 二), lowest 順位 (入管正字: foreign residents' kanji names);
    3. JIS包摂規準UCS統合規則 (an IVS form → the code point JIS unifies it with: 辻 + U+E0102 → 辻).
  When a table gives several targets with the same rank (邉 → 辺 and 邊), a 常用漢字 (the package's
  `joyo` table) is preferred, then the lowest code point, so the build is deterministic.
* Closure: targets are followed through the map until they no longer change (邉 + U+E0110 →
  邉 → 辺; 﨑 + U+E0103 → 﨑 → 崎). A cycle resolves to its first member by the rule above.
* Identity mappings (高 → 高) are dropped.

齊 and 斉/斎: the 戸籍 data map 齊 → 斉 and 齋 → 斎, and no table of the package links 斉 with 斎 (セイ and
サイ are different 正字). Issue #3 lists 齋/齊 → 斎, and clerks do confuse 斉藤, 斎藤, 齊藤 and 齋藤 (all サイトウ);
a missed match is a duplicate registration, an extra one is told apart by birth date in the results. So the
search adds one equivalence on top of the data, here and nowhere else: SEARCH_EQUIVALENTS (斉 → 斎), applied
to the installed map when it is loaded (`with_search_equivalents`). 斉藤 and 斎藤 are still different names:
only the search key is folded, and the results show each as written.

The file is read once per process and cached: it is national reference data, the same for every
municipality. Its location is $JUMIN_REFERENCE_DIR (default <repo>/var/reference).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from pathlib import Path

from jumin.core.reference import REFERENCE_DIR_ENV, reference_dir  # noqa: F401  (re-exported)

VARIANTS_FILE = "mj-variants.json"

TABLE_PRIORITY = (
    "mjsm_戸籍統一文字情報_親字正字 (fewest ホップ数)",
    "mjsm_法務省告示582号別表第四_一, _二 (lowest 順位)",
    "mjsm_JIS包摂規準UCS統合規則",
)

# Each table as (SQL giving MJ文字図形名, 縮退UCS, rank); a lower rank is preferred.
_TABLES = (
    'SELECT "MJ文字図形名", "縮退UCS", "ホップ数" FROM "mjsm_戸籍統一文字情報_親字正字"',
    'SELECT "MJ文字図形名", "縮退UCS", "順位" FROM "mjsm_法務省告示582号別表第四_一" '
    'UNION ALL SELECT "MJ文字図形名", "縮退UCS", 1000 + "順位" FROM "mjsm_法務省告示582号別表第四_二"',
    'SELECT "MJ文字図形名", "縮退UCS", 0 FROM "mjsm_JIS包摂規準UCS統合規則"',
)


class ReferenceDataMissing(RuntimeError):
    """The built reference data is not installed."""




def _best_targets(db: sqlite3.Connection, sql: str) -> dict[str, list[str]]:
    """MJ文字図形名 → the 縮退UCS values with the best rank in one table."""
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for mj, target, rank in db.execute(sql):
        if target:
            ranked[mj].append((rank if rank is not None else 0, target))
    best = {}
    for mj, rows in ranked.items():
        top = min(rank for rank, _ in rows)
        best[mj] = sorted({target for rank, target in rows if rank == top})
    return best


def build_variant_map(moji_db_path) -> dict[str, str]:
    """{variant (character, or character + selector): 正字} from moji.db; see the module docstring."""
    db = sqlite3.connect(f"file:{Path(moji_db_path)}?mode=ro", uri=True)
    try:
        characters = db.execute(
            'SELECT "MJ文字図形名", "対応するUCS", "実装したUCS", "実装したMoji_JohoコレクションIVS", "実装したSVS" '
            'FROM "mji" ORDER BY "MJ文字図形名"'
        ).fetchall()
        tables = [_best_targets(db, sql) for sql in _TABLES]
        joyo = {row[0] for row in db.execute('SELECT DISTINCT "漢字" FROM "joyo"')}
    finally:
        db.close()

    def preference(ch: str) -> tuple[bool, int]:
        return (ch not in joyo, ord(ch[0]))

    direct: dict[str, str] = {}
    implemented = {ucs for _, _, ucs, _, _ in characters if ucs}
    for mj, corresponding, ucs, ivs, svs in characters:
        candidates = next((table[mj] for table in tables if mj in table), None)
        if not candidates:
            continue
        target = min(candidates, key=preference)
        keys = [ivs, svs, ucs]
        if corresponding and corresponding not in implemented:
            keys.append(corresponding)
        for key in keys:
            if key and key not in direct:
                direct[key] = target

    def resolve(key: str) -> str:
        seen = [key]
        target = direct[key]
        while target in direct and direct[target] != target:
            if target in seen:  # a cycle: every member resolves to the same preferred member
                cycle = seen[seen.index(target):]
                return min((ch for ch in cycle if len(ch) == 1), key=preference, default=target)
            seen.append(target)
            target = direct[target]
        return target

    resolved = {key: resolve(key) for key in direct}
    return {key: target for key, target in sorted(resolved.items()) if key != target}


# Issue #3 (齋/齊 → 斎), on top of the MJ data: see the module docstring. Changing it needs the keys rebuilt
# (a migration like search.0006, or `jumin reindex_search`).
SEARCH_EQUIVALENTS = {"斉": "斎"}


def with_search_equivalents(variants: dict[str, str]) -> dict[str, str]:
    """The data's map with SEARCH_EQUIVALENTS applied to its targets and added as keys of their own."""
    out = {key: SEARCH_EQUIVALENTS.get(target, target) for key, target in variants.items()}
    out.update(SEARCH_EQUIVALENTS)
    return out


_cache: dict[str, str] | None = None


def load_variant_map() -> dict[str, str]:
    """The installed 異体字 → 正字 map, read once per process."""
    global _cache
    if _cache is None:
        path = reference_dir() / VARIANTS_FILE
        if not path.exists():
            raise ReferenceDataMissing(
                f"異体字の参照データ {path} がありません。`make reference-data`（または "
                "`jumin build_reference_data`）を実行してから起動してください。"
            )
        with path.open(encoding="utf-8") as f:
            _cache = with_search_equivalents(json.load(f)["variants"])
    return _cache
