"""Build corpus/labelled/documents.jsonl from the annotators' files (run once per labelling round).

Input (kept outside the repository, because it holds copied report text):
- ANNOTATIONS/G*.a.jsonl, G*.b.jsonl: two annotators per report, one line per report,
  {"file", "themes": {theme: {"discussed", "prominent", "quote", "prominent_quote"}}};
  a theme not listed is not discussed;
- ANNOTATIONS/adjudicated.jsonl: {"file", "theme", "discussed", "prominent", "quote",
  "prominent_quote"} for every (file, theme) where the two disagreed.

Output: one row per (report, theme) that either annotator marked discussed, with the final
decision, who made it (agreed | adjudicated), the split, and each supporting quote as offsets
into the report's extracted text (pipeline.extract) plus hashes; a theme without a row was
not discussed according to both. It also prints the round's agreement.

Each round adds to the label file: the rows of reports this round's annotations do not cover
are kept as they are (an earlier round's annotator files need not be on the machine), and a
report labelled again replaces its rows.

Run:
    .venv/bin/python -m benchmarks.build_document_labels --annotations ../annot/doc/labels
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.document_labels import (
    LABELS_PATH,
    quote_ref,
    read_labels,
    score,
    sha256_text,
    source_path,
)
from pipeline.extract.document import extract_document
from pipeline.tag.taxonomy import load_taxonomy

# Held back for the final measurement only: never used to choose a parameter.
HELD_OUT = frozenset(
    {
        "jtai_2019_islington.pdf",
        "ofsted-cqc-area-send_2025_east-sussex.pdf",
        "ofsted-focused-visit_2022_bristol.pdf",
        "ofsted-ilacs_2016_torbay.pdf",
        "ofsted-ilacs_2021_knowsley.pdf",
        "ofsted-ilacs_2023_wandsworth.pdf",
        "dfe-information-sharing-advice-2024.pdf",
        "essex-understanding-social-worker-recording.pdf",
        "000_cb3dbd15023419e6.txt",
    }
)
KEYS = ("discussed", "prominent")


def read_annotators(folder: Path) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """Return {file: {"group": name, "a": themes, "b": themes}} from the G*.{a,b}.jsonl files."""
    reports: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("G*.[ab].jsonl")):
        group, annotator = path.name.split(".")[:2]
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            reports.setdefault(row["file"], {"group": group})[annotator] = row["themes"]
    return reports


def agreement(reports: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Return the pairwise F1 between the two annotators, for discussed and for prominent."""
    result = {}
    for key in KEYS:
        pairs = [
            {(f, t) for f, r in reports.items() for t, v in r[who].items() if v.get(key)} for who in "ab"
        ]
        result[key] = score(pairs[0], pairs[1]).f1
    return result


def _decision(marks: dict[str, Any]) -> tuple[bool, bool]:
    return bool(marks.get("discussed")), bool(marks.get("prominent"))


def _quotes(text: str, sources: Sequence[tuple[str, dict[str, Any]]], field: str) -> list[dict[str, Any]]:
    """Return the refs of the quotes in `field` of each source, found in the extracted text."""
    refs = []
    for who, marks in sources:
        quote = marks.get(field)
        if not quote:
            continue
        start = text.find(quote)
        if start < 0:
            raise ValueError(f"quote of {who} not found in the extracted text: {quote[:60]!r}")
        refs.append({"by": who, **quote_ref(text, start, start + len(quote))})
    return refs


def label_rows(
    file: str, report: dict[str, Any], adjudicated: dict[tuple[str, str], dict[str, Any]], themes: list[str]
) -> list[dict[str, Any]]:
    """Return the rows of one report: the final decision and the quotes that support it."""
    document = extract_document(source_path(file))
    text = document.text
    rows = []
    for theme in themes:
        a, b = report["a"].get(theme, {}), report["b"].get(theme, {})
        if not (a.get("discussed") or b.get("discussed")):
            continue  # neither annotator found it: not discussed, no row
        if _decision(a) == _decision(b):
            decided_by, (discussed, prominent) = "agreed", _decision(a)
            sources = [("a", a), ("b", b)]
        else:
            final = adjudicated[(file, theme)]
            decided_by, (discussed, prominent) = "adjudicated", _decision(final)
            agreeing = [(w, m) for w, m in (("a", a), ("b", b)) if _decision(m) == (discussed, prominent)]
            sources = [("adjudicator", final), *agreeing]
        rows.append(
            {
                "file": file,
                "sha256": document.sha256,
                "text_sha256": sha256_text(text),  # offsets hold exactly while this is unchanged
                "split": "held_out" if file in HELD_OUT else "calibration",
                "group": report["group"],
                "theme": theme,
                "discussed": discussed,
                "prominent": prominent,
                "decided_by": decided_by,
                "quotes": _quotes(text, sources, "quote") if discussed else [],
                "prominent_quotes": _quotes(text, sources, "prominent_quote") if prominent else [],
            }
        )
    return rows


def merge_rounds(
    earlier: Sequence[dict[str, Any]], new_rows: Sequence[dict[str, Any]], themes: Sequence[str]
) -> list[dict[str, Any]]:
    """Return the earlier rows of reports this round did not label plus this round's, by file and theme."""
    relabelled = {row["file"] for row in new_rows}
    order = {theme: k for k, theme in enumerate(themes)}
    kept = [row for row in earlier if row["file"] not in relabelled]
    return sorted([*kept, *new_rows], key=lambda row: (row["file"], order[row["theme"]]))


def main(argv: Sequence[str] | None = None) -> None:
    """Build the label file and print the annotators' agreement."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--annotations", type=Path, required=True, help="Folder of G*.{a,b}.jsonl and adjudicated.jsonl."
    )
    parser.add_argument("--out", type=Path, default=LABELS_PATH)
    args = parser.parse_args(argv)
    reports = read_annotators(args.annotations)
    adjudicated = {
        (row["file"], row["theme"]): row
        for row in map(
            json.loads, (args.annotations / "adjudicated.jsonl").read_text(encoding="utf-8").splitlines()
        )
    }
    themes = [theme.id for theme in load_taxonomy().themes]
    unknown = {t for r in reports.values() for who in "ab" for t in r[who]} - set(themes)
    if unknown:
        raise SystemExit(f"themes not in the codebook: {', '.join(sorted(unknown))}")
    new_rows = [
        row for file in sorted(reports) for row in label_rows(file, reports[file], adjudicated, themes)
    ]
    rows = merge_rounds(read_labels(args.out) if args.out.exists() else [], new_rows, themes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows), encoding="utf-8"
    )
    found = agreement(reports)
    print(
        f"{len(reports)} reports, {len(new_rows)} rows this round; "
        f"{len({row['file'] for row in rows})} reports, {len(rows)} rows -> {args.out}"
    )
    print(
        f"agreement (pairwise F1): discussed {found['discussed']:.3f}, prominent {found['prominent']:.3f}; "
        f"{sum(r['decided_by'] == 'adjudicated' for r in new_rows)} decisions adjudicated this round"
    )


if __name__ == "__main__":
    main()
