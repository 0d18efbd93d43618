"""Tests for the theme tagger: examples per theme, evidence fields, reasons, sections, codebook edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.records import BLOCK_SEPARATOR, Block, DocumentMetadata, ExtractedDocument, Mention
from pipeline.tag.matcher import term_variants
from pipeline.tag.rules import ThemeTagger, themes_of
from pipeline.tag.taxonomy import DEFAULT_TAXONOMY_PATH, load_taxonomy
from tests.pipeline.test_taxonomy import RESEARCH_TAXONOMY, research_theme_ids
from tests.pipeline.theme_examples import NEGATIVE, POSITIVE

POSITIVE_CASES = [(theme, text) for theme, texts in POSITIVE.items() for text in texts]
NEGATIVE_CASES = [(theme, text) for theme, texts in NEGATIVE.items() for text in texts]


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    """Build the tagger on the default codebook once for the module."""
    return ThemeTagger(load_taxonomy())


def tag_one(tagger: ThemeTagger, text: str) -> list[Mention]:
    """Return the mentions of one string."""
    return tagger.tag_texts([text])[0]


def make_document(blocks: list[Block]) -> ExtractedDocument:
    """Return an extracted document made of the given blocks."""
    return ExtractedDocument(
        path=Path("review.pdf"),
        sha256="0" * 64,
        metadata=DocumentMetadata("A review"),
        pages=3,
        blocks=blocks,
    )


@pytest.mark.parametrize(("theme", "text"), POSITIVE_CASES)
def test_positive_example_is_tagged(tagger: ThemeTagger, theme: str, text: str):
    assert theme in themes_of(tag_one(tagger, text))


@pytest.mark.parametrize(("theme", "text"), NEGATIVE_CASES)
def test_negative_example_is_not_tagged(tagger: ThemeTagger, theme: str, text: str):
    assert theme not in themes_of(tag_one(tagger, text))


def test_examples_cover_every_codebook_theme():
    ids = set(load_taxonomy().theme_ids)
    assert ids <= set(POSITIVE)
    assert ids <= set(NEGATIVE)


@pytest.mark.shared
@pytest.mark.skipif(not RESEARCH_TAXONOMY.exists(), reason="../shared is absent")
def test_examples_cover_every_research_theme():
    ids = set(research_theme_ids())
    assert ids <= set(POSITIVE)
    assert ids <= set(NEGATIVE)


def test_mentions_carry_evidence(tagger: ThemeTagger):
    text = "The family were seen. Mr A was living in squalor and refused care."
    mentions = [m for m in tag_one(tagger, text) if m.theme == "self_neglect"]
    assert [m.text for m in mentions] == ["squalor", "refused care"]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.sentence == "Mr A was living in squalor and refused care."
        assert mention.unit_no == 1
        assert (mention.page, mention.section) == (0, "body")
        assert mention.rule_id.startswith("self_neglect/")
        assert mention.counted and mention.reason is None


@pytest.mark.parametrize(
    ("text", "theme", "reason"),
    [
        ("There was no evidence of self-neglect.", "self_neglect", "negated"),
        ("Exploitation of the boy was ruled out.", "child_exploitation_missing", "negated"),
        (
            "The SAR criteria were met: abuse or neglect (including self-neglect).",
            "self_neglect",
            "boilerplate",
        ),
        ("DNA samples were taken from the scene.", "disengagement_wnb", "wrong_sense"),
        ("The GP neglected to record the call.", "child_neglect", "wrong_sense"),
    ],
)
def test_uncounted_mentions_say_why(tagger: ThemeTagger, text: str, theme: str, reason: str):
    mentions = [m for m in tag_one(tagger, text) if m.theme == theme]
    assert mentions, f"expected an uncounted {theme} mention"
    assert all(not m.counted and m.reason == reason for m in mentions)


REFERENCE_ENTRY = (
    "Haworth J, Pemberton L. Hoarding and fire deaths in older people. Age Soc Care. 2021;12(2):44-58."
)
GLOSSARY_LINE = "Cuckooing: taking over the home of a vulnerable adult to deal drugs from it."


def test_a_reference_entry_counts_no_theme_wherever_it_sits(tagger: ThemeTagger):
    """The sentencizer cuts the entry at the authors' initials; the short block's form covers every piece."""
    mentions = tag_one(tagger, REFERENCE_ENTRY)
    assert {m.theme for m in mentions} >= {"hoarding", "fire_risk"}
    assert all(not m.counted and m.reason == "reference_entry" for m in mentions)
    long_block = "Agencies did not see the hoarding as a fire risk for years. " * 7 + REFERENCE_ENTRY
    assert "hoarding" in themes_of(tag_one(tagger, long_block))  # a long block is running text, not an entry


def test_which_forms_count_no_theme_is_codebook_data(tagger: ThemeTagger, tmp_path: Path):
    assert "modern_slavery_exploitation" in themes_of(tag_one(tagger, GLOSSARY_LINE))
    codebook = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_TAXONOMY_PATH, codebook)
    matching = codebook / "matching.toml"
    default = 'uncounted_forms = ["reference_entry"]'
    matching.write_text(matching.read_text().replace(default, 'uncounted_forms = ["glossary_line"]'))
    edited = ThemeTagger(load_taxonomy(codebook))
    (glossary, reference) = edited.tag_texts([GLOSSARY_LINE, REFERENCE_ENTRY])
    assert {(m.counted, m.reason) for m in glossary} == {(False, "glossary_line")}
    assert "hoarding" in themes_of(reference)


def test_negation_reaches_across_a_list(tagger: ThemeTagger):
    mentions = tag_one(tagger, "There was no evidence of self-neglect or hoarding.")
    assert mentions and not themes_of(mentions)


def test_sentence_ends_after_an_anonymised_initial(tagger: ThemeTagger):
    text = "The review followed the death of Ms D. Members of her family lived in squalor."
    (mention,) = [m for m in tag_one(tagger, text) if m.theme == "self_neglect"]
    assert mention.sentence == "Members of her family lived in squalor."
    assert mention.unit_no == 1


def test_absence_of_good_practice_is_still_about_the_theme(tagger: ThemeTagger):
    assert "professional_curiosity" in themes_of(tag_one(tagger, "There was no professional curiosity."))


def test_hedged_mentions_count_and_are_flagged(tagger: ThemeTagger):
    mentions = [
        m for m in tag_one(tagger, "This was possible coercive control.") if m.theme == "coercive_control"
    ]
    assert mentions and all(m.counted and m.hedged for m in mentions)


def test_hedged_mentions_can_be_set_not_to_count(tmp_path: Path):
    codebook = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_TAXONOMY_PATH, codebook)
    matching = codebook / "matching.toml"
    matching.write_text(matching.read_text().replace("hedged_counts = true", "hedged_counts = false"))
    mentions = ThemeTagger(load_taxonomy(codebook)).tag_texts(["This was possible coercive control."])[0]
    assert {(m.counted, m.reason) for m in mentions if m.theme == "coercive_control"} == {(False, "hedged")}


def test_tag_document_uses_document_offsets_and_block_places(tagger: ThemeTagger):
    blocks = [
        Block(page=1, text="Contents", kind="heading", section="contents"),
        Block(page=1, text="Self-neglect 4", kind="paragraph", section="contents"),
        Block(page=2, text="Mr B lived in squalor. His flat was cluttered", kind="paragraph"),
        Block(
            page=2,
            text="MARAC: Multi-Agency Risk Assessment Conference",
            kind="list_item",
            section="glossary",
        ),
        Block(page=3, text="He was known to the mental health team.", kind="paragraph"),
    ]
    document = make_document(blocks)
    tagged = tagger.tag_document(document)
    text = document.text
    assert tagged.taxonomy_version == tagger.version == load_taxonomy().version
    for unit in tagged.units:
        assert text[unit.start : unit.end] == unit.text
    unit_blocks = [(u.page, u.section, u.kind) for u in tagged.units]
    assert (2, "body", "paragraph") in unit_blocks and (2, "glossary", "list_item") in unit_blocks
    for mention in tagged.mentions:
        assert text[mention.start : mention.end] == mention.text
        assert tagged.units[mention.unit_no].text == mention.sentence
    by_section = {(m.theme, m.section): m for m in tagged.mentions}
    assert by_section["self_neglect", "contents"].reason == "contents"
    assert not by_section["self_neglect", "contents"].counted
    assert by_section["domestic_abuse", "glossary"].reason == "glossary"
    assert by_section["hoarding", "body"].page == 2
    assert by_section["mental_health", "body"].page == 3
    assert themes_of(tagged.mentions) == ["hoarding", "mental_health", "self_neglect"]


def test_sentences_never_span_blocks(tagger: ThemeTagger):
    blocks = [
        Block(page=1, text="Practitioners were professionally curious"),
        Block(page=1, text="about the father"),
    ]
    tagged = tagger.tag_document(make_document(blocks))
    assert [u.text for u in tagged.units] == [block.text for block in blocks]
    second = tagged.units[1]
    assert second.start == len(blocks[0].text) + len(BLOCK_SEPARATOR)


def test_blank_sentences_are_not_units_and_units_are_trimmed(tagger: ThemeTagger):
    blocks = [Block(page=1, text="  "), Block(page=1, text=" Hoarding was evident. \n")]
    tagged = tagger.tag_document(make_document(blocks))
    assert [u.text for u in tagged.units] == ["Hoarding was evident."]
    assert [m.sentence for m in tagged.mentions] == ["Hoarding was evident."]


def test_a_word_explained_by_another_theme_leaves_no_wrong_sense_mention(tagger: ThemeTagger):
    mentions = tag_one(tagger, "He was known for self-neglect.")
    assert [(m.theme, m.counted) for m in mentions] == [("self_neglect", True)]


def test_themes_of_lists_counted_themes_only(tagger: ThemeTagger):
    mentions = tag_one(tagger, "There was no evidence of self-neglect, but the flat was cluttered.")
    assert themes_of(mentions) == ["hoarding"]


def test_editing_the_codebook_changes_tagging_without_code(tmp_path: Path):
    codebook = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_TAXONOMY_PATH, codebook)
    sentence = "She showed signs of magpie syndrome."
    assert "hoarding" not in themes_of(ThemeTagger(load_taxonomy(codebook)).tag_texts([sentence])[0])
    harm = codebook / "themes-4-harm.toml"
    harm.write_text(
        harm.read_text().replace('terms = [\n  "hoarding",', 'terms = [\n  "magpie syndrome", "hoarding",')
    )
    edited = ThemeTagger(load_taxonomy(codebook))
    assert "hoarding" in themes_of(edited.tag_texts([sentence])[0])
    assert edited.version != load_taxonomy().version


@pytest.mark.parametrize(
    ("term", "variants"),
    [
        ("co-sleeping", {"co-sleeping", "co sleeping", "cosleeping"}),
        ("carer's assessment", {"carer's assessment", "carer assessment", "carers' assessment"}),
        ("squalor", {"squalor"}),
        ("information sharing", {"information sharing", "information-sharing"}),
        ("team around the child", {"team around the child"}),
    ],
)
def test_term_variants(term: str, variants: set[str]):
    assert set(term_variants(term)) == variants


def test_two_word_terms_also_match_hyphenated():
    tagger = ThemeTagger(load_taxonomy())
    mentions = tagger.tag_texts(["Multi-agency information-sharing is effective."])[0]
    assert "information_sharing" in themes_of(mentions)
