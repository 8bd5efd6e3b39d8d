"""Charts drawn on the server as SVG, by hand (no plotting library, no script): a population pyramid and a
horizontal bar chart. The same SVG goes into the screen (inline) and the PDF (WeasyPrint draws SVG).

Accessible by construction (WCAG 2.1 1.1.1): the <svg> is role="img", named by its <title> and described by its
<desc>, which says in words what the chart shows; the screen and the PDF put the full data table beside every
chart, so no number exists only as a bar length. Colours have ≥ 4.5:1 contrast on white, and 男/女 are told by
their side and a text legend, not by colour alone. Pure: text in, text out.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

MALE_COLOUR = "#1f5fa8"      # 6.4:1 on white
FEMALE_COLOUR = "#b03a12"    # 5.6:1 on white
BAR_COLOUR = "#1f5fa8"
INK = "#1a1a1a"
GRID = "#b8b8b8"
FONT_SIZE = 11


def nice_step(maximum: float, ticks: int = 4) -> int:
    """A tick step of 1, 2 or 5 × 10ⁿ giving about `ticks` steps up to `maximum`."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(1, int(factor * power))
    return max(1, int(10 * power))


def _axis_end(maximum: float) -> tuple[int, int]:
    step = nice_step(maximum)
    return step * max(1, math.ceil(maximum / step)), step


def _number(n: int) -> str:
    return f"{n:,}"


def _open(chart_id: str, width: int, height: int, title: str, desc: str, font_family: str) -> list[str]:
    ident = quoteattr(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={ident} class="chart" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(font_family)} font-size="{FONT_SIZE}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT_SIZE, weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{INK}"{bold}>'
            f"{escape(text)}</text>")


def pyramid(rows: list[tuple[str, int, int]], *, chart_id: str, title: str, desc: str,
            font_family: str = "sans-serif", width: int = 720) -> str:
    """人口ピラミッド: one row per age band, youngest at the bottom; 男 to the left, 女 to the right of the band
    labels, on one scale. `rows` are (band label, male, female) from the youngest band."""
    label_w, margin, top, row_h = 76, 16, 44, 15
    side = (width - label_w - 2 * margin) / 2
    height = top + row_h * len(rows) + 36
    end, step = _axis_end(max([m for _, m, _ in rows] + [f for _, _, f in rows] + [1]))
    scale = side / end
    centre_left, centre_right = margin + side, margin + side + label_w
    out = _open(chart_id, width, height, title, desc, font_family)
    out.append(_text(margin, 18, title, size=13, weight="bold"))
    out.append(f'<rect x="{centre_left - 46:.1f}" y="26" width="10" height="10" fill="{MALE_COLOUR}"/>')
    out.append(_text(centre_left - 32, 35, "男"))
    out.append(f'<rect x="{centre_right + 22:.1f}" y="26" width="10" height="10" fill="{FEMALE_COLOUR}"/>')
    out.append(_text(centre_right + 36, 35, "女"))
    base = top + row_h * len(rows)
    for tick in range(0, end + 1, step):
        for x in (centre_left - tick * scale, centre_right + tick * scale):
            out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}" stroke="{GRID}" stroke-width="0.5"/>')
            out.append(_text(x, base + 14, _number(tick), anchor="middle", size=9))
    out.append(_text(width / 2, base + 30, "人", anchor="middle", size=9))
    for index, (label, male, female) in enumerate(rows):
        y = base - (index + 1) * row_h
        if male:
            w = male * scale
            out.append(f'<rect x="{centre_left - w:.1f}" y="{y + 1.5:.1f}" width="{w:.1f}" height="{row_h - 3}" '
                       f'fill="{MALE_COLOUR}"/>')
        if female:
            out.append(f'<rect x="{centre_right:.1f}" y="{y + 1.5:.1f}" width="{female * scale:.1f}" '
                       f'height="{row_h - 3}" fill="{FEMALE_COLOUR}"/>')
        out.append(_text(width / 2, y + row_h - 4, label, anchor="middle", size=10))
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(rows: list[tuple[str, int]], *, chart_id: str, title: str, desc: str, unit: str = "人",
              font_family: str = "sans-serif", width: int = 720) -> str:
    """A horizontal bar chart, one bar per row in the given order, its value written at its end."""
    longest = max([len(label) for label, _ in rows] + [2])
    label_w = min(260, 14 + longest * (FONT_SIZE + 1))
    margin, top, row_h = 16, 34, 22
    value_w = 90
    plot = width - label_w - margin * 2 - value_w
    height = top + row_h * max(1, len(rows)) + 30
    end, step = _axis_end(max([v for _, v in rows] + [1]))
    scale = plot / end
    x0 = margin + label_w
    out = _open(chart_id, width, height, title, desc, font_family)
    out.append(_text(margin, 18, title, size=13, weight="bold"))
    base = top + row_h * max(1, len(rows))
    for tick in range(0, end + 1, step):
        x = x0 + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}" stroke="{GRID}" stroke-width="0.5"/>')
        out.append(_text(x, base + 14, _number(tick), anchor="middle", size=9))
    for index, (label, value) in enumerate(rows):
        y = top + index * row_h
        out.append(_text(x0 - 6, y + row_h - 7, label, anchor="end"))
        w = value * scale
        if value:
            out.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{BAR_COLOUR}"/>')
        out.append(_text(x0 + w + 4, y + row_h - 7, f"{_number(value)}{unit}"))
    out.append("</svg>")
    return "\n".join(out)
