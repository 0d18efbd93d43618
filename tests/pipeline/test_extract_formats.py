"""Extraction of Word, HTML, text and Markdown files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline import errors
from pipeline.extract.document import extract_document


def test_docx_headings_lists_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Safeguarding Adults Review: Adult B", level=1)
    document.add_paragraph("Adult B lived alone and self-neglect was a concern.")
    document.add_paragraph("Share information early", style="List Bullet")
    document.add_heading("Recommendations", level=2)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(
        table.rows, [("Recommendation", "What have we done"), ("Train staff", "Done")], strict=True
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(tmp_path / "sar.docx")
    doc = extract_document(tmp_path / "sar.docx")
    assert [(b.kind, b.section) for b in doc.blocks] == [
        ("heading", "body"),
        ("paragraph", "body"),
        ("list_item", "body"),
        ("heading", "recommendations"),
        ("table", "recommendations"),
        ("table", "recommendations"),
    ]
    assert doc.blocks[4].text == "Recommendation | What have we done"
    assert doc.metadata.doc_type == "sar" and doc.extractor_version.endswith("+docx")


def test_html_blocks_skip_scripts_and_navigation(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Rapid review of Child C</title><script>var x = 1;</script></head><body>"
        "<nav>Home | About</nav><h1>Rapid review of Child C</h1><p>Child C was known to <b>health</b> "
        "visitors.</p><ul><li>Improve escalation</li></ul><table><tr><th>Agency</th><th>Action</th></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    doc = extract_document(tmp_path / "page.html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Rapid review of Child C"),
        ("paragraph", "Child C was known to health visitors."),
        ("list_item", "Improve escalation"),
        ("table", "Agency | Action"),
    ]
    assert doc.metadata.doc_type == "rapid_review"


def test_markdown_and_form_feed_pages(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(
        "# Learning review 2022-23\n\nFirst para-\ngraph text.\n\n- one\n- two\n\fSecond page.",
        encoding="utf-8",
    )
    doc = extract_document(tmp_path / "notes.md")
    assert [(b.page, b.kind, b.text) for b in doc.blocks] == [
        (1, "heading", "Learning review 2022-23"),
        (1, "paragraph", "First paragraph text."),
        (1, "list_item", "one"),
        (1, "list_item", "two"),
        (2, "paragraph", "Second page."),
    ]
    assert doc.pages == 2 and doc.metadata.year == 2023


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes("Children\x92s services".encode("latin-1"))
    assert extract_document(tmp_path / "old.txt").text == "Children’s services"


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("broken.docx", b"not a zip file", errors.NotADocumentError),
        ("empty.txt", b"   \n\n", errors.NoTextLayerError),
        ("report.txt", b"%PDF-1.4 rest", errors.NotADocumentError),
    ],
)
def test_bad_other_formats(tmp_path: Path, name: str, data: bytes, error: type) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(error, match=name):
        extract_document(tmp_path / name)
