"""End-to-end extraction of generated PDFs, one per problem, and of the other formats."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.extract.document import (
    SUPPORTED_SUFFIXES,
    ExtractSettings,
    extract_document,
    extract_pages_text,
)
from pipeline.records import BLOCK_KINDS, SECTIONS
from tests.pipeline import pdf_factory

MIN_PAIR_ACCURACY = 0.98
MAX_RSS_MB = 500


@pytest.mark.parametrize("columns", [1, 2, 3])
@pytest.mark.parametrize("stream", ["column", "row"])
def test_reading_order_whatever_the_stream_order(tmp_path: Path, columns: int, stream: str) -> None:
    generated = pdf_factory.column_pdf(
        tmp_path / "doc.pdf", columns=columns, stream=stream, pages=2, title="Findings"
    )
    doc = extract_document(generated.path)
    assert pdf_factory.pair_accuracy(generated.lines, doc.text) >= MIN_PAIR_ACCURACY


def test_blocks_keep_page_numbers_kinds_and_sections(tmp_path: Path) -> None:
    generated = pdf_factory.column_pdf(tmp_path / "doc.pdf", pages=3, title="Learning from reviews 2024")
    doc = extract_document(generated.path)
    assert doc.pages == 3 and {block.page for block in doc.blocks} == {1, 2, 3}
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "Learning from reviews 2024"
    assert all(b.kind in BLOCK_KINDS and b.section in SECTIONS and "\n" not in b.text for b in doc.blocks)
    assert doc.extractor_version.startswith("extract-1.1+pdfium") and len(doc.sha256) == 64


def test_running_header_and_footer_are_removed(tmp_path: Path) -> None:
    doc = extract_document(pdf_factory.column_pdf(tmp_path / "doc.pdf", pages=4).path)
    assert pdf_factory.HEADER not in doc.text
    assert "Page 2 of 4" not in doc.text


def test_line_end_hyphenation_is_rejoined_and_compounds_keep_their_hyphen(tmp_path: Path) -> None:
    generated = pdf_factory.column_pdf(tmp_path / "doc.pdf", pages=3)
    words = set(extract_document(generated.path).text.replace(",", " ").split())
    assert generated.hyphenated
    missing = [word for word in generated.hyphenated if word not in words]
    assert len(missing) <= 0.01 * len(generated.hyphenated), missing


def test_ligatures_are_expanded(tmp_path: Path) -> None:
    if not pdf_factory.DEJAVU.exists():
        pytest.skip("needs the DejaVu font to draw ligature glyphs")
    path = pdf_factory.lines_pdf(
        tmp_path / "lig.pdf", [["The \ufb01rst of\ufb01ce \ufb02oor"]], font="DejaVu"
    ).path
    assert extract_document(path).text == "The first office floor"


@pytest.mark.parametrize(("font", "glyph"), [("Symbol", "\u2022"), ("ZapfDingbats", "\u25cf")])
def test_bullets_become_list_items(tmp_path: Path, font: str, glyph: str) -> None:
    items = ["Review the threshold document", "Train staff on self-neglect"]
    doc = extract_document(pdf_factory.bullets_pdf(tmp_path / "list.pdf", items, font=font, glyph=glyph).path)
    assert [(b.kind, b.text) for b in doc.blocks[1:]] == [("list_item", item) for item in items]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_ruled_table_becomes_rows_in_reading_order(tmp_path: Path, engine: str) -> None:
    rows = [
        ("Recommendation", "What have we done"),
        ("Improve multi-agency training", "Delivered to 300 staff"),
    ]
    path = pdf_factory.table_pdf(tmp_path / "table.pdf", rows).path
    doc = extract_document(path, settings=ExtractSettings(table_engine=engine))
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [b.text for b in tables] == [" | ".join(row) for row in rows]
    assert doc.blocks[0].section == "recommendations"


def test_empty_page_keeps_its_number(tmp_path: Path) -> None:
    path = pdf_factory.lines_pdf(tmp_path / "gap.pdf", [["First page text."], [], ["Third page text."]]).path
    doc = extract_document(path)
    assert extract_pages_text(doc) == [(1, "First page text."), (2, ""), (3, "Third page text.")]


def test_a_letter_takes_its_bold_subject_line_as_title(tmp_path: Path) -> None:
    body = ["Dear Ms James", "Focused visit to Bristol children's services"] + [
        "This letter summarises the findings of the focused visit to children's services in Bristol."
    ] * 6
    path = pdf_factory.lines_pdf(tmp_path / "letter.pdf", [body], bold_lines={1}).path
    meta = extract_document(path).metadata
    assert (meta.title, meta.area, meta.doc_type) == (
        "Focused visit to Bristol children's services",
        "Bristol",
        "inspection",
    )


def test_document_pickles_for_worker_processes(tmp_path: Path) -> None:
    doc = extract_document(pdf_factory.lines_pdf(tmp_path / "a.pdf", [["Some text."]]).path)
    assert pickle.loads(pickle.dumps(doc)) == doc


def _zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _html_named_pdf(path: Path) -> Path:
    path.write_text("<!DOCTYPE html>\n<html><head><title>Ofsted</title></head><body>Report</body></html>")
    return path


def _random_bytes(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    return path


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (pdf_factory.encrypted_pdf, errors.EncryptedPdfError, "password"),
        (pdf_factory.truncated_pdf, errors.CorruptFileError, "download it again"),
        (_random_bytes, errors.CorruptFileError, "damaged"),
        (_zero_bytes, errors.EmptyFileError, "0 bytes"),
        (_html_named_pdf, errors.NotADocumentError, "web page"),
        (pdf_factory.image_only_pdf, errors.NoTextLayerError, "needs OCR"),
        (pdf_factory.blank_pages_pdf, errors.NoTextLayerError, "no text"),
    ],
)
def test_bad_pdfs_raise_typed_errors_that_say_what_to_do(tmp_path: Path, make, error, words: str) -> None:
    path = make(tmp_path / "bad.pdf")
    with pytest.raises(error) as caught:
        extract_document(path)
    message = str(caught.value)
    assert "bad.pdf" in message and words.lower() in message.lower()
    assert "add it again" in message or "add the result" in message or "add that" in message
    assert isinstance(caught.value, errors.ExtractionError) and caught.value.reason


def test_damaged_pdf_whose_text_survives_still_loads(tmp_path: Path) -> None:
    path = pdf_factory.column_pdf(tmp_path / "damaged.pdf", pages=3).path
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 400] = bytes(400)
    path.write_bytes(bytes(data))
    assert extract_document(path).pages == 3


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"PK")
    with pytest.raises(errors.UnsupportedFormatError, match=r"\.pptx.*Save it as"):
        extract_document(path)


def test_encrypted_pdf_opens_with_its_password(tmp_path: Path) -> None:
    path = pdf_factory.encrypted_pdf(tmp_path / "locked.pdf", password="pw")
    doc = extract_document(path, settings=ExtractSettings(password="pw"))
    assert "Confidential learning review" in doc.text


def test_limits_refuse_oversized_files(tmp_path: Path) -> None:
    path = pdf_factory.column_pdf(tmp_path / "long.pdf", pages=3).path
    with pytest.raises(errors.FileTooLargeError, match="3 pages, over the 2-page limit"):
        extract_document(path, settings=ExtractSettings(max_pages=2))
    with pytest.raises(errors.FileTooLargeError, match="Split it"):
        extract_document(path, settings=ExtractSettings(max_bytes=100))
    with pytest.raises(errors.UsageError):
        ExtractSettings(max_pages=0)
    with pytest.raises(errors.UsageError, match="table_engine"):
        ExtractSettings(table_engine="camelot")


def test_supported_suffixes_are_lower_case() -> None:
    assert all(s == s.lower() and s.startswith(".") for s in SUPPORTED_SUFFIXES)


@pytest.mark.slow
def test_memory_stays_bounded_on_a_300_page_pdf(tmp_path: Path) -> None:
    from benchmarks.bench_extract import peak_rss_mb

    path = pdf_factory.column_pdf(tmp_path / "long.pdf", pages=300, running=True).path
    assert peak_rss_mb(path) < MAX_RSS_MB
