"""HTML → PDF with WeasyPrint and IPAmj明朝 only (tooling.md §1–§2).

Two traps from tooling.md are closed here, in one place:
- silent font fallback: fontconfig reads a private configuration (`var/fontconfig/fonts.conf`) that knows
  only the certificate fonts, so no other installed font can ever be substituted for a missing glyph;
- missing glyphs: before rendering, every character and every IVS of the text is checked against the font's
  cmap; what the font cannot draw is reported (印字できない文字) instead of printing a box or a base glyph.

The FONTCONFIG_FILE variable must be set before fontconfig first initialises in this process, which happens
when WeasyPrint first lays out text: `renderer()` sets it, then imports WeasyPrint.
"""

from __future__ import annotations

import atexit
import os
import threading
import zlib
from functools import lru_cache, partial
from pathlib import Path

from django.conf import settings

from jumin.certificates.fonts import FontMissing, certificate_face, once  # noqa: F401 (render.FontMissing)
from jumin.core.charset import CERTIFICATE_FONT, CERTIFICATE_FONT_DIRS  # noqa: F401 (one font path, in core)
FONT_FAMILY = "IPAmjMincho"

_lock = threading.Lock()


def _fontconfig_file() -> Path:
    base = Path(settings.VAR_DIR) / "fontconfig"
    base.mkdir(parents=True, exist_ok=True)
    conf = base / "fonts.conf"
    dirs = "\n".join(f"  <dir>{d}</dir>" for d in CERTIFICATE_FONT_DIRS)
    text = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Written by jumin.certificates.render: certificate fonts only, so nothing can be substituted. -->
<fontconfig>
{dirs}
  <cachedir>{base / "cache"}</cachedir>
</fontconfig>
"""
    if not conf.exists() or conf.read_text() != text:
        conf.write_text(text)
    return conf


# The few user-agent rules our templates need. WeasyPrint's full HTML5 stylesheet has hundreds of rules that
# every element is matched against; certificates use a dozen element types (measured: ~15 ms a page saved).
UA_CSS = """
html, body, div, p, h1, h2, section, header, footer { display: block; }
head, style, title, script, meta { display: none; }
body { margin: 0; }
p { margin: 1em 0; }
h1 { font-weight: bold; margin: .67em 0; }
table { display: table; border-spacing: 2px; box-sizing: border-box; }
thead { display: table-header-group; } tbody { display: table-row-group; }
tr { display: table-row; } td, th { display: table-cell; }
th { font-weight: bold; }
colgroup { display: table-column-group; } col { display: table-column; }
caption { display: table-caption; }
strong, b { font-weight: bold; }
br::before { content: "\\A"; white-space: pre-line; }
"""


class _FontData:
    """WeasyPrint 70 copies the whole font file into Python for every font object it builds (46 MB for IPAmj,
    ~18 ms each, twice a page), although the copy is only read when the font is variable or has colour glyphs,
    which IPAmj has not. The same face has the same blob, so one object per process serves them all: the font
    file mapped read-only (checked against the blob's first 64 KB), so its pages are the page cache's and are
    only touched where read — not 46 MB of private memory in every worker. Only blobs the size of a certificate
    font file are served this way: subset results pass."""

    def __init__(self, original, sizes):
        self.original = original
        self.sizes = sizes
        self.cache: dict[tuple[int, int], bytes] = {}

    def __call__(self, hb_object, ot_color=None, glyph=None):
        if ot_color is None:
            from weasyprint.text.ffi import ffi, harfbuzz

            blob = harfbuzz.hb_face_reference_blob(hb_object)
            with ffi.new("unsigned int *") as length:
                pointer = harfbuzz.hb_blob_get_data(blob, length)
                key = (int(ffi.cast("uintptr_t", pointer)), int(length[0]))
            harfbuzz.hb_blob_destroy(blob)
            if key[1] in self.sizes:
                if key not in self.cache:
                    head = bytes(ffi.buffer(pointer, min(65536, key[1])))
                    self.cache[key] = _mapped_font(key[1], head) or self.original(hb_object)
                return self.cache[key]
        return self.original(hb_object, ot_color, glyph)


def _mapped_font(size: int, head: bytes):
    """The certificate font file mapped read-only, when it is the file the blob was read from; else None."""
    import mmap

    with open(CERTIFICATE_FONT, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) == size and mapped[:len(head)] == head:
        return mapped
    mapped.close()
    return None


class _Subsetter:
    """WeasyPrint 70 subsets the font of every PDF in two HarfBuzz passes over the unprepared 46 MB face: the
    first rebuilds HarfBuzz's tables of the whole font (≈ 25 ms), the second only re-applies the flags
    (≈ 13 ms, because retained glyph IDs make it copy 60,000 empty glyphs again). The certificate font is subset
    instead in one pass, with the same flags, from the face the form renderer prepares for subsetting once per
    process (`fonts.certificate_face`, uharfbuzz): ≈ 2 ms, the same glyph IDs with the same outlines. One prepared
    face a process, not two: preparing a second one through WeasyPrint's HarfBuzz (Pango's face) cost ≈ 58 MB of
    private memory a worker and read Pango's mapping of the 46 MB file whole (another 44 MB of its RSS; issue #15
    item 12). The difference on paper is none (tested by rasterising both): the subset holds the glyphs the
    page draws, without the variation-sequence glyphs WeasyPrint's HarfBuzz added for the cmap's other
    sequences of the same characters, so the font is smaller. Any other font goes through WeasyPrint's own code."""

    # the tables WeasyPrint 70 drops from every subset (weasyprint/pdf/fonts.py, _harfbuzz_subset)
    DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")

    def __init__(self, original, sizes):
        self.original = original
        self.sizes = sizes
        self.subsets = 0  # certificate-font subsets made here (the tests check the font went this way)

    def __get__(self, font, owner=None):  # installed as a method of weasyprint's Font
        return self if font is None else partial(self, font)

    def __call__(self, font, to_unicode, hinting):
        if len(font.file_content) not in self.sizes:
            return self.original(font, to_unicode, hinting)
        face = certificate_face()
        flags = face.hb.SubsetFlags
        chosen = flags.RETAIN_GIDS | flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE
        if not hinting:
            chosen |= flags.NO_HINTING
        if font.missing:
            chosen |= flags.NOTDEF_OUTLINE
        subset_input = face.subset_input(to_unicode, flags=chosen, drop_tables=self.DROP_TABLES)
        subset = face.hb.subset(face.prepared, subset_input)
        content = subset.blob.data if subset is not None else b""
        if not content:
            return self.original(font, to_unicode, hinting)
        font.file_content = content
        self.subsets += 1


class _Zlib:
    """pydyf compresses every PDF stream at zlib level 9; at level 6 a certificate page is ≈ 10 ms faster for
    < 1 % more bytes (measured on a 4-person sheet). pydyf reads `zlib` from its module, so it gets this."""

    LEVEL = 6

    def __getattr__(self, name):
        return getattr(zlib, name)

    @classmethod
    def compressobj(cls, level=-1, *args, **kwargs):
        return zlib.compressobj(cls.LEVEL, *args, **kwargs)


def _xhtml_root(text: str):
    """The root element of a whole well-formed XHTML document (tags without a namespace, as WeasyPrint's own
    parser gives them), or None: then the text is parsed as HTML5."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    return root if root.tag == "html" else None


@once
def renderer():
    """(weasyprint module, FontConfiguration, stylesheet) for this process, built once: a request that needs it
    while the worker's start-up thread builds it waits for that one (`fonts.once`)."""
    if not Path(CERTIFICATE_FONT).exists():
        raise FontMissing("証明書用フォント IPAmj明朝 がありません（Debian パッケージ fonts-ipamj-mincho）。")
    os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file())
    import cssselect2
    import pydyf
    import weasyprint
    import weasyprint.pdf.fonts as pdf_fonts
    from weasyprint.urls import URLFetcher
    from weasyprint.text.fonts import FontConfiguration

    sizes = {os.path.getsize(CERTIFICATE_FONT)}
    if not isinstance(pdf_fonts.get_hb_object_data, _FontData):
        pdf_fonts.get_hb_object_data = _FontData(pdf_fonts.get_hb_object_data, sizes)
    if not isinstance(pdf_fonts.Font.__dict__["_harfbuzz_subset"], _Subsetter):
        pdf_fonts.Font._harfbuzz_subset = _Subsetter(pdf_fonts.Font._harfbuzz_subset, sizes)
    pydyf.zlib = _Zlib()
    font_config = FontConfiguration()
    css = weasyprint.CSS(string=f"@font-face {{ font-family: {FONT_FAMILY}; src: url(file://{CERTIFICATE_FONT}); }}",
                         font_config=font_config)
    ua = weasyprint.CSS(string=UA_CSS)

    class CertificateHTML(weasyprint.HTML):
        """Our templates are well-formed XHTML: parsed with expat (C) instead of WeasyPrint's pure-Python HTML5
        parser, ~4.5 ms a page less with the same pages (tested by rasterising both). Anything that is not
        a whole well-formed <html> document goes through WeasyPrint's own parser, unchanged."""

        def __init__(self, *, string: str, base_url: str):
            root = _xhtml_root(string)
            if root is None:
                super().__init__(string=string, base_url=base_url)
                return
            self.base_url = base_url
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [ua]

    atexit.register(_close)  # free the font configuration while the modules its destructor uses still exist
    return CertificateHTML, font_config, css


def _close() -> None:
    _stylesheet.cache_clear()
    renderer.clear()


def html_to_pdf(html: str, *, stylesheet: str = "") -> bytes:
    html_class, font_config, font_css = renderer()
    sheets = [font_css]
    if stylesheet:
        sheets.append(_stylesheet(stylesheet))
    with _lock:  # Pango and fontconfig are not thread-safe; gunicorn runs processes, tests may run threads
        return html_class(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=sheets, font_config=font_config)


def render_copies(html_for, *, stylesheet: str, serials: list[int], municipality_name: str, terminal: str,
                  printer: str, day) -> tuple[bytes, list[str], int]:
    """Every copy of one issue in one PDF, each copy with its own 通番 (standard-spec §4.2): `html_for(base)`
    gives a copy's HTML for its 発行番号 without the page part; WeasyPrint counts the pages of each copy.
    Returns (pdf, 発行番号 of every page with n/m, pages)."""
    from jumin.certificates.rules import issue_number

    html_class, font_config, font_css = renderer()
    sheets = [font_css, _stylesheet(stylesheet)]
    documents, numbers = [], []
    with _lock:
        for serial in serials:
            base = issue_number(day, municipality_name, terminal, printer, serial, 0, 0).rsplit(" ", 1)[0]
            doc = html_class(string=html_for(base), base_url=str(settings.BASE_DIR)).render(
                stylesheets=sheets, font_config=font_config)
            documents.append(doc)
            total = len(doc.pages)
            numbers += [f"{base} {page}/{total}" for page in range(1, total + 1)]
        pages = [p for d in documents for p in d.pages]
        pdf = documents[0].copy(pages).write_pdf()
    return pdf, numbers, len(pages)


def unprintable_refusal(found: list[dict]):
    """The refusal for characters the certificate font cannot draw ({label, chars} per item)."""
    from jumin.core.errors import RuleViolation

    listed = "、".join(f"{u['label']}「{u['chars']}」" for u in found)
    return RuleViolation(f"証明書用フォントで印字できない文字があります（{listed}）。外字の登録が必要です。"
                         "証明書は交付していません。", field="subjects", code="unprintable")


@lru_cache(maxsize=8)
def _stylesheet(text: str):
    import weasyprint

    _, font_config, _ = renderer()
    return weasyprint.CSS(string=text, font_config=font_config)


# ------------------------------------------------------------------ what the font can draw

def unprintable(text: str) -> list[str]:
    """Characters (or base+selector sequences) of `text` the certificate font cannot draw exactly: the same
    repertoire and the same walk the register applies at entry (`jumin.core.charset.unsupported`), one fact."""
    from jumin.core.charset import unsupported

    return unsupported(text)


def warm_up() -> None:
    """Load the font's coverage table and WeasyPrint with its font (≈ 0.8 s). The whole start-up warm-up, with the
    form renderer's font and seals, is `jumin.certificates.startup.warm_up`."""
    if not Path(CERTIFICATE_FONT).exists():
        return
    unprintable("住民")
    html_to_pdf("<p style='font-family:IPAmjMincho'>住民票</p>", stylesheet="@page { size: A4 }")
