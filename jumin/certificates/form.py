"""The certificate form renderer (ADR 0002): the pages of a `document.Document` drawn on a fixed grid.

WeasyPrint lays out any HTML and spends ≈ 1 ms a value on its box model; a certificate is a fixed form, so this
module places each value itself and writes the PDF with pydyf, ≈ 5× faster a page. What makes the glyphs right
is the same as in WeasyPrint (tooling.md §1–§2):
- every string is shaped by HarfBuzz with the one font file IPAmj明朝, which applies the font's variation-sequence
  table, so a base character with its MJ IVS becomes the variant glyph; there is no fallback font at all, and a
  character without a glyph is refused (`GlyphMissing`) instead of printing a box — `render.unprintable` has
  already refused it before anything was written;
- the embedded font is a subset of that file with a ToUnicode map, so `pdftotext` gives the text (and the IVS)
  back.

The page follows `document.STYLESHEET`'s measures (A4, margins, the 30 mm label columns, .8/1.5 mm padding, line
height 1.35, hairline grid). Page breaks as there: a sheet starts a page, a person's table is never split unless
it is taller than a page, the 認証文 block is kept whole and comes after the last person; the 発行番号 with n/m
and the verification block (照合番号 and a QR code drawn as squares) are on every page. The seal is the one thing
this renderer does not draw: a city's seal is any SVG, so WeasyPrint draws it once — in a child process, kept in
var/seals/ (`seal.drawn_pdf`), so that a worker issuing 住民票 never loads WeasyPrint — and its page is copied
into the PDF as a form XObject, unchanged (`_SealForms`).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zlib
from dataclasses import dataclass, field

import pydyf

from jumin.certificates import seal
from jumin.certificates.fonts import ByteBudgetLRU, Cluster, certificate_face
from jumin.certificates.fonts import GlyphMissing  # noqa: F401 — raised while shaping; callers catch form.GlyphMissing

PT = 25.4 / 72            # one point in mm
MM = 72 / 25.4            # one mm in points
PAGE_W, PAGE_H = 210.0, 297.0
TOP, SIDE, BOTTOM = 14.0, 14.0, 24.0
BODY_W = PAGE_W - 2 * SIDE
LINE = 1.35               # line height, in font sizes
PAD_X, PAD_Y = 1.5, 0.8   # cell padding (mm)
RULE = 0.25               # grid line (mm): two .125 mm cell borders meeting
LABEL_W = 30.0
GREY = "0.949 g"          # #f2f2f2, the label cells
BODY_PT, LABEL_PT, TITLE_PT, MARK_PT = 10.0, 8.0, 17.0, 11.0
CAPTION_H = LABEL_PT * LINE * PT  # the 履歴 caption above a history table

NO_START = set("、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ…‥〜～)]},.:;!?%％")
NO_END = set("（「『【〔〈《“‘([{")
SPACES = set(" \u3000")


# ------------------------------------------------------------------ the font, shaped with HarfBuzz (fonts.Face)

face = certificate_face  # IPAmj for this process, shared with WeasyPrint's subsetting (fonts.certificate_face)


def _breakable(before: str, after: str) -> bool:
    """May a line end between these two clusters? Japanese text breaks between any two characters except the
    kinsoku ones (no 。」ー… at a line start, no 「（ at a line end); Latin words and numbers stay whole."""
    if not before or not after:
        return False
    a, b = before[-1], after[0]
    if b in SPACES:
        return False             # a space stays at the end of the line it follows
    if a in SPACES:
        return True
    if b in NO_START or a in NO_END:
        return False
    return not (_latin(a) and _latin(b)) or a == "-"


def _latin(ch: str) -> bool:
    return ord(ch) < 0x2E80 and not ch.isspace()


def break_lines(text: str, size: float, width: float, *, keep: bool = True) -> list[list[Cluster]]:
    """`text` in lines no wider than `width` mm at `size` pt (a word wider than the line is broken anywhere).
    `keep=False` for a string that never comes back (a 発行番号, a 照合番号): shaped, not cached."""
    lines: list[list[Cluster]] = []
    room = width / (size * PT)  # in em
    for paragraph in text.split("\n"):
        clusters = face().clusters(paragraph, keep=keep) if paragraph else []
        line: list[Cluster] = []
        used = 0.0
        last_break = 0  # index in `line` where the line may end
        for cluster in clusters:
            if line and used + cluster.width > room + 1e-6 and cluster.text[0] not in SPACES:
                if _breakable(line[-1].text, cluster.text):
                    cut = len(line)
                elif last_break:
                    cut = last_break
                else:
                    cut = len(line)
                lines.append(line[:cut])
                line = line[cut:]
                used = sum(c.width for c in line)
                last_break = 0
            if line and _breakable(line[-1].text, cluster.text):
                last_break = len(line)
            line.append(cluster)
            used += cluster.width
        lines.append(line)
    return [_trim(line) for line in lines]


def _trim(line: list[Cluster]) -> list[Cluster]:
    while line and line[-1].text in SPACES:
        line = line[:-1]
    return line


def _line_width(line: list[Cluster], size: float) -> float:
    return sum(c.width for c in line) * size * PT


def _step(size: float) -> float:
    """The height of a line at `size` pt, in mm (line-height 1.35)."""
    return size * LINE * PT


def _baseline(size: float) -> float:
    """Where the baseline sits below the top of a line box at `size` pt (half the leading above the ascent)."""
    f = face()
    return size * PT * ((LINE - f.ascent - f.descent) / 2 + f.ascent)


# ------------------------------------------------------------------ a page being drawn

@dataclass
class Text:
    x: float       # mm from the left
    y: float       # mm from the top: the baseline
    size: float    # pt
    clusters: list
    spacing: float = 0.0  # mm after each character


@dataclass
class Canvas:
    """One page: filled rectangles, stroked rectangles and text, written as PDF operators at the end (when the
    subset font's glyph numbers are known)."""
    fills: list = field(default_factory=list)     # (x, y, w, h, colour operator)
    strokes: list = field(default_factory=list)   # (x, y, w, h, line width)
    texts: list = field(default_factory=list)
    seal: tuple | None = None                     # (x, y, size mm, form name)

    def text_line(self, x: float, top: float, size: float, line: list[Cluster], spacing: float = 0.0):
        """A line of text whose line box starts at `top` (mm): the baseline sits half the leading below it."""
        self.texts.append(Text(x, top + _baseline(size), size, line, spacing))

    def operators(self, glyph_number) -> bytes:
        out: list[str] = []
        for x, y, w, h, colour in self.fills:
            out.append(f"{colour} {x * MM:.2f} {(PAGE_H - y - h) * MM:.2f} {w * MM:.2f} {h * MM:.2f} re f")
        if self.strokes:
            out.append("0 g 0 G")
            width = None
            for x, y, w, h, line_width in self.strokes:
                if line_width != width:
                    out.append(f"{line_width * MM:.3f} w")
                    width = line_width
                out.append(f"{x * MM:.2f} {(PAGE_H - y - h) * MM:.2f} {w * MM:.2f} {h * MM:.2f} re S")
        out.append("0 g BT")
        f = face()
        current = (None, None)
        for t in self.texts:
            if (t.size, t.spacing) != current:
                out.append(f"/F1 {t.size:g} Tf {t.spacing * MM:.3f} Tc")
                current = (t.size, t.spacing)
            parts, pending = [], []
            for cluster in t.clusters:
                for gid, advance in cluster.glyphs:
                    pending.append(f"{glyph_number[gid]:04x}")
                    drift = advance - f.advance[gid] / f.upem  # HarfBuzz's advance against the font's width
                    if abs(drift) > 1e-6:
                        parts.append(f"<{''.join(pending)}> {-drift * 1000:.1f}")
                        pending = []
            if pending:
                parts.append(f"<{''.join(pending)}>")
            out.append(f"1 0 0 1 {t.x * MM:.2f} {(PAGE_H - t.y) * MM:.2f} Tm [{' '.join(parts)}] TJ")
        out.append("ET")
        if self.seal:
            x, y, size, name = self.seal
            out.append(f"q {size * MM:.3f} 0 0 {size * MM:.3f} {x * MM:.2f} {(PAGE_H - y - size) * MM:.2f} cm /{name} Do Q")
        return "\n".join(out).encode()

    def glyphs(self) -> set[int]:
        return {gid for t in self.texts for c in t.clusters for gid, _ in c.glyphs}


# ------------------------------------------------------------------ tables and blocks

@dataclass
class Cell:
    x: float
    width: float
    lines: list
    size: float
    label: bool


@dataclass
class Row:
    cells: list
    height: float


def _cell(x: float, width: float, text: str, size: float, label: bool) -> Cell:
    """A label is kept in the shaping cache (it is on every certificate); a value — a name, an address, a date
    of one person — is shaped each time (≈ 11 µs): caching what seldom comes back only churned the cache, and
    the churn itself grew the process (≈ 10 KB a certificate with a full 16 MB cache, issue #15 item 12)."""
    inner = width - 2 * PAD_X - RULE
    return Cell(x, width, break_lines(text, size, inner, keep=label), size, label)


def _row(cells: list[Cell]) -> Row:
    content = max(len(c.lines) * _step(c.size) for c in cells)
    return Row(cells, content + 2 * PAD_Y + RULE)


def _pt(css_size: str) -> float:
    return float(css_size.removesuffix("pt"))


def table_rows(pairs: list[list], columns: int) -> list[Row]:
    """Rows of label/value cells: `pairs` is a list of rows, each a list of (label, value, size pt); a row with
    one pair spans the table (colspan 3 in the HTML form)."""
    value_w = (BODY_W - columns // 2 * LABEL_W) / (columns // 2)
    rows = []
    for pairs_of_row in pairs:
        cells, x = [], SIDE
        for label, value, size in pairs_of_row:
            cells.append(_cell(x, LABEL_W, label, LABEL_PT, True))
            x += LABEL_W
            width = value_w if len(pairs_of_row) > 1 else BODY_W - (x - SIDE)
            cells.append(_cell(x, width, value, size, False))
            x += width
        rows.append(_row(cells))
    return rows


@dataclass
class Block:
    """Something placed in the flow: a title, a table, the 認証文. A block that does not fit moves whole to the next
    page; only a table taller than a whole page is split, between rows."""
    height: float
    draw: object          # draw(canvas, top)
    margin: float = 0.0   # above; collapses with the block before's `after`, as CSS margins do
    after: float = 0.0
    rows: list | None = None  # a table that may be split between rows when it is taller than a page
    caption: str = ""
    force_page: bool = False


def _draw_rows(canvas: Canvas, rows: list[Row], top: float) -> float:
    y = top
    for row in rows:
        for c in row.cells:
            if c.label:
                canvas.fills.append((c.x, y, c.width, row.height, GREY))
            canvas.strokes.append((c.x, y, c.width, row.height, RULE))
            line_top = y + PAD_Y + RULE / 2
            for line in c.lines:
                canvas.text_line(c.x + RULE / 2 + PAD_X, line_top, c.size, line)
                line_top += _step(c.size)
        y += row.height
    return y


def table_block(rows: list[Row], *, margin: float, caption: str = "", force_page: bool = False) -> Block:
    caption_h = CAPTION_H if caption else 0.0

    def draw(canvas: Canvas, top: float, rows=rows):
        if caption:
            canvas.text_line(SIDE, top, LABEL_PT, break_lines(caption, LABEL_PT, BODY_W)[0])
        _draw_rows(canvas, rows, top + caption_h)

    return Block(caption_h + sum(r.height for r in rows), draw, margin=margin, rows=rows, caption=caption,
                 force_page=force_page)


def paragraph_block(text: str, size: float, *, margin: float = 0.0, after: float = 0.0, x: float = SIDE,
                    width: float = BODY_W) -> Block:
    lines = break_lines(text, size, width)
    step = _step(size)

    def draw(canvas: Canvas, top: float):
        for i, line in enumerate(lines):
            canvas.text_line(x, top + i * step, size, line)

    return Block(len(lines) * step, draw, margin=margin, after=after)


def title_block(doc, *, force_page: bool) -> Block:
    """h1: 17 pt, centred, letter-spacing .3 em; 再交付 / 公用 boxed beside it at 11 pt."""
    f = face()
    spacing = 0.3 * TITLE_PT * PT
    marks = [m for m, on in (("再交付", doc.reissue), ("公用", doc.official)) if on]
    title_w = f.width(doc.title, TITLE_PT, spacing)
    mark_ws = [f.width(m, MARK_PT) + 2 * 1.5 + 2 * 0.3 for m in marks]
    total = title_w + sum(w + 3 for w in mark_ws)
    height = _step(TITLE_PT)

    def draw(canvas: Canvas, top: float):
        x = SIDE + (BODY_W - total) / 2
        canvas.text_line(x, top, TITLE_PT, f.clusters(doc.title), spacing)
        x += title_w
        for mark, w in zip(marks, mark_ws):
            x += 3
            # an inline box: its text shares the title's baseline, its border wraps the 11 pt line
            mark_top = top + _baseline(TITLE_PT) - _baseline(MARK_PT)
            box_top = mark_top + MARK_PT * PT * (LINE - 1) / 2 - 0.3
            canvas.strokes.append((x + 0.15, box_top + 0.15, w - 0.3, MARK_PT * PT + 0.6 - 0.3, 0.3))
            canvas.text_line(x + 0.3 + 1.5, mark_top, MARK_PT, f.clusters(mark))
            x += w

    return Block(height, draw, after=3.0, force_page=force_page)


# ------------------------------------------------------------------ the document

def _blocks(doc, issued_on: str, seal_name: str | None) -> list[Block]:
    blocks: list[Block] = []
    for index, sheet in enumerate(doc.sheets):
        blocks.append(title_block(doc, force_page=index > 0))
        if doc.header:
            blocks.append(table_block(table_rows([[(c.label, c.value, _pt(c.size))] for c in doc.header], 2),
                                      margin=0.0))
        for person in sheet:
            pairs = [[(c.label, c.value, _pt(c.size)) for c in row] for row in person["rows"]]
            if person["remarks"]:
                pairs.append([("備考", "、".join(person["remarks"]), BODY_PT)])
            blocks.append(table_block(table_rows(pairs, 4), margin=2.5))
            if person["history"]:
                rows = table_rows([[(c.label, c.value, _pt(c.size))] for c in person["history"]], 2)
                blocks.append(table_block(rows, margin=2.5, caption="履歴"))
    if doc.overflow:
        blocks.append(paragraph_block("※ 枠に収まらない事項があります。", LABEL_PT, margin=2.0, after=LABEL_PT * PT))
    signatory = doc.signatory
    if doc.kind.attestation:
        blocks.append(_closing_block(doc.attestation, issued_on, signatory, seal_name, margin=6.0, gap=2.0,
                                     seal_text=getattr(signatory, "seal_omitted_text", "") if seal_name is None else ""))
    else:
        text = ("あなたの住民票コードは上記のとおりです。住民票コードは、住民基本台帳ネットワークシステムで本人確認のために"
                "用いられます。")
        blocks.append(_closing_block(text, issued_on, signatory, None, margin=5.0, gap=BODY_PT * PT, seal_text=""))
    return blocks


def _closing_block(text: str, issued_on: str, signatory, seal_name, *, margin: float, gap: float,
                   seal_text: str) -> Block:
    """The 認証文 (or the 通知票's notice), the date and the signatory with the seal: kept whole."""
    lines = break_lines(text, BODY_PT, BODY_W)
    step = _step(BODY_PT)
    signer = f"{signatory.title}\u3000{signatory.name}" if signatory is not None else ""
    if seal_text:
        signer += f"\u3000{seal_text}"
    signer_lines = break_lines(signer, 12.0, BODY_W - 70.0)
    date_top = len(lines) * step + gap
    signer_top = date_top + step + max(gap, 4.0)  # the signatory's 4 mm collapse with the paragraph's margin
    height = signer_top + 25.0

    def draw(canvas: Canvas, top: float):
        for i, line in enumerate(lines):
            canvas.text_line(SIDE, top + i * step, BODY_PT, line)
        canvas.text_line(SIDE, top + date_top, BODY_PT, break_lines(issued_on, BODY_PT, BODY_W)[0])
        for i, line in enumerate(signer_lines):
            canvas.text_line(SIDE + 70.0, top + signer_top + i * _step(12.0), 12.0, line)
        if seal_name:
            canvas.seal = (SIDE + 70.0 + 88.0, top + signer_top - 6.0, 22.0, seal_name)

    return Block(height, draw, margin=margin)


def paginate(blocks: list[Block]) -> list[Canvas]:
    """Place the blocks top-down; a block that does not fit goes to the next page (margins at a page top are
    dropped, as CSS does after a break); a table taller than a whole page is split between rows."""
    room = PAGE_H - TOP - BOTTOM
    pages = [Canvas()]
    y, after = 0.0, 0.0
    for block in blocks:
        if block.force_page and y > 0:
            pages.append(Canvas())
            y = 0.0
        margin = max(block.margin, after) if y > 0 else 0.0
        after = block.after
        if y + margin + block.height > room + 1e-6 and y > 0:
            pages.append(Canvas())
            y, margin = 0.0, 0.0
        if block.height <= room + 1e-6 or not block.rows:
            block.draw(pages[-1], TOP + y + margin)
            y += margin + block.height
            continue
        rows = list(block.rows)  # taller than a page: as many rows as fit on each page
        caption = block.caption
        y += margin
        while rows:
            take, used = 0, (CAPTION_H if caption else 0.0)
            while take < len(rows) and y + used + rows[take].height <= room + 1e-6:
                used += rows[take].height
                take += 1
            if take == 0 and y == 0:
                take = 1  # a single row taller than a page: drawn, and it runs into the bottom margin
            if take:
                table_block(rows[:take], margin=0.0, caption=caption).draw(pages[-1], TOP + y)
                rows, caption = rows[take:], ""
                y += used
            if rows:
                pages.append(Canvas())
                y = 0.0
    return pages


def _footer(canvas: Canvas, number: str, verification_code: str, municipality: str, qr_modules: list) -> None:
    """Every page: the 発行番号 with n/m at the bottom left; the 照合番号 and QR code at the bottom right."""
    top = PAGE_H - BOTTOM
    for i, line in enumerate(break_lines(number, 8.0, 110.0, keep=False)):  # its own 通番: never again
        canvas.text_line(SIDE, top + 2.0 + i * _step(8.0), 8.0, line)
    qr_x = PAGE_W - SIDE - 15.0
    right = qr_x - 2.0
    step = _step(7.5)
    lines = [line for text, keep in (("照合番号", True), (verification_code, False), (f"発行 {municipality}", True))
             for line in break_lines(text, 7.5, 53.0, keep=keep)]  # a long municipality name wraps, never cut
    for i, line in enumerate(lines):
        canvas.text_line(right - _line_width(line, 7.5), top + i * step, 7.5, line)
    count = len(qr_modules)
    module = 15.0 / count
    for r, row in enumerate(qr_modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                canvas.fills.append((qr_x + start * module, top + r * module, (c - start) * module, module, "0 g"))
            else:
                c += 1


def qr_modules(data: str) -> list:
    """The verification URL as a QR code's modules (a quiet zone of 1, as the PNG of the HTML form)."""
    import qrcode

    qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


# ------------------------------------------------------------------ the seal, drawn by WeasyPrint once

SEAL_CACHE_BYTES = 4 * 1024 * 1024  # a drawn seal is ≈ 10–60 KB; a city has a handful of signatories


class _SealForms:
    """A city's seal is any SVG: WeasyPrint draws it once (a 22 mm page, `seal.drawn_pdf`: kept in var/seals/, drawn
    by a child process, so this process needs no WeasyPrint) and its page — content, fonts, images — is copied
    into each certificate's PDF as a form XObject, unchanged. The parsed seals are kept within SEAL_CACHE_BYTES (an
    SVG may be large, and a seal replaced stays in no worker for ever)."""

    def __init__(self, budget: int = SEAL_CACHE_BYTES):
        self.pdfs = ByteBudgetLRU(budget)
        self.lock = threading.Lock()

    def source(self, svg: str) -> tuple:
        key = hashlib.sha256(svg.encode()).hexdigest()
        with self.lock:
            found = self.pdfs.get(key)
            if found is None:
                try:
                    objects, page = _parse_pdf(seal.drawn_pdf(svg))
                except (ValueError, AttributeError, KeyError, IndexError):  # a kept drawing that is not whole
                    objects, page = _parse_pdf(seal.drawn_pdf(svg, fresh=True))
                found = ({n: _deflated(head, stream) for n, (head, stream) in objects.items()}, page)
                size = sum(len(head) + len(stream or b"") + 200 for head, stream in found[0].values())
                self.pdfs.put(key, found, size)
            return found


_seal_forms = _SealForms()


_REF = re.compile(rb"(\d+) 0 R")


def _parse_pdf(pdf: bytes) -> tuple:
    """(objects {number: (dictionary or value bytes, stream bytes or None)}, page number) of a classic-xref PDF
    as pydyf writes it uncompressed."""
    xref = pdf.rindex(b"\nxref\n") + 1
    lines = pdf[xref:].split(b"\n")
    first, count = map(int, lines[1].split())
    objects = {}
    for i in range(count):
        offset, _generation, state = lines[2 + i].split()  # "0000000015 00000 n"
        if state != b"n":
            continue
        offset = int(offset)
        number = first + i
        start = pdf.index(b"obj", offset) + 3
        end = pdf.index(b"endobj", start)
        body = pdf[start:end].strip()
        stream = None
        if body.startswith(b"<<") and b"stream" in body:
            head_end = _dict_end(pdf, pdf.index(b"<<", start))
            head = pdf[pdf.index(b"<<", start):head_end]
            after = pdf.index(b"stream", head_end) + len(b"stream")
            after += 2 if pdf[after:after + 2] == b"\r\n" else 1
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            stream = pdf[after:after + length]
            body = head
            end = pdf.index(b"endobj", after + length)
        objects[number] = (body, stream)
    root = int(re.search(rb"/Root (\d+) 0 R", pdf[xref:]).group(1))
    pages = int(re.search(rb"/Pages (\d+) 0 R", objects[root][0]).group(1))
    page = int(re.search(rb"/Kids \[\s*(\d+) 0 R", objects[pages][0]).group(1))
    return objects, page


def _dict_end(pdf: bytes, start: int) -> int:
    depth, i = 0, start
    while True:
        if pdf.startswith(b"<<", i):
            depth += 1
            i += 2
        elif pdf.startswith(b">>", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        elif pdf[i:i + 1] == b"(":  # a string: skip to its closing parenthesis
            i = pdf.index(b")", i) + 1
        else:
            i += 1


class _Raw(pydyf.Object):
    """An object copied from the seal's PDF, written as it is (a stream may not go into an object stream)."""

    def __init__(self):
        super().__init__()
        self.body = b""
        self.stream = False

    @property
    def data(self):
        return self.body

    @property
    def compressible(self):
        return not self.stream


def _deflated(head: bytes, stream: bytes | None) -> tuple:
    """WeasyPrint wrote the seal uncompressed (to be parsed here): its unfiltered streams are deflated once."""
    if stream is None or b"/Filter" in head:
        return head, stream
    stream = zlib.compress(stream, 6)
    return re.sub(rb"/Length \d+", b"/Length %d" % len(stream), head[:-2] + b"/Filter /FlateDecode>>"), stream


def _stream_body(head: bytes, stream: bytes) -> bytes:
    return head + b"\nstream\n" + stream + b"\nendstream"


def _copy_seal(out: pydyf.PDF, svg: str) -> pydyf.Object:
    """The seal's page as a form XObject of `out` (1 unit = the whole 22 mm seal), with every object it uses."""
    objects, page_number = _seal_forms.source(svg)
    page = objects[page_number][0]
    resources = _value_of(page, b"/Resources", objects)
    contents = re.search(rb"/Contents (\d+) 0 R", page)
    box = re.search(rb"/MediaBox \[\s*([\d.\s-]+)\]", page).group(1).split()
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    content = objects[int(contents.group(1))]
    numbers: dict[int, _Raw] = {}

    def copy(number: int) -> _Raw:
        if number not in numbers:
            raw = _Raw()
            numbers[number] = raw
            out.add_object(raw)
            body, stream = objects[number]
            raw.stream = stream is not None
            raw.body = _stream_body(_renumber(body, copy), stream) if raw.stream else _renumber(body, copy)
        return numbers[number]

    resources = _renumber(resources, copy)
    form = _Raw()
    form.stream = True
    out.add_object(form)
    head = (re.sub(rb"/Length \d+", b"", content[0][:-2]) + b"/Length %d " % len(content[1])
            + b"/Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] " % (width, height)
            + b"/Matrix [%.6f 0 0 %.6f 0 0] /Resources " % (1 / width, 1 / height) + resources + b">>")
    form.body = _stream_body(head, content[1])
    return form


def _value_of(dictionary: bytes, key: bytes, objects: dict) -> bytes:
    """A key's value in a dictionary: an inline << … >> or the body of the object referenced."""
    at = dictionary.index(key) + len(key)
    rest = dictionary[at:].lstrip()
    if rest.startswith(b"<<"):
        return rest[:_dict_end(rest, 0)]
    return objects[int(re.match(rb"(\d+) 0 R", rest).group(1))][0]


def _renumber(body: bytes, copy) -> bytes:
    return _REF.sub(lambda m: copy(int(m.group(1))).reference, body)


# ------------------------------------------------------------------ the PDF

# the tables no page of ours reads: layout (the glyphs are already shaped), vertical metrics, baselines
DROPPED_TABLES = ("GSUB", "GPOS", "BASE", "DSIG", "JSTF", "vhea", "vmtx", "VORG")


def _write_pdf(pages: list[Canvas], seal_svg: str | None, title: str = "") -> bytes:
    f = face()
    hb = f.hb
    used = set().union(*(p.glyphs() for p in pages)) | {0}
    plan_input = f.subset_input(used, flags=hb.SubsetFlags.NO_HINTING, drop_tables=DROPPED_TABLES)
    plan = hb.SubsetPlan(f.prepared, plan_input)
    numbers = plan.old_to_new_glyph_mapping
    font_bytes = plan.execute().blob.data
    out = pydyf.PDF()
    out.info["Producer"] = pydyf.String("jumin")
    if title:
        out.info["Title"] = pydyf.String(title)
    font_file = pydyf.Stream([font_bytes], {"Length1": len(font_bytes)}, compress=True)
    out.add_object(font_file)
    chars: dict[int, str] = {}
    for page in pages:
        for text in page.texts:
            for cluster in text.clusters:
                for i, (gid, _advance) in enumerate(cluster.glyphs):
                    chars.setdefault(numbers[gid], cluster.text if i == 0 else "")
    cmap = _to_unicode(chars)
    to_unicode = pydyf.Stream([cmap], compress=True)
    out.add_object(to_unicode)
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(sorted(used)).encode()).digest()[:6])
    name = f"/{tag}+{f.name}"
    descriptor = pydyf.Dictionary({
        "Type": "/FontDescriptor", "FontName": name, "Flags": 4, "FontBBox": pydyf.Array(f.bbox), "ItalicAngle": 0,
        "Ascent": round(f.ascent * 1000), "Descent": -round(f.descent * 1000), "CapHeight": round(f.ascent * 1000),
        "StemV": 80, "FontFile2": font_file.reference})
    out.add_object(descriptor)
    widths = []
    for gid in sorted(used):
        advance = f.advance[gid] if gid in f.advance else f.font.get_glyph_h_advance(gid)  # .notdef: not shaped
        widths += [numbers[gid], pydyf.Array([round(advance * 1000 / f.upem)])]
    cid_font = pydyf.Dictionary({
        "Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": name,
        "CIDSystemInfo": pydyf.Dictionary({"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"),
                                           "Supplement": 0}),
        "FontDescriptor": descriptor.reference, "DW": 1000, "W": pydyf.Array(widths), "CIDToGIDMap": "/Identity"})
    out.add_object(cid_font)
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type0", "BaseFont": name, "Encoding": "/Identity-H",
                             "DescendantFonts": pydyf.Array([cid_font.reference]), "ToUnicode": to_unicode.reference})
    out.add_object(font)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    if seal_svg and any(p.seal for p in pages):
        resources["XObject"] = pydyf.Dictionary({"Seal": _copy_seal(out, seal_svg).reference})
    out.add_object(resources)
    for page in pages:
        content = pydyf.Stream([page.operators(numbers)], compress=True)
        out.add_object(content)
        out.add_page(pydyf.Dictionary({
            "Type": "/Page", "Parent": out.pages.reference, "MediaBox": pydyf.Array([0, 0, PAGE_W * MM, PAGE_H * MM]),
            "Contents": content.reference, "Resources": resources.reference}))
    buffer = io.BytesIO()
    out.write(buffer, compress=True)
    return buffer.getvalue()


def _to_unicode(chars: dict[int, str]) -> bytes:
    entries = []
    for gid, text in sorted(chars.items()):
        if text:
            entries.append(f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>")
    out = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
           "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
           "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange"]
    for i in range(0, len(entries), 100):
        chunk = entries[i:i + 100]
        out += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(out).encode()


_render_lock = threading.Lock()


def render_document(doc, *, serials: list[int], municipality_name: str, terminal: str, printer: str,
                    verification_code: str, verification_url: str, day) -> tuple[bytes, list[str], int]:
    """Every copy of one issue in one PDF, each copy with its own 通番 and n/m (standard-spec §4.2), as
    `render.render_copies` does for the HTML form. Returns (pdf, 発行番号 of every page, pages)."""
    from jumin.certificates.rules import issue_number
    from jumin.core.wareki import format_wareki

    seal_svg = doc.signatory.seal_svg if doc.signatory is not None and doc.signatory.seal_svg else None
    modules = qr_modules(verification_url + verification_code)
    issued_on = format_wareki(doc.issued_on)
    with _render_lock:
        layout = paginate(_blocks(doc, issued_on, "Seal" if seal_svg else None))  # the same for every copy
        pages: list[Canvas] = []
        numbers: list[str] = []
        for serial in serials:
            base = issue_number(day, municipality_name, terminal, printer, serial, 0, 0).rsplit(" ", 1)[0]
            for n, laid_out in enumerate(layout, start=1):
                canvas = Canvas(list(laid_out.fills), list(laid_out.strokes), list(laid_out.texts), laid_out.seal)
                number = f"{base} {n}/{len(layout)}"
                _footer(canvas, number, verification_code, doc.municipality.name, modules)
                numbers.append(number)
                pages.append(canvas)
        return _write_pdf(pages, seal_svg, doc.title), numbers, len(pages)


def text_pdf(text: str, size: float) -> bytes:
    """One string on a page, for the glyph tests: the same shaping, subsetting and writing as a certificate."""
    canvas = Canvas()
    for i, line in enumerate(break_lines(text, size, BODY_W)):
        canvas.text_line(SIDE, TOP + i * _step(size), size, line)
    return _write_pdf([canvas], None)


def warm_up() -> None:
    """The font (mapped, and prepared for subsetting: ≈ 0.5 s and ≈ 60 MB, shared with WeasyPrint's subsetting) and
    the seals in use (kept drawings, or drawn once by a child process): no WeasyPrint in this process."""
    from jumin.certificates.models import Signatory

    face().clusters("住民票の写し")
    for svg in Signatory.objects.exclude(seal_svg="").values_list("seal_svg", flat=True)[:8]:
        _seal_forms.source(svg)
