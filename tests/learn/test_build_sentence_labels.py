"""A writing round becomes corpus rows and merged agreement figures (benchmarks/build_sentence_labels)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.build_sentence_labels import build_round, merge_agreement

THEMES = frozenset({"self_neglect", "hoarding", "mental_capacity"})


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def _round(tmp_path: Path, second: list[list[str]], adjudicated: dict[str, list[str]]) -> Path:
    lines = [
        {
            "doc": "w90-d01",
            "kind": "sar",
            "section": "analysis",
            "text": " The hallway was blocked by bags. ",
        },
        {"doc": "w90-d01", "kind": "sar", "section": "references", "text": "Braye S (2011) Self-neglect."},
        {
            "doc": "w90-d02",
            "kind": "annual_report_adults",
            "section": "priorities",
            "text": "Capacity was assumed.",
        },
    ]
    first = [["hoarding", "self_neglect"], [], ["mental_capacity"]]
    _write(tmp_path / "written" / "w90.jsonl", lines)
    _write(
        tmp_path / "labels" / "W90.a.jsonl",
        [{"id": f"w90-{n:04d}", "themes": t} for n, t in enumerate(first)],
    )
    _write(
        tmp_path / "labels" / "W90.b.jsonl",
        [{"id": f"w90-{n:04d}", "themes": t} for n, t in enumerate(second)],
    )
    _write(
        tmp_path / "labels" / "adjudicated.jsonl", [{"id": i, "themes": t} for i, t in adjudicated.items()]
    )
    return tmp_path


def test_agreed_lines_keep_their_labels_and_disagreements_take_the_adjudication(tmp_path: Path) -> None:
    folder = _round(
        tmp_path, [["hoarding"], [], ["mental_capacity"]], {"w90-0000": ["hoarding", "self_neglect"]}
    )
    rows, real, batches = build_round(folder, THEMES, writers=["w90"])
    assert real == []
    assert [(r["id"], r["themes"], r["label"]) for r in rows] == [
        ("w90-0000", ["hoarding", "self_neglect"], "adjudicated"),
        ("w90-0001", [], "agreed"),
        ("w90-0002", ["mental_capacity"], "agreed"),
    ]
    assert rows[0]["text"] == "The hallway was blocked by bags."
    assert [r["genre"] for r in rows] == ["written_adult_review", "written_adult_review", "annual_report"]
    assert {r["source"] for r in rows} == {"w90"} and {r["split"] for r in rows} == {"train"}
    assert batches["W90"]["exact_match"] == 2
    assert batches["W90"]["themes"]["self_neglect"] == {"both": 0, "only_a": 1, "only_b": 0}


def test_a_real_batch_is_keys_only_and_a_known_report_keeps_its_split(tmp_path: Path) -> None:
    key = {"file": "ofsted.pdf", "sha256": "ab" * 32, "start": 10, "end": 60, "text_hash": "0" * 16}
    _write(
        tmp_path / "keys" / "R9.jsonl",
        [{"id": "r9-0000", **key}, {"id": "r9-0001", **key, "file": "new.pdf"}],
    )
    _write(
        tmp_path / "labels" / "R9.a.jsonl",
        [{"id": "r9-0000", "themes": ["hoarding"]}, {"id": "r9-0001", "themes": []}],
    )
    _write(
        tmp_path / "labels" / "R9.b.jsonl",
        [{"id": "r9-0000", "themes": ["hoarding"]}, {"id": "r9-0001", "themes": []}],
    )
    written, real, batches = build_round(
        tmp_path, THEMES, real_batches=["R9"], split_of={"ofsted.pdf": "val"}
    )
    assert written == [] and batches["R9"]["exact_match"] == 2
    assert [(r["id"], r["split"], r["source"], r["themes"]) for r in real] == [
        ("r9-0000", "val", "ofsted.pdf", ["hoarding"]),
        ("r9-0001", "train", "new.pdf", []),
    ]
    assert all("text" not in row and row["genre"] == "real_text" and row["batch"] == "R9" for row in real)
    assert real[0]["start"] == 10 and real[0]["text_hash"] == "0" * 16


def test_a_disagreement_without_adjudication_is_refused(tmp_path: Path) -> None:
    folder = _round(tmp_path, [["hoarding"], [], ["mental_capacity"]], {})
    with pytest.raises(ValueError, match="w90-0000"):
        build_round(folder, THEMES, writers=["w90"])


def test_a_theme_outside_the_guide_is_refused(tmp_path: Path) -> None:
    folder = _round(tmp_path, [["hoarding", "self_neglect"], ["squalor"], ["mental_capacity"]], {})
    with pytest.raises(ValueError, match="squalor"):
        build_round(folder, THEMES, writers=["w90"])


def test_merged_agreement_adds_the_round_to_the_stored_totals() -> None:
    stored = {
        "sentences": 10,
        "exact_match": 0.9,
        "pairwise_micro_f1": 0.9,
        "batches": {"W1": {"sentences": 10, "pairwise_f1": 0.9}},
        "themes": {"hoarding": {"both": 9, "only_a": 1, "only_b": 1, "pairwise_f1": 0.9}},
    }
    batch = {"sentences": 10, "exact_match": 8, "themes": {"hoarding": {"both": 1, "only_a": 1, "only_b": 0}}}
    merged = merge_agreement(stored, {"W90": batch})
    assert merged["sentences"] == 20 and merged["exact_match"] == 0.85
    assert merged["themes"]["hoarding"] == {
        "both": 10,
        "only_a": 2,
        "only_b": 1,
        "pairwise_f1": round(20 / 23, 4),
    }
    assert merged["batches"]["W90"] == {"sentences": 10, "pairwise_f1": round(2 / 3, 4)}
    assert merged["pairwise_micro_f1"] == round(20 / 23, 4)
    assert stored["themes"]["hoarding"]["both"] == 9  # the stored figures are not changed in place
    with pytest.raises(ValueError, match="W1"):
        merge_agreement(stored, {"W1": batch})
