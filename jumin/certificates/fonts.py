"""What the certificate renderers keep per process: the IPAmj face shaped with HarfBuzz and prepared for subsetting
(`certificate_face`, one a process for both renderers), and the two helpers that keep per-process state safe — a
builder run once however many threads ask (`once`), and a cache bounded by bytes (`ByteBudgetLRU`).

This module imports no other certificate module, so `render` (WeasyPrint) and `form` (the form renderer of
ADR 0002) both build on it without importing each other's internals in a circle (issue #15 item 11).

Why bytes and not entries: a worker lives for days, and the strings it shapes are mostly names, addresses,
発行番号 and 照合番号 that never come back. A cache bounded by a count of entries of unknown size (the old
20,000 shaped strings, ≈ 6–9 KB each) settled at ≈ 190 MB a worker, five workers over the 2 GB contract
(issue #15 item 12). A byte budget says what a worker may hold, whatever the strings are.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass

# What a worker may hold of shaped strings: the labels, dates and fixed sentences of every certificate kind take
# well under 1 MB; the rest is room for the names and addresses repeated within an issue.
DEFAULT_SHAPE_CACHE_BYTES = 16 * 1024 * 1024
SHAPE_CACHE_ENV = "JUMIN_CERTIFICATE_SHAPE_CACHE_MB"


def shape_cache_bytes() -> int:
    """The shaping cache's budget a process: settings.CERTIFICATE_SHAPE_CACHE_BYTES, else the environment's
    JUMIN_CERTIFICATE_SHAPE_CACHE_MB (whole MB), else 16 MB."""
    import os

    from django.conf import settings

    configured = getattr(settings, "CERTIFICATE_SHAPE_CACHE_BYTES", None)
    if configured is not None:
        return int(configured)
    mb = os.environ.get(SHAPE_CACHE_ENV, "").strip()
    return int(mb) * 1024 * 1024 if mb else DEFAULT_SHAPE_CACHE_BYTES


class GlyphMissing(RuntimeError):
    """A character IPAmj has no glyph for reached drawing (the unprintable check should have refused it)."""


class FontMissing(RuntimeError):
    """The certificate font is not installed (Debian package fonts-ipamj-mincho)."""


def once(build):
    """`build()` run once per process, however many threads ask at the same time: the others wait for the one
    building and get the same object (an `lru_cache` would let each of them build its own — two 50 MB faces,
    or two WeasyPrint font configurations — while the worker's start-up thread is still loading). A build that
    raises is not kept, so the next call tries again. `.clear()` forgets the object; `.built()` says whether
    there is one."""
    lock = threading.Lock()
    kept: list = []

    @functools.wraps(build)
    def get():
        if kept:
            return kept[0]
        with lock:
            if not kept:
                kept.append(build())
            return kept[0]

    get.clear = kept.clear
    get.built = lambda: bool(kept)
    return get


class ByteBudgetLRU:
    """A least-recently-used cache that never holds more than `budget` bytes (as the caller sizes each entry).
    An entry larger than the whole budget is not kept. Thread-safe: gunicorn's gthread workers run two
    request threads beside the start-up thread."""

    def __init__(self, budget: int):
        self.budget = budget
        self.bytes = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key, value, size: int) -> None:
        if size > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.budget:
                _key, (_value, evicted) = self._items.popitem(last=False)
                self.bytes -= evicted

    def __contains__(self, key) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0


@dataclass(slots=True)
class Cluster:
    """One shaped cluster: a character, or a base character with its variation selector (one glyph)."""
    text: str
    glyphs: tuple         # ((glyph id, advance in em), …)
    width: float          # em


ENTRY_OVERHEAD = 120  # the OrderedDict's slot and link and the (value, size) tuple, per entry


def shaped_bytes(text: str, clusters: list[Cluster]) -> int:
    """The memory one shaped string holds in the cache: the key, the list, and each cluster with its text and
    glyph tuples (`sys.getsizeof` of each object; small ints shared by the interpreter are counted too, so
    this errs on the high side)."""
    size = ENTRY_OVERHEAD + sys.getsizeof(text) + sys.getsizeof(clusters)
    for c in clusters:
        size += sys.getsizeof(c) + sys.getsizeof(c.text) + sys.getsizeof(c.glyphs) + sys.getsizeof(c.width)
        for glyph in c.glyphs:
            size += sys.getsizeof(glyph) + sys.getsizeof(glyph[0]) + sys.getsizeof(glyph[1])
    return size


class Face:
    """IPAmj明朝 loaded once per process: HarfBuzz shaping, metrics and a face prepared for subsetting.

    Shaped strings are kept in a cache of `cache_bytes` (the labels, dates and fixed sentences recur on every
    page); a caller shaping a string that never repeats (a 発行番号, a 照合番号) says `keep=False`, so it does
    not push a label out."""

    def __init__(self, path: str, cache_bytes: int = DEFAULT_SHAPE_CACHE_BYTES):
        import uharfbuzz as hb

        self.hb = hb
        self.face = hb.Face(hb.Blob.from_file_path(path))  # mapped, not copied: the page cache is shared
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        self.prepared = hb.subset_preprocess(self.face)
        # glyph id → advance: bounded by the font's glyph count (IPAmj ≈ 70,000), not by what is printed
        self.advance: dict[int, int] = {}
        self.shaped = ByteBudgetLRU(cache_bytes)
        from fontTools.ttLib import TTFont

        font = TTFont(path, lazy=True)
        hhea, head = font["hhea"], font["head"]
        self.ascent, self.descent = hhea.ascent / self.upem, -hhea.descent / self.upem
        self.bbox = [round(v * 1000 / self.upem) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.name = font["name"].getDebugName(6) or "IPAmjMincho"
        font.close()

    def clusters(self, text: str, *, keep: bool = True) -> list[Cluster]:
        """The text shaped, as clusters (a base character and its variation selector are one)."""
        found = self.shaped.get(text)
        if found is not None:
            return found
        hb = self.hb
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(self.font, buf, {})
        starts: list[int] = []
        glyphs: list[list] = []
        # clusters are UTF-32 indexes of `text` (add_str counts code points), ascending for this LTR text
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
            if info.codepoint == 0:
                raise GlyphMissing(f"IPAmj明朝に字形がない文字があります: {text!r}")
            if not starts or info.cluster != starts[-1]:
                starts.append(info.cluster)
                glyphs.append([])
            glyphs[-1].append((info.codepoint, pos.x_advance / self.upem))
            if info.codepoint not in self.advance:
                self.advance[info.codepoint] = self.font.get_glyph_h_advance(info.codepoint)
        out = []
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            out.append(Cluster(text[start:end], tuple(glyphs[i]), sum(a for _, a in glyphs[i])))
        if keep:
            self.shaped.put(text, out, shaped_bytes(text, out))
        return out

    def subset_input(self, glyphs, *, flags: int, drop_tables) -> object:
        """A HarfBuzz subset input for these glyph IDs, with `flags` and the tables named in `drop_tables` dropped.
        Each set is taken from the input once: in uharfbuzz 0.51 every further access of a set of the same input
        (`glyph_set`, `sets(…)`) leaks native memory — once a glyph, that was ≈ 10 KB a certificate, for ever
        (issue #15 item 12; `bench/memory.py`, and the test of the PDF writer's memory)."""
        hb = self.hb
        subset_input = hb.SubsetInput()
        glyph_set = subset_input.sets(hb.SubsetInputSets.GLYPH_INDEX)
        for gid in sorted(glyphs):
            glyph_set.add(gid)
        subset_input.flags = flags
        dropped = subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
        for name in drop_tables:
            dropped.add(table_tag(name))
        return subset_input

    def width(self, text: str, size: float, spacing: float = 0.0) -> float:
        """Width in mm at `size` pt, with `spacing` mm after each character (CSS letter-spacing)."""
        clusters = self.clusters(text)
        return sum(c.width for c in clusters) * size * 25.4 / 72 + spacing * len(clusters)


def table_tag(name: str) -> int:
    """An OpenType table tag as HarfBuzz's 32-bit number."""
    a, b, c, d = (ord(ch) for ch in name.ljust(4))
    return (a << 24) | (b << 16) | (c << 8) | d


@once
def certificate_face() -> Face:
    """IPAmj for this process, one for both renderers: the form renderer shapes with it and subsets from its
    prepared face, and WeasyPrint's PDFs (印鑑登録証明書, 日計表, 照会書, the seal) subset from the same prepared
    face (`render._Subsetter`) — a second prepared face through WeasyPrint's HarfBuzz cost ≈ 58 MB of private
    memory a worker and read Pango's own mapping of the 46 MB file whole (issue #15 item 12). Loaded by the
    first caller (the worker's start-up thread, `startup.start_warm_up`); a request that needs it meanwhile
    waits for that load instead of starting a second one."""
    from pathlib import Path

    from jumin.core.charset import CERTIFICATE_FONT

    if not Path(CERTIFICATE_FONT).exists():
        raise FontMissing("証明書用フォント IPAmj明朝 がありません（Debian パッケージ fonts-ipamj-mincho）。")
    return Face(CERTIFICATE_FONT, shape_cache_bytes())
