"""OCR of scans with known text (skipped cleanly when the Tesseract program is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import errors
from pipeline.extract.document import ExtractSettings, extract_document, extract_pages_text
from pipeline.extract.ocr import tesseract_version
from tests.pipeline.pdf_factory import column_pdf, order_adjacency, word_recall
from tests.pipeline.scan_factory import scanned_copy

needs_tesseract = pytest.mark.skipif(tesseract_version() is None, reason="Tesseract is not installed")
OCR = ExtractSettings(ocr=True)


def test_scan_without_ocr_is_quarantined_with_how_to_enable_it(tmp_path: Path) -> None:
    digital = column_pdf(tmp_path / "digital.pdf", pages=1)
    scan = scanned_copy(digital.path, tmp_path / "scan.pdf")
    with pytest.raises(errors.NoTextLayerError, match=r"needs OCR.*--ocr"):
        extract_document(scan)


@needs_tesseract
@pytest.mark.parametrize(("dpi", "skew"), [(150, 0.6), (300, -0.4)])
def test_two_column_scan_reads_with_recall_and_order(tmp_path: Path, dpi: int, skew: float) -> None:
    digital = column_pdf(tmp_path / "digital.pdf", pages=2, seed=dpi)
    scan = scanned_copy(digital.path, tmp_path / "scan.pdf", dpi=dpi, skew=skew)
    doc = extract_document(scan, settings=OCR)
    pages = extract_pages_text(doc)
    assert [number for number, _ in pages] == [1, 2]
    for (_, text), truth in zip(pages, digital.pages, strict=True):
        assert word_recall(truth, text) >= 0.97
        assert order_adjacency(truth, text) >= 0.9  # two columns read left then right, misreads aside
    assert [flag.page for flag in doc.ocr_pages] == [1, 2]
    assert all(flag.engine.startswith("tesseract") and 0.5 < flag.confidence <= 1 for flag in doc.ocr_pages)
    assert doc.extractor_version.endswith("+pdfium+ocr")


@needs_tesseract
def test_digital_pdf_with_one_scanned_page_gets_that_page(tmp_path: Path) -> None:
    digital = column_pdf(tmp_path / "digital.pdf", pages=3, running=False)
    mixed = scanned_copy(digital.path, tmp_path / "mixed.pdf", pages=[1])
    without = extract_pages_text(extract_document(mixed))
    assert without[1][1] == ""  # today: the scanned page is silently empty
    doc = extract_document(mixed, settings=OCR)
    pages = extract_pages_text(doc)
    assert [flag.page for flag in doc.ocr_pages] == [2]
    assert word_recall(digital.pages[1], pages[1][1]) >= 0.97
    assert pages[0][1] == without[0][1] and pages[2][1] == without[2][1]  # digital pages untouched
