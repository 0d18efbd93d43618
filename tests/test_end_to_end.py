"""End to end: ingest the bundled sample corpus and recover its planted truth.

The corpus generator stores what it planted (themes per document, traps that must
not count, evidence sentences with their pages, per-year shares) in
corpus/sample/truth.json; the pipeline never reads that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
# One document in a year of five moves a share by 0.2: allow one miss per cell.
SHARE_TOLERANCE = 0.2
# Document-level F1 floors per tagging: the rules were written with the generator's phrases; the
# learned model (trained on real and human-written text) adds some themes to its templated filler.
MIN_DOCUMENT_THEME_F1 = {"rules": 0.9, "model": 0.9}
# The generator's background and findings filler is planted as theme-free, but two independent
# annotators (GUIDE.md only, blind to the tagger and each other, 2026-12-04) gave ten of its 36 lines
# a theme ("Several agencies held useful knowledge, but it sat in different systems" is information
# sharing). A document's truth for those themes is unknown, so they are not scored here.
FILLER_LABELS = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "sample-filler-labels.jsonl").read_text().splitlines()
]
UNSURE_THEMES = frozenset(theme for line in FILLER_LABELS for theme in set(line["a"]) & set(line["b"]))
UNCOUNTED_TRAPS = ("negated", "boilerplate", "glossary", "references", "wrong_sense")


@pytest.fixture(scope="module", params=["rules", "model"])
def tagging(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, tagging: str) -> Path:
    db = tmp_path_factory.mktemp("e2e") / "themes.duckdb"
    switch = "--no-classifier" if tagging == "rules" else "--classifier"
    args = ["--db", str(db), "ingest", str(SAMPLE), switch, "--workers", "2", "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["new"] == len(TRUTH["documents"]) and not summary["quarantined"]
    return db


def _counted_themes(db: Path) -> dict[str, set[str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT d.path, m.theme FROM current_mentions m JOIN documents d USING (sha256) WHERE m.counted"
        ).fetchall()
    found: dict[str, set[str]] = {}
    for path, theme in rows:
        found.setdefault(Path(path).name, set()).add(theme)
    return found


RULES_ONLY = "the planted sentences are phrased for the codebook; the model is measured on corpus/labelled"


def test_trend_shares_match_the_planted_truth(warehouse, tagging):
    if tagging == "model":
        pytest.skip(RULES_ONLY)
    result = CliRunner().invoke(cli, ["--db", str(warehouse), "trends", "--format", "json"])
    assert result.exit_code == 0, result.output
    cells = {(row["theme"], row["bucket"]): row for row in json.loads(result.stdout)}
    misses = []
    for theme, by_year in TRUTH["expected_shares"].items():
        for year, share in by_year.items():
            got = cells[(theme, year)]["value"]
            if abs(got - share) > SHARE_TOLERANCE + 1e-9:
                misses.append(f"{theme} {year}: planted {share:.2f}, measured {got:.2f}")
    assert not misses, "\n".join(misses)


def test_planted_rising_theme_rises_and_persistent_theme_persists(warehouse):
    result = CliRunner().invoke(cli, ["--db", str(warehouse), "trends", "--format", "json"])
    rows = json.loads(result.stdout)
    share = {(r["theme"], r["bucket"]): r["value"] for r in rows}
    early = (share[("self_neglect", "2018")] + share[("self_neglect", "2019")]) / 2
    late = (share[("self_neglect", "2024")] + share[("self_neglect", "2025")]) / 2
    assert late - early >= 0.4
    assert all(share[("professional_curiosity", str(year))] >= 0.4 for year in range(2018, 2026))


def test_document_themes_match_planted_themes(warehouse, tagging):
    found = _counted_themes(warehouse)
    true_positive = false_positive = false_negative = 0
    for document in TRUTH["documents"]:
        planted = set(document["themes"]) - UNSURE_THEMES
        got = found.get(document["file"], set()) - UNSURE_THEMES
        true_positive += len(planted & got)
        false_positive += len(got - planted)
        false_negative += len(planted - got)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= MIN_DOCUMENT_THEME_F1[tagging], (
        f"document-level P={precision:.2f} R={recall:.2f} F1={f1:.2f}"
    )


def test_the_filler_labels_are_of_the_generator_s_own_lines() -> None:
    from corpus.generator import report_texts

    written = {
        line.format(name="Mr K", area="Eastvale")
        for line in report_texts.BACKGROUND + report_texts.FINDINGS + report_texts.GOOD_PRACTICE
    }
    assert {line["text"] for line in FILLER_LABELS} == written  # relabel when the filler changes
    assert UNSURE_THEMES and len(UNSURE_THEMES) < 10


def test_traps_are_never_counted(warehouse, tagging):
    if tagging == "model":
        pytest.skip(RULES_ONLY)
    found = _counted_themes(warehouse)
    counted_traps = [
        f"{d['file']}: {trap['theme']} ({trap['kind']}, page {trap['page']})"
        for d in TRUTH["documents"]
        for trap in d["traps"]
        if trap["kind"] in UNCOUNTED_TRAPS
        and trap["theme"] not in d["themes"]
        and trap["theme"] in found.get(d["file"], set())
    ]
    assert not counted_traps, "\n".join(counted_traps)


def test_evidence_cites_the_page_each_planted_sentence_is_on(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            SELECT d.path, m.theme, m.page, u.text FROM current_mentions m
            JOIN documents d USING (sha256)
            JOIN text_units u ON u.sha256 = m.sha256 AND u.unit_no = m.unit_no
            WHERE m.counted
            """
        ).fetchall()
    cited = {(Path(path).name, theme, page) for path, theme, page, _ in rows}
    planted = [(d["file"], e["theme"], e["page"]) for d in TRUTH["documents"] for e in d.get("evidence", [])]
    found = sum(1 for item in planted if item in cited)
    assert planted and found / len(planted) >= 0.9, (
        f"{found}/{len(planted)} planted sentences cited on their page"
    )


def test_manifest_metadata_lands_and_missing_cells_are_inferred(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT path, doc_type, year, area, metadata_source FROM documents").fetchall()
    truth = {d["file"]: d for d in TRUTH["documents"]}
    for path, doc_type, year, area, source in rows:
        expected = truth[Path(path).name]
        assert (doc_type, year) == (expected["doc_type"], expected["year"]), path
        assert area == expected["area"], f"{path}: area {area!r} (inferred when the manifest cell is empty)"
        assert source == "manifest"
