"""Table-driven tests of the pure text normalisers, including cases that must not change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.clean import (
    BULLET,
    BULLET_GLYPHS,
    LIGATURES,
    clean_text,
    document_vocabulary,
    edge_key,
    join_lines,
    normalise_glyphs,
    running_keys,
    strip_bullet,
)


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("the \ufb01rst \ufb02oor", "the first floor"),
        ("e\ufb03cient and ba\ufb04ing", "efficient and baffling"),
        ("\uf0b7 Item", "• Item"),
        ("\uf0a7 Item", "• Item"),
        ("\u25aa Item", "• Item"),
        ("\u2022 Item", "• Item"),
        ("\u25fc Item", "• Item"),
        ("co\u00adordinate", "coordinate"),
        ("bell\x07 rang\x00", "bell rang"),
        ("zero\u200bwidth", "zerowidth"),
        ("no-break\u00a0space   and  runs", "no-break space and runs"),
        # must NOT change
        ("self-neglect and multi-agency", "self-neglect and multi-agency"),
        ("A- on the test", "A- on the test"),
        ("2023-2024 £1,000 – 25%", "2023-2024 £1,000 – 25%"),
        ("Children’s “voice”", "Children’s “voice”"),
    ],
)
def test_clean_text(text_in: str, text_out: str) -> None:
    assert clean_text(text_in) == text_out


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["safe-", "guarding partners"], "safeguarding partners"),
        (["the practi-", "tioners agreed"], "the practitioners agreed"),
        (["inter-", "vention"], "intervention"),
        (["self-", "neglect"], "self-neglect"),
        (["multi-", "agency working"], "multi-agency working"),
        (["re\ufffe", "established"], "reestablished"),
        (["co\u00ad", "operation"], "cooperation"),
        (["well-", "being"], "well-being"),
        # must NOT change: no line-end hyphenation
        (["ages 11-", "16 were"], "ages 11- 16 were"),
        (["Lambeth and South-", "East London"], "Lambeth and South-East London"),
        (["Multi-", "Agency Safeguarding Hub"], "Multi-Agency Safeguarding Hub"),
        (["Key findings -", "The review"], "Key findings - The review"),
        (["one line", "two lines"], "one line two lines"),
        (["", "  spaced  ", ""], "spaced"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


def test_document_vocabulary_keeps_a_compound_hyphen() -> None:
    vocabulary = document_vocabulary(["the decision-making panel met", "decision-making was slow"])
    assert join_lines(["poor decision-", "making"], vocabulary) == "poor decision-making"


def test_document_vocabulary_rejoins_a_word_seen_whole() -> None:
    vocabulary = document_vocabulary(["the pathfinder sites met", "x"])
    assert join_lines(["each path-", "finder"], vocabulary) == "each pathfinder"


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [("• Review the plan", "Review the plan"), ("- Review", "Review"), ("Review - now", "Review - now")],
)
def test_strip_bullet(text_in: str, text_out: str) -> None:
    assert strip_bullet(text_in) == text_out


def test_edge_key_ignores_page_numbers() -> None:
    assert edge_key("SVPP Annual Report 2023-2024 Page 27 of 27") == edge_key(
        "SVPP Annual Report 2023-2024 Page 3 of 27"
    )


def test_running_keys_need_repeats() -> None:
    pages = [
        ["Annual Report", "Page 1"],
        ["Annual Report", "Page 2", "Introduction"],
        ["Annual Report", "Page 3"],
    ]
    assert running_keys(pages, min_pages=3) == {"annual report", "page #"}


@given(st.text())
def test_clean_text_is_idempotent(text: str) -> None:
    assert clean_text(clean_text(text)) == clean_text(text)


@given(st.text())
def test_normalise_glyphs_leaves_no_ligature(text: str) -> None:
    assert not any("\ufb00" <= ch <= "\ufb06" for ch in normalise_glyphs(text))


@pytest.mark.parametrize("glyph", [*LIGATURES, *BULLET_GLYPHS])
def test_every_mapped_glyph_is_replaced_inside_plain_text(glyph: str) -> None:
    # normalise_glyphs translates only text its quick check finds a glyph in: the check must know them all
    expected = "plain " + (LIGATURES.get(glyph) or BULLET) + " text"
    assert normalise_glyphs(f"plain {glyph} text") == expected
