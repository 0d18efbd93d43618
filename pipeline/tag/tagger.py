"""The tagger a run uses: the codebook rules, combined with the learned model unless switched off.

It stamps every tagged document with the tagging version (the taxonomy version, plus
the model's name when combined), so trends never mix the two. Plain texts (`tag`,
`evaluate`) go through the same path as documents: each text becomes one block.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.records import (
    BLOCK_SEPARATOR,
    Block,
    DocumentMetadata,
    ExtractedDocument,
    Mention,
    TaggedDocument,
)
from pipeline.tag.rules import DEFAULT_PAGE, DEFAULT_SECTION, ThemeTagger
from pipeline.tag.taxonomy import Taxonomy


def tagging_version(taxonomy: Taxonomy, model_path: Path | None) -> str:
    """Return the version stamped on mentions: the taxonomy's, plus the model's name when combined.

    Turning the model on or off so changes the version, and trends never mix
    documents tagged with and without it (`ingest --retag` brings them in line).
    """
    return taxonomy.version if model_path is None else f"{taxonomy.version}+{model_path.stem}"


def texts_document(texts: list[str]) -> ExtractedDocument:
    """Return a document holding each text as one block (sentences never span texts)."""
    blocks = [Block(page=DEFAULT_PAGE, text=text, section=DEFAULT_SECTION) for text in texts]
    return ExtractedDocument(
        path=Path("<texts>"), sha256="", metadata=DocumentMetadata(title=""), pages=1, blocks=blocks
    )


def split_by_text(tagged: TaggedDocument, texts: list[str]) -> list[list[Mention]]:
    """Return each text's mentions with offsets into that text and sentence numbers from 0."""
    per_text: list[list[Mention]] = [[] for _ in texts]
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(BLOCK_SEPARATOR)
    first_unit: dict[int, int] = {}
    for unit in tagged.units:
        index = _text_index(starts, unit.start)
        first_unit.setdefault(index, unit.unit_no)
    for mention in tagged.mentions:
        index = _text_index(starts, mention.start)
        shift = starts[index]
        per_text[index].append(
            replace(
                mention,
                start=mention.start - shift,
                end=mention.end - shift,
                unit_no=mention.unit_no - first_unit[index],
            )
        )
    return per_text


def _text_index(starts: list[int], position: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= position:
            low = middle
        else:
            high = middle - 1
    return low


class VersionedTagger:
    """The rules, combined with the learned model when a model path is given."""

    def __init__(self, taxonomy: Taxonomy, model_path: Path | None = None) -> None:
        self.rules = ThemeTagger(taxonomy)
        self.model = None
        if model_path is not None:
            from pipeline.tag.learned import load_model  # scikit-learn only when asked for

            self.model = load_model(model_path)
        self.version = tagging_version(taxonomy, model_path)

    def tag_document(self, document: ExtractedDocument, *, one_document: bool = True) -> TaggedDocument:
        """Tag one document and stamp it with this tagging's version.

        `one_document` False: the blocks are separate texts (no decision over the whole document).
        """
        tagged = self.rules.tag_document(document)
        if self.model is not None:
            from pipeline.tag.combine import apply_to_document

            tagged = apply_to_document(tagged, self.model, one_document=one_document)
        return replace(tagged, taxonomy_version=self.version)

    def tag_texts(self, texts: list[str]) -> list[list[Mention]]:
        """Tag plain strings; offsets refer to each string, ``unit_no`` is its sentence ordinal."""
        if not texts:
            return []
        return split_by_text(self.tag_document(texts_document(texts), one_document=False), texts)
