"""A plain square 電子公印 drawn as SVG, for the demo city and tests (a real city uploads its own image).
Black, as the standard requires for 電子公印 (standard-spec §4.2); printed at most 25 mm square."""

from html import escape


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
