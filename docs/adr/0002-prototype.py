"""The measurement behind ADR 0002 — a throwaway prototype, not a renderer: how long does it take to shape the
63 strings of a 4-person 世帯連記式 sheet with HarfBuzz, draw them and a rectangle per cell with pydyf, subset
IPAmj (glyph IDs kept) and write the PDF with a ToUnicode map? Positions are rough (one column of rows); no
line breaking, page breaking, QR code or seal. WeasyPrint takes ≈ 72 ms for the real page on the same machine
(docs/performance.md, "Certificates").

    python3.11 -m venv /tmp/proto && /tmp/proto/bin/pip install uharfbuzz==0.51.1 pydyf==0.13.0
    /tmp/proto/bin/python docs/adr/0002-prototype.py /usr/share/fonts/truetype/ipamj/ipamjm.ttf /tmp/form.pdf

Session 4 (Intel Xeon 2.5 GHz, Debian's python3.11): median 9.2 ms a page, 42 KB; `pdffonts` shows the one
IPAmj font (CID TrueType, Identity-H, embedded, with ToUnicode), `pdftotext` gives the text back, and
葛 + VS17 is shaped into the single variant glyph.
"""

import io
import statistics
import sys
import time

import pydyf
import uharfbuzz as hb

CELLS = [  # the cells of a real 4-person copy (synthetic names), in order
    ("th", "住所"), ("td", "宮城県仙台市青葉区子平町87番地"), ("th", "世帯主"), ("td", "松永\u3000誠保"),
    ("th", "氏名"), ("td", "松永\u3000誠保"), ("th", "生年月日"), ("td", "平成5年10月29日"),
    ("th", "性別"), ("td", "女"), ("th", "続柄"), ("td", "世帯主"),
    ("th", "住民となった年月日"), ("td", "平成25年11月13日"), ("th", "住所を定めた年月日"), ("td", "平成25年11月13日"),
    ("th", "転入前住所"), ("td", "神奈川県平塚市寺田縄12番2号"), ("th", "氏名"), ("td", "松永\u3000祐作"),
    ("th", "生年月日"), ("td", "平成31年3月29日"), ("th", "性別"), ("td", "男"),
    ("th", "続柄"), ("td", "子"), ("th", "住民となった年月日"), ("td", "平成31年3月29日"),
    ("th", "住所を定めた年月日"), ("td", "平成31年3月29日"), ("th", "氏名"), ("td", "松永\u3000咲枝"),
    ("th", "生年月日"), ("td", "令和5年6月1日"), ("th", "性別"), ("td", "女"),
    ("th", "続柄"), ("td", "子"), ("th", "住民となった年月日"), ("td", "令和5年6月1日"),
    ("th", "住所を定めた年月日"), ("td", "令和5年6月1日"), ("th", "氏名"), ("td", "松永\u3000謙"),
    ("th", "生年月日"), ("td", "令和8年7月19日"), ("th", "性別"), ("td", "男"),
    ("th", "続柄"), ("td", "子"), ("th", "住民となった年月日"), ("td", "令和8年7月19日"),
    ("th", "住所を定めた年月日"), ("td", "令和8年7月19日"),
]

FONT = sys.argv[1]
data = open(FONT, "rb").read()
blob = hb.Blob(data)
face = hb.Face(blob)
font = hb.Font(face)
upem = face.upem
pre = hb.subset_preprocess(face)
texts = [("h1", "住民票の写し（世帯連記式）")] + CELLS + [("p", "この写しは、世帯全員の住民票の原本と相違ないことを証明する。"),
        ("p", "令和8年11月22日"), ("p", "宮城県仙台市長　郡 和子"), ("p", "発行番号 仙台市 ABCD 0001 1/1"),
        ("p", "照合番号"), ("p", "NYNP-YUAW-BVJZ7"), ("p", "発行 仙台市")]
# one IVS name to prove the path: 葛 + VS17
texts.append(("td", "葛\U000E0100城　一郎"))
MM = 72 / 25.4

def shape(text):
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return [(i.codepoint, i.cluster) for i in buf.glyph_infos], [p.x_advance for p in buf.glyph_positions]

def render():
    used = {}
    ops = []
    y = 270
    x_label, x_value = 14, 44
    # grid: one rectangle per cell, as WeasyPrint draws it
    for i, (tag, text) in enumerate(texts):
        size = 17 if tag == "h1" else 8 if tag == "th" else 10
        gids, adv = shape(text)
        for (g, cl) in gids:
            used.setdefault(g, text[cl])
        x = x_label if tag == "th" else x_value
        if tag in ("th", "td"):
            ops.append(f"{x*MM:.2f} {(y-1)*MM:.2f} {30*MM:.2f} {5.5*MM:.2f} re S")
        hexs = "".join(f"{g:04x}" for g, _ in gids)
        ops.append(f"BT /F1 {size} Tf {x*MM+4:.2f} {y*MM:.2f} Td <{hexs}> Tj ET")
        if tag != "th":
            y -= 3.2
    # subset (glyph ids kept)
    inp = hb.SubsetInput()
    for g in used:
        inp.glyph_set.add(g)
    inp.flags = hb.SubsetFlags.RETAIN_GIDS
    sub = hb.subset(pre, inp)
    sub_bytes = sub.blob.data
    widths = []
    for g in sorted(used):
        widths += [g, pydyf.Array([round(font.get_glyph_h_advance(g) * 1000 / upem)])]
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def "
            "/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(used)} beginbfchar\n" + "\n".join(
                f"<{g:04x}> <{''.join(f'{b:02x}' for b in ch.encode('utf-16-be'))}>" for g, ch in used.items())
            + "\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    doc = pydyf.PDF()
    fontfile = pydyf.Stream([sub_bytes], compress=True)
    doc.add_object(fontfile)
    tounicode = pydyf.Stream([cmap.encode()], compress=True)
    doc.add_object(tounicode)
    descriptor = pydyf.Dictionary({"Type": "/FontDescriptor", "FontName": "/IPAmj", "Flags": 4,
                                   "FontBBox": pydyf.Array([0, -200, 1000, 900]), "ItalicAngle": 0, "Ascent": 880,
                                   "Descent": -120, "CapHeight": 700, "StemV": 80, "FontFile2": fontfile.reference})
    doc.add_object(descriptor)
    cid = pydyf.Dictionary({"Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": "/IPAmj",
                            "CIDSystemInfo": pydyf.Dictionary({"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}),
                            "FontDescriptor": descriptor.reference, "W": pydyf.Array(widths), "CIDToGIDMap": "/Identity"})
    doc.add_object(cid)
    f0 = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type0", "BaseFont": "/IPAmj", "Encoding": "/Identity-H",
                           "DescendantFonts": pydyf.Array([cid.reference]), "ToUnicode": tounicode.reference})
    doc.add_object(f0)
    content = pydyf.Stream(["0.35 w", *ops], compress=True)
    doc.add_object(content)
    page = pydyf.Dictionary({"Type": "/Page", "Parent": doc.pages.reference,
                             "MediaBox": pydyf.Array([0, 0, 595.28, 841.89]), "Contents": content.reference,
                             "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": f0.reference})})})
    doc.add_page(page)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()

pdf = render()
open(sys.argv[2], "wb").write(pdf)
for _ in range(5): render()
ts = []
for _ in range(30):
    t = time.perf_counter(); render(); ts.append(time.perf_counter() - t)
print(f"{len(texts)} strings; {len(pdf)} bytes; median {1000*statistics.median(ts):.1f} ms")
