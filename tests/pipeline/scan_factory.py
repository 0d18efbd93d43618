"""Scans with known text: a generated digital PDF rendered to pixels, degraded, saved as images only."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter

POINTS_PER_INCH = 72.0


def scanned_copy(
    source: Path,
    target: Path,
    *,
    dpi: int = 150,
    skew: float = 0.6,
    noise: float = 0.004,
    seed: int = 7,
    pages: list[int] | None = None,
) -> Path:
    """Write `target`: `source` with the chosen pages (0-based; all by default) replaced by noisy scans.

    Scanned pages are grey images with salt-and-pepper noise, a slight blur and `skew` degrees of
    rotation, at `dpi`; they carry no text layer. Other pages are copied untouched.
    """
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    chosen = set(range(len(pdf))) if pages is None else set(pages)
    for index in range(len(pdf)):
        if index not in chosen:
            out.import_pages(pdf, [index])
            continue
        page = pdf[index]
        width, height = page.get_size()
        image = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True).to_pil().convert("L")
        page.close()
        image = _degrade(image, rng, skew, noise)
        buffer = io.BytesIO()
        image.save(buffer, format="PDF", resolution=float(dpi))
        scan = pdfium.PdfDocument(buffer.getvalue())
        out.import_pages(scan, [0], index)
        scan.close()
    with target.open("wb") as handle:
        out.save(handle)
    out.close()
    pdf.close()
    return target


def _degrade(image: Image.Image, rng: random.Random, skew: float, noise: float) -> Image.Image:
    image = image.rotate(skew, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.5))
    pixels = image.load()
    width, height = image.size
    for _ in range(int(width * height * noise)):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = 0 if rng.random() < 0.5 else 255
    return image
