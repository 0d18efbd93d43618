"""models/train_classifier.py: the leave-source-out evaluation never trains on the documents it scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import models.train_classifier as script
from pipeline.classify import CombineSettings, TrainSettings, training_set
from pipeline.errors import UsageError
from pipeline.tag import ThemeTagger
from pipeline.taxonomy import load_taxonomy
from warehouse.db import connect_read

from .conftest import fixture_documents

FOLDS = 3


def _gold_from_fixture() -> list[dict]:
    """Two hoarding sentences of each of six fixture documents, labelled, with their source file."""
    rows = []
    for document in fixture_documents()[:6]:
        source = document.document.path.name
        for unit in document.units:
            themes = sorted({m.theme for m in document.mentions if m.unit_no == unit.unit_no})
            if themes == ["hoarding"]:
                row_id = f"{source}-{unit.unit_no}"
                rows.append({"id": row_id, "source": source, "text": unit.text, "themes": themes})
    return rows


def test_training_set_knows_each_sentences_source_file(warehouse: Path) -> None:
    with connect_read(warehouse) as con:
        data = training_set(con)
    names = {document.document.path.name for document in fixture_documents()}
    assert set(data.sources) == names and len(data.sources) == len(data.texts)


def test_without_sources_drops_exactly_those_documents(warehouse: Path) -> None:
    with connect_read(warehouse) as con:
        data = training_set(con)
    dropped = {data.sources[0], data.sources[-1]}
    kept = data.without_sources(dropped)
    assert not dropped & set(kept.sources)
    assert len(kept.texts) == sum(1 for source in data.sources if source not in dropped)
    assert kept.documents == data.documents - 2
    assert len(kept.labels) == len(kept.rule_labels) == len(kept.weights) == len(kept.texts)


def test_source_folds_are_disjoint_and_cover_every_source() -> None:
    gold = _gold_from_fixture()
    folds = script.source_folds(gold, FOLDS)
    assert len(folds) == FOLDS
    assert set().union(*folds) == {row["source"] for row in gold}
    assert sum(len(fold) for fold in folds) == len({row["source"] for row in gold})


def test_source_folds_refuse_rows_without_a_source() -> None:
    with pytest.raises(UsageError, match="source"):
        script.source_folds([{"id": "x1", "text": "Hoarding.", "themes": ["hoarding"]}])


def test_evaluation_by_source_never_trains_on_a_scored_document(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = _gold_from_fixture()
    trained_on: list[set[str]] = []
    real_train_on = script.train_on

    def spying_train_on(data, settings):
        trained_on.append(set(data.sources))
        return real_train_on(data, settings)

    monkeypatch.setattr(script, "train_on", spying_train_on)
    with connect_read(warehouse) as con:
        data = training_set(con)
    report = script.evaluate_by_source(
        data,
        gold,
        ThemeTagger(load_taxonomy()),
        settings=TrainSettings(min_df=1),
        combine=CombineSettings(),
        folds=FOLDS,
    )
    folds = script.source_folds(gold, FOLDS)
    assert len(trained_on) == FOLDS
    for sources, held_out in zip(trained_on, folds, strict=True):
        assert held_out and not sources & held_out
        assert sources  # every other fixture document is still trained on
    assert report["rules"]["micro_f1"] == 1.0  # plain "hoarding" sentences: the rules find them all
    assert 0.0 <= report["combined"]["micro_f1"] <= 1.0


def test_script_by_source_prints_json_and_writes_no_artifact(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(row) + "\n" for row in _gold_from_fixture()))
    artifact = tmp_path / "model.joblib"
    argv = ["--db", str(warehouse), "--out", str(artifact), "--gold-by-source", str(gold_file)]
    assert script.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"gold_by_source"}
    assert set(report["gold_by_source"]) == {"rules", "combined"}
    assert not artifact.exists()
