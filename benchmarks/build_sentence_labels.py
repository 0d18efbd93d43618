"""Add a round of labelled sentences to corpus/labelled (run once per labelling round).

Input (a folder outside the repository, made by the round's helper sessions; it holds copied
report text, so it is never committed):
- ``written/<writer>.jsonl``: one writer's lines, ``{"doc", "kind", "section", "text"}``, in
  document order (writers record no labels); its batch is the writer id upper-cased (``W12``)
  and its line ids ``<writer>-0000``...;
- ``keys/<BATCH>.jsonl``: a batch of real report sentences as keys only, ``{"id", "file",
  "sha256", "start", "end", "text_hash"}`` (the annotators saw the text, re-derived here never);
- ``labels/<BATCH>.a.jsonl`` and ``labels/<BATCH>.b.jsonl``: two independent annotators,
  ``{"id", "themes"}`` for every line of the batch;
- ``labels/adjudicated.jsonl``: ``{"id", "themes"}`` for every line the two labelled differently.

Output: written rows appended to ``sentences-written.jsonl``, real ones to
``sentences-real.jsonl`` (``label`` says agreed or adjudicated), and the round's agreement
merged into ``sentences-agreement.json``. New sources go to ``--split`` (train unless told); a
real report already in the corpus keeps its split, so a split stays by source. A batch
already in the corpus is refused: a round only adds.

Run:
    .venv/bin/python -m benchmarks.build_sentence_labels --round ../annot/w2 --written w12 w13 --real R8
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.paths import LABELLED_CORPUS, LABELLED_REAL, LABELLED_WRITTEN
from pipeline.tag.taxonomy import load_taxonomy

KEY_FIELDS = ("file", "sha256", "start", "end", "text_hash")
AGREEMENT = LABELLED_CORPUS / "sentences-agreement.json"
GENRE_OF_KIND = {
    "sar": "written_adult_review",
    "dhr": "written_adult_review",
    "cspr": "written_children_review",
    "rapid_review": "written_children_review",
    "annual_report_adults": "annual_report",
    "annual_report_children": "annual_report",
    "seven_minute_briefing": "written_briefing",
}

Labels = dict[str, frozenset[str]]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the objects of a JSON Lines file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_labels(path: Path, known_themes: frozenset[str]) -> Labels:
    """Return {id: themes} from an annotator's file; an id outside the guide is an error."""
    labels = {row["id"]: frozenset(row["themes"]) for row in read_jsonl(path)}
    unknown = sorted({theme for themes in labels.values() for theme in themes} - known_themes)
    if unknown:
        raise ValueError(f"{path}: themes not in the guide: {unknown}")
    return labels


def writer_rows(
    writer: str, lines: Sequence[Mapping[str, Any]], batch: str, split: str
) -> list[dict[str, Any]]:
    """Return the corpus rows of one writer's lines, without themes yet."""
    rows = []
    for number, line in enumerate(lines):
        kind = line["kind"]
        if kind not in GENRE_OF_KIND:
            raise ValueError(f"{writer} line {number}: unknown kind {kind!r}")
        rows.append(
            {
                "id": f"{writer}-{number:04d}",
                "text": line["text"].strip(),
                "split": split,
                "genre": GENRE_OF_KIND[kind],
                "kind": kind,
                "section": line["section"],
                "source": writer,
                "doc": line["doc"],
                "batch": batch,
            }
        )
    return rows


def decide(
    ids: Sequence[str], first: Labels, second: Labels, adjudicated: Labels
) -> list[tuple[frozenset[str], str]]:
    """Return each line's final themes and how they were reached (agreed | adjudicated)."""
    missing = [i for i in ids if i not in first or i not in second]
    if missing:
        raise ValueError(f"lines without both annotators' labels: {missing[:5]} ({len(missing)})")
    decisions = []
    for line_id in ids:
        if first[line_id] == second[line_id]:
            decisions.append((first[line_id], "agreed"))
        elif line_id in adjudicated:
            decisions.append((adjudicated[line_id], "adjudicated"))
        else:
            raise ValueError(f"{line_id}: the annotators disagree and there is no adjudication")
    return decisions


def agreement(ids: Sequence[str], first: Labels, second: Labels) -> dict[str, Any]:
    """Return exact match, pairwise micro-F1 and per-theme counts of two annotators over the lines."""
    themes: dict[str, dict[str, int]] = {}
    for line_id in ids:
        a, b = first[line_id], second[line_id]
        for theme in a | b:
            counts = themes.setdefault(theme, {"both": 0, "only_a": 0, "only_b": 0})
            counts["both" if theme in a and theme in b else "only_a" if theme in a else "only_b"] += 1
    return {
        "sentences": len(ids),
        "exact_match": sum(first[i] == second[i] for i in ids),
        "themes": themes,
    }


def _f1(counts: Mapping[str, int]) -> float:
    both, differ = counts["both"], counts["only_a"] + counts["only_b"]
    return round(2 * both / (2 * both + differ), 4) if both else 0.0


def merge_agreement(stored: dict[str, Any], batches: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the agreement file with new batches added: totals and per-theme figures recomputed."""
    clash = sorted(set(batches) & set(stored["batches"]))
    if clash:
        raise ValueError(f"batches already in the corpus: {clash}")
    merged = {
        **stored,
        "batches": dict(stored["batches"]),
        "themes": {k: dict(v) for k, v in stored["themes"].items()},
    }
    exact = round(stored["exact_match"] * stored["sentences"])
    for name, batch in batches.items():
        merged["sentences"] += batch["sentences"]
        exact += batch["exact_match"]
        total = {"both": 0, "only_a": 0, "only_b": 0}
        for theme, counts in batch["themes"].items():
            mine = merged["themes"].setdefault(
                theme, {"both": 0, "only_a": 0, "only_b": 0, "pairwise_f1": 0.0}
            )
            for key in total:
                mine[key] += counts[key]
                total[key] += counts[key]
            mine["pairwise_f1"] = _f1(mine)
        merged["batches"][name] = {"sentences": batch["sentences"], "pairwise_f1": _f1(total)}
    merged["exact_match"] = round(exact / merged["sentences"], 4)
    sums = {
        key: sum(counts[key] for counts in merged["themes"].values()) for key in ("both", "only_a", "only_b")
    }
    merged["pairwise_micro_f1"] = _f1(sums)
    return merged


def real_rows(
    keys: Sequence[Mapping[str, Any]], batch: str, split_of: Mapping[str, str], split: str
) -> list[dict[str, Any]]:
    """Return the corpus rows of a batch of real sentences (keys only), without themes yet."""
    return [
        {
            "id": key["id"],
            **{field: key[field] for field in KEY_FIELDS},
            "split": split_of.get(key["file"], split),
            "genre": "real_text",
            "source": key["file"],
            "batch": batch,
        }
        for key in keys
    ]


def labelled_batch(
    folder: Path,
    batch: str,
    lines: Sequence[dict[str, Any]],
    known_themes: frozenset[str],
    adjudicated: Labels,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Return one batch's rows with their final themes (after "id" and any "text"), and its agreement."""
    first = read_labels(folder / "labels" / f"{batch}.a.jsonl", known_themes)
    second = read_labels(folder / "labels" / f"{batch}.b.jsonl", known_themes)
    ids = [row["id"] for row in lines]
    rows = []
    for row, (themes, how) in zip(lines, decide(ids, first, second, adjudicated), strict=True):
        leading = {key: row[key] for key in ("id", "text") if key in row}
        rows.append({**leading, "themes": sorted(themes), **row, "label": how})
    return rows, agreement(ids, first, second)


def build_round(
    folder: Path,
    known_themes: frozenset[str],
    *,
    writers: Sequence[str] = (),
    real_batches: Sequence[str] = (),
    split: str = "train",
    split_of: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Return the round's written rows, real rows and each batch's agreement.

    ``split_of``: the split of each real report already in the corpus (it keeps it).
    """
    adjudicated_path = folder / "labels" / "adjudicated.jsonl"
    adjudicated = read_labels(adjudicated_path, known_themes) if adjudicated_path.exists() else {}
    written: list[dict[str, Any]] = []
    real: list[dict[str, Any]] = []
    batches = {}
    for writer in writers:
        batch = writer.upper()
        lines = writer_rows(writer, read_jsonl(folder / "written" / f"{writer}.jsonl"), batch, split)
        rows, batches[batch] = labelled_batch(folder, batch, lines, known_themes, adjudicated)
        written += rows
    for batch in real_batches:
        lines = real_rows(read_jsonl(folder / "keys" / f"{batch}.jsonl"), batch, split_of or {}, split)
        rows, batches[batch] = labelled_batch(folder, batch, lines, known_themes, adjudicated)
        real += rows
    return written, real, batches


def _append(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Append the round to the corpus and merge its agreement; print the round's figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--round", type=Path, required=True, help="the round's folder (written/, keys/, labels/)"
    )
    parser.add_argument("--split", default="train", choices=("train", "val", "test"), help="for new sources")
    parser.add_argument("--written", nargs="*", default=[], help="writer ids, such as w12")
    parser.add_argument("--real", nargs="*", default=[], help="batches of real sentences, such as R8")
    args = parser.parse_args(argv)
    known = frozenset(load_taxonomy().theme_ids)
    present_real = read_jsonl(LABELLED_REAL)
    present = {row["source"] for row in read_jsonl(LABELLED_WRITTEN)} & set(args.written)
    if present:
        raise SystemExit(f"writers already in the corpus: {sorted(present)}")
    split_of = {row["file"]: row["split"] for row in present_real}
    written, real, batches = build_round(
        args.round, known, writers=args.written, real_batches=args.real, split=args.split, split_of=split_of
    )
    labelled_spans = {(row["file"], row["start"], row["end"]) for row in present_real}
    again = [row["id"] for row in real if (row["file"], row["start"], row["end"]) in labelled_spans]
    if again:
        raise SystemExit(f"real sentences already in the corpus: {again[:5]} ({len(again)})")
    merged = merge_agreement(json.loads(AGREEMENT.read_text()), batches)
    _append(LABELLED_WRITTEN, written)
    _append(LABELLED_REAL, real)
    AGREEMENT.write_text(json.dumps(merged, indent=1) + "\n")
    for name, batch in batches.items():
        print(
            f"{name}: {batch['sentences']} lines, exact {batch['exact_match'] / batch['sentences']:.3f}, "
            f"pairwise F1 {merged['batches'][name]['pairwise_f1']:.4f}"
        )
    print(
        f"corpus agreement now: {merged['sentences']} sentences, micro-F1 {merged['pairwise_micro_f1']}, "
        f"exact {merged['exact_match']}"
    )


if __name__ == "__main__":
    main()
