"""Tests for the sample-corpus generator: determinism, coverage and planted trends."""

import csv
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from corpus import generate

SAMPLE = Path(generate.__file__).parent / "sample"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the corpus once into a temporary folder."""
    out = tmp_path_factory.mktemp("corpus")
    generate.generate(out)
    return out


@pytest.fixture(scope="module")
def truth(fresh: Path) -> dict:
    """Return the freshly generated truth.json."""
    return json.loads((fresh / "truth.json").read_text(encoding="utf-8"))


def _page_texts(path: Path) -> list[str]:
    """Return the text of each page of a PDF, read with pypdfium2."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_generation_is_deterministic(fresh: Path, tmp_path: Path) -> None:
    generate.generate(tmp_path)
    assert (tmp_path / "truth.json").read_bytes() == (fresh / "truth.json").read_bytes()
    assert (tmp_path / "manifest.csv").read_bytes() == (fresh / "manifest.csv").read_bytes()
    for pdf in fresh.glob("*.pdf"):
        assert (tmp_path / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name


def test_committed_sample_matches_fresh_generation(fresh: Path) -> None:
    for name in ("truth.json", "manifest.csv"):
        assert (SAMPLE / name).read_text(encoding="utf-8") == (fresh / name).read_text(encoding="utf-8")
    assert sorted(p.name for p in SAMPLE.glob("*.pdf")) == sorted(p.name for p in fresh.glob("*.pdf"))


def test_corpus_covers_years_types_and_layouts(truth: dict) -> None:
    docs = truth["documents"]
    assert len(docs) >= 24
    assert len({d["year"] for d in docs}) >= 6
    assert len({d["doc_type"] for d in docs}) >= 4
    assert all(generate.MIN_PAGES <= d["pages"] <= generate.MAX_PAGES for d in docs)
    assert sum(d["columns"] >= 2 for d in docs) >= len(docs) / 2
    assert any(d["columns"] == 3 for d in docs)
    assert {d["stream_order"] for d in docs} == {"row", "column"}


def test_manifest_lists_existing_files_with_some_blanks(fresh: Path) -> None:
    with (fresh / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all((fresh / row["file"]).exists() for row in rows)
    assert sum(not row["area"] for row in rows) == 3
    assert sum(not row["title"] for row in rows) == 1


def test_every_pdf_opens_with_text_and_page_footer(fresh: Path, truth: dict) -> None:
    for doc in truth["documents"]:
        pages = _page_texts(fresh / doc["file"])
        assert len(pages) == doc["pages"]
        assert doc["area"] in pages[0]
        assert f"Page 2 of {doc['pages']}" in pages[1]


def test_truth_lines_have_one_block_per_page(fresh: Path, truth: dict) -> None:
    for doc in truth["documents"]:
        text = (fresh / "truth" / f"{Path(doc['file']).stem}.lines").read_text(encoding="utf-8")
        assert len(text.split("\n\f\n")) == doc["pages"]
        assert "Page 1 of" not in text and "\ufb01" not in text


def test_evidence_and_traps_cite_real_pages(truth: dict) -> None:
    for doc in truth["documents"]:
        assert {e["theme"] for e in doc["evidence"]} == set(doc["themes"])
        cited = [e["page"] for e in doc["evidence"]] + [t["page"] for t in doc["traps"]]
        assert all(3 <= page <= doc["pages"] for page in cited)
        assert any(t["kind"] == "glossary" for t in doc["traps"])


def test_self_neglect_share_rises(truth: dict) -> None:
    share = truth["expected_shares"]["self_neglect"]
    early = (share["2018"] + share["2019"]) / 2
    late = (share["2024"] + share["2025"]) / 2
    assert late > early + 0.4


def test_covid_only_in_pandemic_years(truth: dict) -> None:
    share = truth["expected_shares"]["covid_pandemic"]
    assert all((share[str(y)] > 0) == (2020 <= y <= 2022) for y in generate.YEARS)


def test_gambling_appears_only_from_2023(fresh: Path, truth: dict) -> None:
    since = truth["emerging"]["since"]
    for doc in truth["documents"]:
        text = " ".join(_page_texts(fresh / doc["file"])).lower()
        assert ("gambling" in text) == doc["gambling"], doc["file"]
        assert not doc["gambling"] or doc["year"] >= since
