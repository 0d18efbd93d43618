"""models/train_classifier.py: the leave-source-out evaluation never trains on the documents it scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import models.train_classifier as script
from pipeline.errors import UsageError
from pipeline.tag.classify import CombineSettings
from pipeline.tag.rules import ThemeTagger
from pipeline.tag.taxonomy import load_taxonomy
from pipeline.tag.training import TrainSettings, training_set
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


def test_threshold_grid_crosses_every_add_with_every_veto_and_keeps_the_rules_cell() -> None:
    grid = script.threshold_grid()
    cells = {(s.add_threshold if s.add else None, s.veto_threshold if s.veto else None) for s in grid}
    adds = [*script.SWEEP_ADD, None]
    vetoes = [*script.SWEEP_VETO, None]
    assert len(grid) == len(cells) == len(adds) * len(vetoes)
    assert cells == {(add, veto) for add in adds for veto in vetoes}


def test_sweep_scores_the_same_fold_models_at_every_setting(warehouse: Path) -> None:
    gold = _gold_from_fixture()
    paraphrase = "Newspapers made the kitchen unusable."  # hoarding, but no rule matches it
    gold += [{**row, "id": f"{row['id']}-p", "text": paraphrase} for row in gold]
    with connect_read(warehouse) as con:
        data = training_set(con)
    shipped = CombineSettings(add_threshold=0.95, veto_threshold=0.02)
    report = script.evaluate_by_source(
        data,
        gold,
        ThemeTagger(load_taxonomy()),
        settings=TrainSettings(min_df=1),
        combine=shipped,
        sweep=script.threshold_grid(),
        folds=FOLDS,
    )
    rows = {(row["add_threshold"], row["veto_threshold"]): row for row in report["sweep"]}
    scores = ("micro_p", "micro_r", "micro_f1")
    assert {k: rows[(None, None)][k] for k in scores} == report["rules"]
    assert {k: rows[(0.95, 0.02)][k] for k in scores} == report["combined"]
    assert rows[(0.5, None)]["micro_r"] > report["rules"]["micro_r"]  # low threshold adds the paraphrase
    assert report["best_after_the_fact"]["micro_f1"] == max(row["micro_f1"] for row in rows.values())


def test_best_row_prefers_leaving_the_rules_alone_on_a_tie() -> None:
    scores = {"micro_p": 0.9, "micro_r": 0.9, "micro_f1": 0.9}
    rows = [
        {"add_threshold": 0.9, "veto_threshold": 0.01, **scores},
        {"add_threshold": 0.9, "veto_threshold": None, **scores},
        {"add_threshold": None, "veto_threshold": None, **scores},
        {"add_threshold": 0.5, "veto_threshold": None, "micro_p": 0.8, "micro_r": 0.99, "micro_f1": 0.88},
    ]
    assert script.best_row(rows) == rows[2]
    assert script.best_row(rows[:2]) == rows[1]
    better = {**rows[0], "micro_f1": 0.91}
    assert script.best_row([*rows, better]) == better


def test_script_refuses_a_sweep_without_a_held_out_evaluation(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        script.main(["--db", str(warehouse), "--out", str(tmp_path / "m.joblib"), "--sweep"])
    assert stopped.value.code == 2
    assert not (tmp_path / "m.joblib").exists()
