"""Scoring (`evaluate`), labelled-corpus files, re-deriving keyed sentences, and not-a-finding forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from benchmarks.eval_forms import form_counts
from pipeline.cli import cli
from pipeline.errors import TaxonomyError, UsageError
from pipeline.extract.document import extract_document
from pipeline.paths import LABELLED_REAL, LABELLED_WRITTEN
from pipeline.tag.evaluation import by_group, summary
from pipeline.tag.forms import FORMS, FormRecogniser
from pipeline.tag.labelled import read_labelled, resolve, text_hash
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import DEFAULT_TAXONOMY_PATH, load_taxonomy
from tests.pipeline.theme_examples import NEGATIVE, POSITIVE

FORM_EXAMPLES = {
    "reference_entry": [
        "Preston-Shoot, M. (2020) Self-neglect and safeguarding adult reviews. Journal of Adult Protection.",
        "Department for Education (2023) Working Together to Safeguard Children. London: DfE.",
        "Linley A, Strand P. Coercive control in relationships: a guide for staff. Norwich: Eastgate; 2018.",
        "Haworth J, Pemberton L. Fire deaths among older people. Age Soc Care. 2021;12(2):44-58.",
        "Northdale Safeguarding Adults Board (2024) Self-Neglect Practice Guidance. Northdale SAB.",
        "Okafor, B. 2022. Working with fathers in child protection. Leeds: Riverside Press.",
        "Further reading: the Board's hoarding toolkit and the clutter image rating scale.",
    ],
    "glossary_line": [
        "MASH: Multi-Agency Safeguarding Hub",
        "Self-neglect: this covers a wide range of behaviour, such as neglecting personal hygiene.",
        "CP: child protection plan.",
        "GCP2: Graded Care Profile 2",
        "Mate crime: befriending a disabled person in order to exploit them.",
    ],
    "statutory_definition": [
        "Section 42 of the Care Act 2014 requires local authorities to make enquiries.",
        "The statutory definition of domestic abuse includes economic abuse and coercive behaviour.",
    ],
    "terms_of_reference": [
        "The review will consider how agencies responded to concerns about her home.",
        "The review was commissioned under section 44 of the Care Act 2014 after the death of Mr B.",
        "The period under review runs from May 2020 to the date of her death.",
        "The panel agreed four key lines of enquiry.",
    ],
    "membership_list": [
        "Adult Social Care, Police, NHS Trust, Fire and Rescue Service, Housing Options Manager",
        "Attendees: the designated nurse, the detective inspector and the head of early help.",
        "Northdale Police (Detective Superintendent) – attendance 3/4",
        "Independent Chair: Ms R Okoye",
        "Sub-groups: Learning and Development; Quality Assurance; Exploitation.",
    ],
}
FINDINGS = [
    "Finding 3: professional curiosity was lacking when Mr A declined visits.",
    "There were 412 section 42 enquiries in 2022-23, a rise of 12%.",
    "Ofsted (2019) found that leaders had not acted on concerns about neglect.",
    "Practitioners did not share information about the risks posed by the father.",
    # an annual report's "Theme: what was done" and a rapid review's decision are findings, not forms
    "Neglect: 450 practitioners were trained in the Graded Care Profile this year.",
    "Immediate action: the housing service will tell health visitors when a family moves.",
    "The criteria for a local review were not met because the learning was already known.",
    "No agency raised a safeguarding concern at any point in the review period.",
]


@pytest.fixture(scope="module")
def forms() -> FormRecogniser:
    return FormRecogniser(dict(load_taxonomy().matching.not_findings))


@pytest.mark.parametrize(("form", "text"), [(f, t) for f, texts in FORM_EXAMPLES.items() for t in texts])
def test_each_not_a_finding_form_is_recognised(forms: FormRecogniser, form: str, text: str) -> None:
    assert forms.form_of(text) == form


@pytest.mark.parametrize("text", FINDINGS)
def test_findings_have_no_form(forms: FormRecogniser, text: str) -> None:
    assert forms.form_of(text) is None


def test_the_quick_form_pass_misses_no_sentence_any_form_pattern_finds(forms: FormRecogniser) -> None:
    """The quick pass (start-anchored patterns tried at the start only) agrees with every pattern."""
    patterns = [regex.compile(p, regex.VERSION0) for ps in forms.patterns.values() for p in ps]
    examples = [text for texts in (*POSITIVE.values(), *NEGATIVE.values()) for text in texts]
    sentences = [*examples, *FINDINGS, *(text for texts in FORM_EXAMPLES.values() for text in texts)]
    expected = [any(pattern.search(sentence) for pattern in patterns) for sentence in sentences]
    assert any(expected) and not all(expected)
    assert [forms._may_have_form(sentence) for sentence in sentences] == expected


def test_the_codebook_refuses_an_unknown_form_or_a_broken_pattern(tmp_path: Path) -> None:
    codebook = tmp_path / "taxonomy"
    codebook.mkdir()
    for path in DEFAULT_TAXONOMY_PATH.glob("*.toml"):
        (codebook / path.name).write_text(path.read_text())
    matching = codebook / "matching.toml"
    original = matching.read_text()
    matching.write_text(
        original.replace("[matching.not_findings]\n", "[matching.not_findings]\nminutes = ['x']\n")
    )
    with pytest.raises(TaxonomyError, match="unknown form"):
        load_taxonomy(codebook)
    matching.write_text(
        original.replace("[matching.not_findings]\n", "[matching.not_findings]\nglossary_line = ['(']\n", 1)
    )
    with pytest.raises(TaxonomyError, match=r"matching.toml"):
        load_taxonomy(codebook)
    assert set(FORMS) == {name for name, _ in load_taxonomy().matching.not_findings}
    matching.write_text(
        original.replace('uncounted_forms = ["reference_entry"]', 'uncounted_forms = ["minutes"]')
    )
    with pytest.raises(TaxonomyError, match="uncounted_forms has unknown form"):
        load_taxonomy(codebook)


def test_the_forms_benchmark_counts_each_form_section_against_its_own_form(forms: FormRecogniser) -> None:
    reference, glossary = FORM_EXAMPLES["reference_entry"][0], FORM_EXAMPLES["glossary_line"][0]
    rows = [
        {"text": reference, "themes": [], "section": "references"},
        {"text": glossary, "themes": [], "section": "references"},  # a form, but not this section's
        {"text": FINDINGS[0], "themes": ["professional_curiosity"], "section": "findings"},
        {"text": glossary, "themes": [], "section": "background"},
    ]
    counts = form_counts(rows, forms)
    assert (counts["references", "flagged"], counts["references", "seen"]) == (1, 2)
    assert (counts["other sections", "flagged"], counts["other sections", "seen"]) == (1, 2)
    assert (counts["themed", "flagged"], counts["themed", "seen"]) == (0, 1)


def test_summary_counts_micro_macro_and_theme_free_false_hits() -> None:
    gold = [{"a"}, {"a", "b"}, set(), set()]
    predicted = [{"a"}, {"a"}, {"b"}, set()]
    scores = summary(gold, predicted)
    assert scores["micro"] == {
        "tp": 2,
        "fp": 1,
        "fn": 1,
        "support": 3,
        "precision": 0.6667,
        "recall": 0.6667,
        "f1": 0.6667,
    }
    assert scores["macro_f1"] == 0.5  # a: 1.0, b: 0.0
    assert (scores["theme_free_sentences"], scores["theme_free_with_a_theme"]) == (2, 1)
    assert scores["theme_free_false_hit_rate"] == 0.5
    grouped = by_group(gold, predicted, ["x", "x", "y", "y"])
    assert set(grouped) == {"all", "x", "y"} and grouped["y"]["theme_free_false_hit_rate"] == 0.5


def test_read_labelled_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "1", "text": "x", "themes": []}\n{"id": "2", "text": "y"}\n')
    with pytest.raises(UsageError, match=r"labels.jsonl:2"):
        read_labelled(path)


def test_keyed_sentences_are_re_derived_by_offsets_then_by_hash(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "Introduction\n\nThe home was cluttered and the exits were blocked. Nobody visited her alone.\n"
    )
    taxonomy = load_taxonomy()
    tagger = VersionedTagger(taxonomy)
    document = extract_document(report)
    unit = tagger.tag_document(document).units[-1]
    keyed = {"id": "k1", "file": "report.txt", "sha256": document.sha256, "themes": ["voice_person_msp"]}
    rows = [
        {**keyed, "start": unit.start, "end": unit.end, "text_hash": text_hash(unit.text)},
        {**keyed, "id": "k2", "start": 0, "end": 3, "text_hash": text_hash(unit.text)},  # offsets moved
        {**keyed, "id": "k3", "start": unit.start, "end": unit.end, "text_hash": "0" * 16},  # text changed
        {**keyed, "id": "k4", "file": "elsewhere.pdf", "start": 0, "end": 1, "text_hash": "0" * 16},
    ]
    resolved = resolve(rows, [tmp_path], tagger)
    assert [s.text for s in resolved.sentences] == [unit.text, unit.text]
    assert resolved.unresolved == 2 and resolved.missing_files == {"elsewhere.pdf"}


def _evaluate(*args: str):
    return CliRunner().invoke(cli, ["evaluate", *args], obj={})


def test_evaluate_reports_groups_and_themes_as_json(tmp_path: Path) -> None:
    path = tmp_path / "sample.jsonl"
    rows = [
        {"id": "1", "text": "There was no evidence of self-neglect.", "themes": [], "genre": "sar"},
        {
            "id": "2",
            "text": "Her home was full of hoarded newspapers to the ceiling.",
            "themes": ["hoarding"],
            "genre": "sar",
        },
        {"id": "3", "text": "The panel met four times.", "themes": [], "genre": "annual"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = _evaluate(str(path), "--by", "genre", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["groups"]) == {"all", "sar", "annual"}
    assert report["groups"]["all"]["sentences"] == 3 and report["tagging"].endswith("+theme-tagger-v2")
    assert "hoarding" in report["groups"]["all"]["themes"]
    rules = json.loads(_evaluate(str(path), "--no-classifier", "--format", "json").stdout)
    assert "+" not in rules["tagging"].split("+", 1)[1]


def test_evaluate_refuses_keyed_lines_it_cannot_re_derive(tmp_path: Path) -> None:
    path = tmp_path / "keyed.jsonl"
    path.write_text(
        json.dumps({"id": "1", "file": "gone.pdf", "start": 0, "end": 5, "text_hash": "0" * 16, "themes": []})
        + "\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _evaluate(str(path), "--sources", str(empty))
    assert result.exit_code == 2 and "gone.pdf" in result.output


def test_the_labelled_corpus_is_keys_and_our_own_words_only() -> None:
    real = read_labelled(LABELLED_REAL)
    written = read_labelled(LABELLED_WRITTEN)
    assert real and all("text" not in row and len(row["text_hash"]) == 16 for row in real)
    assert all(row["split"] in {"train", "val", "test"} for row in real + written)
    by_source: dict[str, set[str]] = {}
    for row in real + written:
        by_source.setdefault(row["source"], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in by_source.values())  # split by source, never within one
