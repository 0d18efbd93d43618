"""How well the not-a-finding forms are recognised, on the labelled sentences written in our words.

The written sentences (corpus/labelled/sentences-written.jsonl) carry the section their writer
put them in. For the sections that are one form (references, glossary, membership, terms of
reference) this prints how many of their theme-free sentences the codebook's patterns
(``[matching.not_findings]``) recognise as that form; then how many sentences of the other
sections, and how many themed sentences, the patterns flag as any form (false flags).

Run:
    .venv/bin/python -m benchmarks.eval_forms                       # train, then val + test
    .venv/bin/python -m benchmarks.eval_forms --codebook my-taxonomy/ --splits train
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pipeline.paths import LABELLED_WRITTEN
from pipeline.tag.forms import FormRecogniser
from pipeline.tag.labelled import read_labelled
from pipeline.tag.taxonomy import load_taxonomy

FORM_OF_SECTION = {
    "references": "reference_entry",
    "glossary": "glossary_line",
    "membership": "membership_list",
    "terms_of_reference": "terms_of_reference",
}


def form_counts(rows: list[dict[str, object]], forms: FormRecogniser) -> Counter[tuple[str, str]]:
    """Count, per column of the printed table, the sentences seen and the sentences flagged."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        form = forms.form_of(str(row["text"]))
        section = str(row["section"])
        if row["themes"]:
            counts["themed", "seen"] += 1
            counts["themed", "flagged"] += form is not None
        if section in FORM_OF_SECTION:
            if not row["themes"]:
                counts[section, "seen"] += 1
                counts[section, "flagged"] += form == FORM_OF_SECTION[section]
        else:
            counts["other sections", "seen"] += 1
            counts["other sections", "flagged"] += form is not None
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--codebook", type=Path, help="Codebook folder (default: the shipped one).")
    parser.add_argument(
        "--splits", nargs="+", default=["train", "val,test"], help="Split groups (a,b: one group)."
    )
    args = parser.parse_args(argv)
    forms = FormRecogniser(dict(load_taxonomy(args.codebook).matching.not_findings))
    rows = read_labelled(LABELLED_WRITTEN)
    columns = [*FORM_OF_SECTION, "other sections", "themed"]
    print("split".ljust(12) + "".join(column.rjust(20) for column in columns))
    for group in args.splits:
        splits = set(group.split(","))
        counts = form_counts([row for row in rows if row["split"] in splits], forms)
        cells = [f"{counts[column, 'flagged']} / {counts[column, 'seen']}" for column in columns]
        print(group.ljust(12) + "".join(cell.rjust(20) for cell in cells))


if __name__ == "__main__":
    main()
