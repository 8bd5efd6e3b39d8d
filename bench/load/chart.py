"""The PNG chart of a load run, drawn with Pillow's ImageDraw (Pillow is already pinned: WeasyPrint needs
it). No plotting library: four stacked panels sharing the time axis —

1. p95 latency per 10-s window per operation (log scale), with the contract's targets as dashed lines;
2. throughput (successful operations per second) and errors per window;
3. CPU: gunicorn (master + workers), the PostgreSQL backends of the database, the load generator;
4. memory: gunicorn RSS and PSS (summed over its processes).

Spike phases are shaded.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from load.clerks import CERT_HOUSEHOLD, CERT_SINGLE, CHANGE, RECORD, SEARCH

COLOURS = {SEARCH: (31, 119, 180), RECORD: (44, 160, 44), CERT_HOUSEHOLD: (214, 39, 40),
           CERT_SINGLE: (255, 127, 14), CHANGE: (148, 103, 189), "all": (90, 90, 90)}
SHORT = {SEARCH: "search", RECORD: "record view", CERT_HOUSEHOLD: "certificate 4 persons",
         CERT_SINGLE: "certificate 1 person", CHANGE: "change + approval"}
TARGET_LINES = [(150, "150 ms search / record"), (300, "300 ms change"), (500, "500 ms 4-person certificate")]
FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"]

WIDTH, LEFT, RIGHT, TOP = 1400, 90, 250, 50


def _font(size: int):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


class Panel:
    def __init__(self, draw: ImageDraw.ImageDraw, top: int, height: int, x_max: float, title: str, unit: str,
                 y_max: float, log: bool = False, y_min: float = 0.0) -> None:
        self.draw, self.top, self.height = draw, top, height
        self.left, self.right = LEFT, WIDTH - RIGHT
        self.x_max = max(x_max, 1.0)
        self.log = log
        self.y_min = max(y_min, 0.5) if log else y_min
        self.y_max = max(y_max, self.y_min * 10 if log else y_min + 1e-9)
        self.title, self.unit = title, unit
        self.legend_y = top + 4

    def x(self, t: float) -> float:
        return self.left + (self.right - self.left) * t / self.x_max

    def y(self, v: float) -> float:
        if self.log:
            v = max(v, self.y_min)
            share = (math.log10(v) - math.log10(self.y_min)) / (math.log10(self.y_max) - math.log10(self.y_min))
        else:
            share = (v - self.y_min) / (self.y_max - self.y_min)
        share = min(max(share, 0.0), 1.0)
        return self.top + self.height - share * self.height

    def frame(self, phases=()) -> None:
        d, small = self.draw, _font(12)
        for p in phases:
            if p.name == "spike":
                d.rectangle([self.x(p.start), self.top, self.x(min(p.end, self.x_max)), self.top + self.height],
                            fill=(255, 236, 236))
                d.text((self.x(p.start) + 4, self.top + 2), f"spike ×{p.factor:g}", fill=(200, 60, 60), font=small)
        d.rectangle([self.left, self.top, self.right, self.top + self.height], outline=(0, 0, 0))
        d.text((self.left, self.top - 20), self.title, fill=(0, 0, 0), font=_font(15))
        if self.log:
            ticks = []
            exponent = math.floor(math.log10(self.y_min))
            while 10 ** exponent <= self.y_max * 1.0001:
                for m in (1, 2, 5):
                    v = m * 10 ** exponent
                    if self.y_min <= v <= self.y_max * 1.0001:
                        ticks.append(v)
                exponent += 1
        else:
            step = _nice_step(self.y_max - self.y_min)
            ticks = [self.y_min + i * step for i in range(int((self.y_max - self.y_min) / step) + 1)]
        for v in ticks:
            yy = self.y(v)
            d.line([self.left, yy, self.right, yy], fill=(225, 225, 225))
            label = f"{v:g}" if v < 10000 else f"{v / 1000:g}k"
            d.text((self.left - 8, yy), f"{label} {self.unit}", fill=(60, 60, 60), font=small, anchor="rm")
        step = _nice_step(self.x_max / 60, 8) * 60 if self.x_max > 120 else _nice_step(self.x_max, 8)
        t = 0.0
        while t <= self.x_max + 1e-9:
            xx = self.x(t)
            d.line([xx, self.top + self.height, xx, self.top + self.height + 4], fill=(0, 0, 0))
            label = f"{t / 60:g} min" if self.x_max > 120 else f"{t:g} s"
            d.text((xx, self.top + self.height + 6), label, fill=(60, 60, 60), font=small, anchor="mt")
            t += step

    def hline(self, v: float, label: str, colour=(120, 120, 120)) -> None:
        if not (self.y_min <= v <= self.y_max):
            return
        yy = self.y(v)
        for x0 in range(self.left, self.right, 12):
            self.draw.line([x0, yy, min(x0 + 6, self.right), yy], fill=colour, width=1)
        self.draw.text((self.right - 4, yy - 2), label, fill=colour, font=_font(11), anchor="rb")

    def series(self, points: list[tuple[float, float | None]], colour, label: str, width: int = 2) -> None:
        d = self.draw
        previous = None
        for t, v in points:
            if v is None:
                previous = None
                continue
            here = (self.x(t), self.y(v))
            if previous is not None:
                d.line([previous, here], fill=colour, width=width)
            d.ellipse([here[0] - 2, here[1] - 2, here[0] + 2, here[1] + 2], fill=colour)
            previous = here
        d.line([self.right + 12, self.legend_y + 8, self.right + 36, self.legend_y + 8], fill=colour, width=3)
        d.text((self.right + 42, self.legend_y), label, fill=(0, 0, 0), font=_font(12))
        self.legend_y += 18

    def bars(self, points: list[tuple[float, float]], width_s: float, colour, label: str) -> None:
        for t, v in points:
            if v:
                self.draw.rectangle([self.x(t), self.y(v), self.x(t + width_s) - 1, self.y(self.y_min)], fill=colour)
        self.draw.rectangle([self.right + 12, self.legend_y + 3, self.right + 36, self.legend_y + 13], fill=colour)
        self.draw.text((self.right + 42, self.legend_y), label, fill=(0, 0, 0), font=_font(12))
        self.legend_y += 18


def draw(path: Path, title: str, win: dict, errors: list[int], points: list, phases, duration: float,
         width_s: float = 10.0) -> Path:
    heights = [380, 170, 170, 170]
    gap = 60
    height = TOP + sum(heights) + gap * len(heights) + 10
    image = Image.new("RGB", (WIDTH, height), (255, 255, 255))
    d = ImageDraw.Draw(image)
    d.text((LEFT, 12), title, fill=(0, 0, 0), font=_font(18))
    top = TOP + 20

    ops = [op for op in (SEARCH, RECORD, CERT_HOUSEHOLD, CERT_SINGLE, CHANGE) if any(p for _, p, _ in win.get(op, []))]
    values = [p for op in ops for _, p, _ in win[op] if p]
    lat = Panel(d, top, heights[0], duration, "p95 latency per 10-s window (log scale)", "ms",
                y_max=max(values + [600]) * 1.2, log=True, y_min=max(1.0, min(values + [10]) / 2))
    lat.frame(phases)
    for v, label in TARGET_LINES:
        lat.hline(v, label)
    for op in ops:
        lat.series([(t + width_s / 2, p) for t, p, _ in win[op]], COLOURS[op], SHORT[op])
    top += heights[0] + gap

    rate = [(t + width_s / 2, n / width_s) for t, _, n in win.get("all", [])]
    peak = max([r for _, r in rate] + [e / width_s for e in errors] + [1.0])
    tp = Panel(d, top, heights[1], duration, "throughput and errors per 10-s window", "/s", y_max=peak * 1.15)
    tp.frame(phases)
    if any(errors):
        tp.bars([(i * width_s, e / width_s) for i, e in enumerate(errors)], width_s, (240, 120, 120), "errors/s")
    tp.series(rate, COLOURS["all"], "operations/s (ok)")
    top += heights[1] + gap

    cpu_max = max([p.server_cpu for p in points] + [p.pg_cpu for p in points] + [p.client_cpu for p in points] + [1.0])
    cpu = Panel(d, top, heights[2], duration, "CPU (cores)", "", y_max=cpu_max * 1.15)
    cpu.frame(phases)
    cpu.series([(p.t, p.server_cpu) for p in points], (31, 119, 180), "gunicorn")
    cpu.series([(p.t, p.pg_cpu) for p in points], (44, 160, 44), "PostgreSQL backends")
    cpu.series([(p.t, p.client_cpu) for p in points], (150, 150, 150), "load generator")
    top += heights[2] + gap

    mem_max = max([p.server_rss_mb for p in points] + [100.0])
    mem = Panel(d, top, heights[3], duration, "gunicorn memory (sum over master + workers)", "MB",
                y_max=mem_max * 1.15)
    mem.frame(phases)
    mem.series([(p.t, p.server_rss_mb) for p in points], (214, 39, 40), "RSS")
    mem.series([(p.t, p.server_pss_mb) for p in points], (255, 127, 14), "PSS")

    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path
