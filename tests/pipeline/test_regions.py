"""Boxed, sidebar and pull-quote layouts: each read whole, in a sensible place, never as a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.document import extract_document
from tests.pipeline import layout_factory
from tests.pipeline.pdf_factory import normalise, pair_accuracy

MIN_ADJACENCY = 0.98
LAYOUTS = {
    "boxed": layout_factory.boxed_pdf,
    "sidebar": layout_factory.sidebar_pdf,
    "pull_quote": layout_factory.pull_quote_pdf,
}


@pytest.mark.parametrize("stream", ["column", "row", "reverse"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_boxes_sidebars_and_pull_quotes_read_whole_and_in_order(
    tmp_path: Path, layout: str, stream: str
) -> None:
    generated = LAYOUTS[layout](tmp_path / f"{layout}.pdf", stream=stream)
    text = extract_document(generated.path).text
    assert layout_factory.group_accuracy(generated.groups, text) >= MIN_ADJACENCY
    assert pair_accuracy(generated.lines, text) >= MIN_ADJACENCY
    assert "|" not in text


def test_a_judgement_panel_gives_its_title_judgement_and_summary_as_blocks(tmp_path: Path) -> None:
    generated = layout_factory.boxed_pdf(tmp_path / "panel.pdf")
    blocks = [b for b in extract_document(generated.path).blocks if b.page == 2]
    title, judgement, summary = generated.groups[-3:]
    assert [b.kind for b in blocks[:2]] == ["heading", "heading"]
    assert [b.text for b in blocks[:2]] == [" ".join(title), judgement[0]]
    assert blocks[2].text.startswith("Summary") and not any(b.kind == "table" for b in blocks)
    assert layout_factory.group_accuracy([summary], " ".join(b.text for b in blocks[2:])) == 1.0


def test_a_pull_quote_never_splits_the_sentence_it_interrupts(tmp_path: Path) -> None:
    generated = layout_factory.pull_quote_pdf(tmp_path / "quote.pdf")
    blocks = extract_document(generated.path).blocks
    quote = " ".join(generated.groups[1])
    at = next(i for i, b in enumerate(blocks) if b.text == quote)
    assert blocks[at - 1].text.endswith(".") and blocks[at + 1].text[0].isupper()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_no_block_mixes_a_box_with_the_text_around_it(tmp_path: Path, layout: str) -> None:
    generated = LAYOUTS[layout](tmp_path / f"{layout}.pdf", stream="row")
    groups = [normalise("".join(group)) for group in generated.groups]
    for block in extract_document(generated.path).blocks:
        assert sum(normalise(block.text) in group for group in groups) == 1, block.text
