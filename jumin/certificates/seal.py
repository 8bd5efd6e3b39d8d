"""The 電子公印: a plain square seal drawn as SVG for the demo city and tests (a real city uploads its own image),
and any seal drawn once as a one-page PDF for the form renderer to copy (`drawn_pdf`).

Black, as the standard requires for 電子公印 (standard-spec §4.2); printed at most 25 mm square.

Why a seal is drawn outside the worker: a city's seal is any SVG, so WeasyPrint draws it — but a worker that
issues only 住民票 (the form renderer, ADR 0002) needs WeasyPrint for nothing else, and importing it costs
≈ 20 MB of every worker's memory (issue #15 item 12). So the drawing is done by a short-lived child process
(`python -m jumin.certificates.seal`, SVG in, PDF out) and kept in `var/seals/`, named by the sha256 of the SVG
and of what draws it (WeasyPrint's and pydyf's versions, the font file): after the first start no process draws
it again, and a seal that is replaced gets a new file. A process that has WeasyPrint loaded anyway draws it
itself. The PDF is the same either way: the same code draws it, only in another process.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

SEAL_MM = 22.0             # the seal's page: the size it is printed at on the certificates
DRAWING_VERSION = "1"      # change when draw_here draws differently: every kept drawing is then drawn again
CHILD_TIMEOUT = 120        # seconds; the child takes ≈ 1 s (Python, WeasyPrint, the font)


def default_seal_svg(text: str = "市長之印") -> str:
    """The characters in columns read right to left, top to bottom, as seals are cut."""
    chars = list(text)
    rows = 2 if len(chars) <= 4 else 3
    cols = -(-len(chars) // rows)
    cell = 80 / max(rows, cols)
    parts = []
    for i, ch in enumerate(chars):
        col, row = divmod(i, rows)
        x = 90 - cell / 2 - col * cell - (80 - cols * cell) / 2
        y = 10 + cell * 0.85 + row * cell + (80 - rows * cell) / 2
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{cell * 0.9:.1f}" text-anchor="middle">{escape(ch)}</text>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
            '<rect x="4" y="4" width="92" height="92" fill="none" stroke="#000" stroke-width="5"/>'
            '<g font-family="IPAmjMincho" fill="#000">' + "".join(parts) + "</g></svg>")


def drawn_pdf(svg: str, *, fresh: bool = False) -> bytes:
    """The seal as a one-page uncompressed PDF of SEAL_MM square, as WeasyPrint draws it: from `var/seals/` when it
    was drawn before (unless `fresh`), else drawn — by this process if it has WeasyPrint loaded, otherwise by a
    child process — and kept there."""
    from jumin.certificates import render

    path = kept_path(svg)
    if not fresh:
        try:
            return path.read_bytes()
        except OSError:
            pass
    pdf = draw_here(svg) if render.renderer.built() else draw_in_child(svg)
    _keep(path, pdf)
    return pdf


def kept_path(svg: str) -> Path:
    """Where the drawing of this SVG is kept: named by what was drawn and what drew it."""
    from importlib.metadata import version

    from django.conf import settings

    from jumin.core.charset import CERTIFICATE_FONT

    try:
        font = os.stat(CERTIFICATE_FONT)
        font_id = f"{font.st_size}:{font.st_mtime_ns}"
    except OSError:
        font_id = "missing"
    drawer = f"{DRAWING_VERSION}|weasyprint {version('weasyprint')}|pydyf {version('pydyf')}|{font_id}|{SEAL_MM}"
    key = hashlib.sha256(drawer.encode() + b"\0" + svg.encode()).hexdigest()
    return Path(settings.VAR_DIR) / "seals" / f"{key}.pdf"


def _keep(path: Path, pdf: bytes) -> None:
    """Written whole or not at all (a temporary file renamed), so a worker never reads half a drawing; a var/ that
    cannot be written only means the next process draws the seal again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".seal-", suffix=".tmp", delete=False) as file:
            file.write(pdf)
        os.replace(file.name, path)
    except OSError:
        pass


def draw_in_child(svg: str) -> bytes:
    """The seal drawn by `python -m jumin.certificates.seal` (the same settings and var/), so that this process
    never imports WeasyPrint. The child inherits the calling thread's CPU priority (the start-up loader's is low)."""
    from django.conf import settings

    env = dict(os.environ, JUMIN_VAR_DIR=str(settings.VAR_DIR))
    env.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")
    done = subprocess.run([sys.executable, "-m", "jumin.certificates.seal"], input=svg.encode(),
                          capture_output=True, env=env, timeout=CHILD_TIMEOUT, check=False)
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"公印を描けませんでした（seal drawing failed, exit {done.returncode}）: {' / '.join(tail)}")
    return done.stdout


def draw_here(svg: str) -> bytes:
    """The seal drawn by WeasyPrint in this process, uncompressed (the form renderer parses it)."""
    import base64

    from django.conf import settings

    from jumin.certificates import render

    html_class, font_config, font_css = render.renderer()
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    html = (f'<html><body style="margin:0"><img src="{src}" alt="公印" '
            f'style="display:block;width:{SEAL_MM:g}mm;height:{SEAL_MM:g}mm"/></body></html>')
    with render._lock:
        return html_class(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[font_css, render._stylesheet(f"@page {{ size: {SEAL_MM:g}mm {SEAL_MM:g}mm; margin: 0 }}")],
            font_config=font_config, uncompressed_pdf=True)


if __name__ == "__main__":  # the child of draw_in_child: SVG on stdin, PDF on stdout
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")
    sys.stdout.buffer.write(draw_here(sys.stdin.buffer.read().decode()))
