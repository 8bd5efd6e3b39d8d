"""The seal impression (印影) image: reading, measuring, keeping and comparing. Pure: bytes in, values out.

No Django here (Pillow and numpy only), so every rule is tested directly.

- Reading: PNG or JPEG only; the resolution comes from the file (PNG pHYs, JPEG JFIF/EXIF) or, when the file
  has none, from the municipality's scanner setting; a file without either is refused, because without it the
  physical size cannot be known. Files over the size limit, non-images, decompression bombs and blank scans
  are refused with a Japanese message saying what to do.
- Measuring: "ink" is a pixel that is dark (luminance < 128) or clearly coloured (chroma ≥ 80: red, vermilion
  and blue seal inks on white paper). A column or row belongs to the impression when at least 0.1 mm of its
  pixels are ink, which ignores single dust specks. The bounding box of those columns and rows, in pixels ÷ dpi,
  is the impression's size in mm; the *bounding square* is the longer side (the ordinances' 「一辺の長さ
  8ミリメートルの正方形に収まる」 test is against that side).
- Keeping: the scan cropped to the impression plus a 1 mm margin, as PNG (lossless) with its dpi in pHYs, so
  the stored file alone still says its physical size. A JPEG is decoded once and kept as PNG from then on.
- Comparing: a *difference hash* (dHash) of the ink mask, cropped to its bounding square and reduced to 17×16
  and 16×17 cells by area averaging; one bit per neighbouring pair, horizontally and vertically: 512 bits.
  Two impressions are *similar* when their hashes differ in at most `threshold_bits` bits (default 36 of 512,
  ≈7 %). Measured on impressions drawn in IPAmj明朝 (tests/test_impression_similarity_…): the same seal scanned
  again at 300/1200 dpi, as JPEG, shifted, with noise or turned up to 5° differs in 1–34 bits; seals of names
  sharing no character with it in 43–63 bits. Names sharing the ring and a character (山田/山口/吉田/山本) come
  out at 15–30 bits — counted as similar, so an approver compares the two seals and overrides (logged). The hash
  is not rotation-invariant: an impression turned 8° is no longer recognised, so scans are taken upright.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from jumin.core.errors import RuleViolation

MM_PER_INCH = 25.4
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # MPO: a JPEG from a camera (first frame)
MIN_DPI_DEFAULT = 200          # below this a 8 mm boundary is under 63 pixels: too coarse to measure
MAX_PIXELS = 40_000_000        # 25 mm at 1200 dpi is ~1200 px; a scan of 40 Mpx is already an A4 page
LUMINANCE_INK = 128
CHROMA_INK = 80
SPECK_MM = 0.1                 # a row/column is inked when at least this much of it is ink
MARGIN_MM = 1.0                # kept around the impression in the stored image
MIN_INK_MM2 = 0.5              # less ink than this is a blank scan
HASH_SIZE = 16
HASH_BITS = 2 * HASH_SIZE * HASH_SIZE
DEFAULT_THRESHOLD_BITS = 36    # ≈ 7 % of 512 bits

FIELD = "impression"


@dataclass(frozen=True)
class Impression:
    """A measured impression, ready to store."""

    png: bytes                  # cropped scan, PNG with pHYs
    dpi_x: float
    dpi_y: float
    width_px: int               # of the stored (cropped) image
    height_px: int
    ink_width_mm: float         # the impression's bounding box
    ink_height_mm: float
    dhash: str                  # 128 hex digits (512 bits)
    sha256: str                 # of the stored PNG
    source_format: str          # PNG / JPEG as uploaded
    dpi_source: str             # "file" or "setting"

    @property
    def square_mm(self) -> float:
        """The side of the smallest axis-aligned square holding the impression."""
        return max(self.ink_width_mm, self.ink_height_mm)

    @property
    def image_width_mm(self) -> float:
        return self.width_px / self.dpi_x * MM_PER_INCH

    @property
    def image_height_mm(self) -> float:
        return self.height_px / self.dpi_y * MM_PER_INCH


def megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def check_file_size(size: int, max_bytes: int) -> None:
    if size <= 0:
        raise RuleViolation("印影の画像ファイルを選んでください（PNG または JPEG）。", field=FIELD, code="required")
    if size > max_bytes:
        raise RuleViolation(f"印影の画像ファイルが大きすぎます（{megabytes(size)}MB）。{megabytes(max_bytes)}MB以下の"
                            "PNG または JPEG にしてください（600dpi程度の読み取りで足ります）。", field=FIELD,
                            code="too_large")


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise RuleViolation("画像ファイルとして読み取れません。印影を読み取った PNG または JPEG の画像を選んでください。",
                            field=FIELD, code="not_an_image")
    if image.format not in FORMATS:
        raise RuleViolation(f"{image.format or 'この形式'} の画像は扱えません。PNG または JPEG の画像を選んでください。",
                            field=FIELD, code="format")
    _check_complete(data, image.format)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise RuleViolation(f"画像の画素数が多すぎます（{width}×{height}）。印影の周りだけを読み取ってください。",
                            field=FIELD, code="too_many_pixels")
    return image


def _check_complete(data: bytes, fmt: str) -> None:
    """A truncated file is refused. Pillow would otherwise fill the missing part silently, because WeasyPrint sets
    `ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole process when it is imported (weasyprint/images.py)."""
    broken = RuleViolation("画像ファイルが途中で切れているか壊れているため読み取れません。読み取り直してください。",
                           field=FIELD, code="not_an_image")
    if fmt == "PNG":
        try:
            Image.open(io.BytesIO(data)).verify()   # chunk CRCs and the end of the data, whatever that flag says
        except Exception:
            raise broken
    elif data.rfind(b"\xff\xd9") < len(data) - 4096:   # no EOI marker at the end: the JPEG stops short
        raise broken


def resolution(image: Image.Image, scanner_dpi: float | None, *,
               min_dpi: float = MIN_DPI_DEFAULT) -> tuple[float, float, str]:
    """(dpi_x, dpi_y, source): the file's own resolution, else the scanner setting, else a refusal."""
    dpi = image.info.get("dpi")
    source = "file"
    values = None
    if isinstance(dpi, tuple) and len(dpi) == 2:
        try:
            values = (float(dpi[0]), float(dpi[1]))
        except (TypeError, ValueError):
            values = None
        if values and (values[0] <= 1 or values[1] <= 1):   # JFIF aspect ratio only, not a resolution
            values = None
    if values is None and scanner_dpi:
        values, source = (float(scanner_dpi), float(scanner_dpi)), "setting"
    if values is None:
        raise RuleViolation("画像に解像度（dpi）の情報がなく、スキャナの解像度も設定されていません。印影の大きさを"
                            "測れないため登録できません。解像度を記録する設定で読み取り直すか、印鑑登録設定にスキャナの"
                            "解像度を登録してください。", field=FIELD, code="no_dpi")
    if min(values) < min_dpi:
        raise RuleViolation(f"画像の解像度が低すぎます（{min(values):.0f}dpi）。{min_dpi:.0f}dpi以上で読み取ってください。",
                            field=FIELD, code="low_dpi")
    return values[0], values[1], source


def _rgb(image: Image.Image) -> Image.Image:
    """Any PNG/JPEG mode → RGB on white (transparent parts of a PNG are paper)."""
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        scale = 65535.0 if array.max() > 255 else 255.0
        return Image.fromarray((array / scale * 255).clip(0, 255).astype(np.uint8)).convert("RGB")
    return image.convert("RGB")


def ink_mask(rgb: Image.Image) -> np.ndarray:
    a = np.asarray(rgb, dtype=np.int32)
    luminance = (299 * a[..., 0] + 587 * a[..., 1] + 114 * a[..., 2]) // 1000
    chroma = a.max(axis=-1) - a.min(axis=-1)
    return (luminance < LUMINANCE_INK) | (chroma >= CHROMA_INK)


def bounding_box(mask: np.ndarray, dpi_x: float, dpi_y: float) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1), inclusive, of the rows and columns with at least SPECK_MM of ink; None if blank."""
    min_cols = max(2, round(SPECK_MM / MM_PER_INCH * dpi_y))   # ink pixels needed in a column (vertical extent)
    min_rows = max(2, round(SPECK_MM / MM_PER_INCH * dpi_x))
    cols = np.flatnonzero(mask.sum(axis=0) >= min_cols)
    rows = np.flatnonzero(mask.sum(axis=1) >= min_rows)
    if cols.size == 0 or rows.size == 0:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def difference_hash(mask: np.ndarray) -> str:
    """dHash of an ink mask (already cropped to the impression): centred on its bounding square, reduced by
    area averaging, one bit per neighbouring pair horizontally (16×16) and vertically (16×16)."""
    h, w = mask.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    square[top:top + h, left:left + w] = mask.astype(np.uint8) * 255
    image = Image.fromarray(square)
    n = HASH_SIZE
    wide = np.asarray(image.resize((n + 1, n), Image.Resampling.BOX), dtype=np.int32)
    tall = np.asarray(image.resize((n, n + 1), Image.Resampling.BOX), dtype=np.int32)
    bits = np.concatenate([(wide[:, 1:] > wide[:, :-1]).ravel(), (tall[1:, :] > tall[:-1, :]).ravel()])
    return np.packbits(bits).tobytes().hex()


def hash_distance(a: str, b: str) -> int:
    """Hamming distance in bits between two hashes from `difference_hash`."""
    x = np.frombuffer(bytes.fromhex(a), dtype=np.uint8)
    y = np.frombuffer(bytes.fromhex(b), dtype=np.uint8)
    if x.shape != y.shape:
        return HASH_BITS
    return int(np.unpackbits(x ^ y).sum())


def is_similar(a: str, b: str, threshold_bits: int = DEFAULT_THRESHOLD_BITS) -> bool:
    return hash_distance(a, b) <= threshold_bits


def read_impression(data: bytes, *, max_bytes: int, scanner_dpi: float | None = None,
                    min_dpi: float = MIN_DPI_DEFAULT) -> Impression:
    """Read, measure and crop an uploaded scan (every refusal says what to do instead)."""
    check_file_size(len(data), max_bytes)
    image = _open(data)
    source_format = FORMATS[image.format]
    dpi_x, dpi_y, dpi_source = resolution(image, scanner_dpi, min_dpi=min_dpi)
    try:
        image.load()
        rgb = _rgb(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise RuleViolation("画像ファイルが壊れているため読み取れません。読み取り直してください。", field=FIELD,
                            code="not_an_image")
    mask = ink_mask(rgb)
    box = bounding_box(mask, dpi_x, dpi_y)
    ink_mm2 = mask.sum() / (dpi_x * dpi_y) * MM_PER_INCH ** 2
    if box is None or ink_mm2 < MIN_INK_MM2:
        raise RuleViolation("画像に印影が写っていません（白紙です）。朱肉で押した印影を読み取った画像を選んでください。",
                            field=FIELD, code="blank")
    x0, y0, x1, y1 = box
    width, height = rgb.size
    if x0 == 0 or y0 == 0 or x1 == width - 1 or y1 == height - 1:
        raise RuleViolation("印影が画像の端で切れている可能性があります。印影の周りに余白を付けて読み取ってください。",
                            field=FIELD, code="touches_edge")
    ink_w = (x1 - x0 + 1) / dpi_x * MM_PER_INCH
    ink_h = (y1 - y0 + 1) / dpi_y * MM_PER_INCH
    mx, my = round(MARGIN_MM / MM_PER_INCH * dpi_x), round(MARGIN_MM / MM_PER_INCH * dpi_y)
    crop = (max(0, x0 - mx), max(0, y0 - my), min(width, x1 + 1 + mx), min(height, y1 + 1 + my))
    kept = rgb.crop(crop)
    out = io.BytesIO()
    kept.save(out, format="PNG", dpi=(dpi_x, dpi_y), optimize=True)
    png = out.getvalue()
    return Impression(
        png=png, dpi_x=dpi_x, dpi_y=dpi_y, width_px=kept.size[0], height_px=kept.size[1],
        ink_width_mm=round(ink_w, 2), ink_height_mm=round(ink_h, 2),
        dhash=difference_hash(mask[y0:y1 + 1, x0:x1 + 1]), sha256=hashlib.sha256(png).hexdigest(),
        source_format=source_format, dpi_source=dpi_source,
    )


def printable_png(png: bytes) -> bytes:
    """The stored scan with everything that is not ink made pure white, for printing on a certificate (the
    stored file itself is never altered). Same pixels and dpi, so it prints at the same size."""
    image = Image.open(io.BytesIO(png))
    dpi = image.info.get("dpi")
    rgb = _rgb(image)
    a = np.asarray(rgb).copy()
    a[~ink_mask(rgb)] = 255
    out = io.BytesIO()
    Image.fromarray(a).save(out, format="PNG", **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def check_size(impression_w_mm: float, impression_h_mm: float, *, min_mm: float, max_mm: float) -> None:
    """The ordinances' size rule: refused when the impression fits inside a `min_mm` square or does not fit inside
    a `max_mm` square (standard-spec §5.2; 8 mm and 25 mm unless the municipality sets otherwise)."""
    side = max(impression_w_mm, impression_h_mm)
    if side <= min_mm:
        raise RuleViolation(f"印影が小さすぎます（{impression_w_mm:.1f}mm×{impression_h_mm:.1f}mm）。一辺{min_mm:g}mmの"
                            f"正方形に収まる印鑑は登録できません。", field=FIELD, code="too_small")
    if side > max_mm:
        raise RuleViolation(f"印影が大きすぎます（{impression_w_mm:.1f}mm×{impression_h_mm:.1f}mm）。一辺{max_mm:g}mmの"
                            f"正方形に収まらない印鑑は登録できません。", field=FIELD, code="too_large_impression")
