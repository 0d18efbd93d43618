"""Build records by hand, for tests that need warehouse rows without PDFs."""

from __future__ import annotations

from pathlib import Path

from pipeline.records import Block, DocumentMetadata, ExtractedDocument, Mention, TaggedDocument, TextUnit


def make_tagged(
    sha256: str,
    *,
    sentences: list[tuple[str, list[str]]],
    year: int = 2024,
    doc_type: str = "sar",
    path: str | None = None,
    version: str = "test+0001",
) -> TaggedDocument:
    """Make a one-block-per-sentence document; each listed theme matches the sentence's first word."""
    blocks = [Block(page=i + 1, text=text) for i, (text, _) in enumerate(sentences)]
    document = ExtractedDocument(
        path=Path(path or f"/reviews/{sha256}.pdf"),
        sha256=sha256,
        metadata=DocumentMetadata(title=f"Review {sha256}", doc_type=doc_type, area="Northmoor", year=year),
        pages=len(blocks),
        blocks=blocks,
        extractor_version="test",
    )
    units, mentions, start = [], [], 0
    for number, (text, themes) in enumerate(sentences):
        units.append(TextUnit(number, start, start + len(text), number + 1, "body", "paragraph", text))
        word = text.split()[0]
        for theme in themes:
            mentions.append(
                Mention(
                    theme,
                    start,
                    start + len(word),
                    word,
                    text,
                    number,
                    number + 1,
                    "body",
                    f"{theme}/t",
                    True,
                )
            )
        start += len(text) + 2
    return TaggedDocument(document=document, units=units, mentions=mentions, taxonomy_version=version)
