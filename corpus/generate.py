"""Generate the bundled sample corpus: fictional safeguarding reports with planted themes.

Run ``python -m corpus.generate [--out corpus/sample]``. Everything is drawn from
``random.Random(42)`` and written with reportlab's ``invariant=1``, so two runs give
byte-identical PDFs and an identical ``truth.json``.

Each document is built as sections of blocks of :class:`Sentence` objects. A sentence
knows which themes it plants as counted evidence and which traps it sets (negated,
boilerplate, glossary, references, wrong_sense). A small layout engine wraps the
sentences into one, two or three columns, and remembers on which page each sentence
starts, so the truth file can cite pages. Per-page reading-order lines are written to
``truth/<stem>.txt`` for scoring extractors.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from corpus.generator.fonts import register_fonts
from corpus.generator.layout import lay_out, write_pdf
from corpus.generator.plan import GAMBLING_SINCE, SEED, YEARS, DocPlan, plan_documents
from corpus.generator.truth import expected_shares, truth_record, write_manifest, write_page_truth

DEFAULT_OUT = Path(__file__).parent / "sample"
__all__ = ["MAX_PAGES", "MIN_PAGES", "YEARS", "generate", "main"]
MIN_PAGES, MAX_PAGES = 4, 10

# ---------------------------------------------------------------- one document

def file_name(plan: DocPlan) -> str:
    """Return the PDF file name for a plan."""
    slug = (
        plan.subject.lower().replace(" ", "_")
        if plan.case not in ("partnership", "thematic")
        else plan.audience
    )
    area = plan.area.lower().replace(" ", "_")
    return f"{plan.year}_{area}_{plan.doc_type}_{slug}.pdf"


# ---------------------------------------------------------------- corpus


def generate(out: Path = DEFAULT_OUT) -> dict:
    """Write the sample corpus (PDFs, truth.json, manifest.csv, truth/*.txt) into ``out``.

    Returns the truth dictionary.
    """
    register_fonts()
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    plans = plan_documents(rng)
    records = []
    for plan in plans:
        pages, sentences, title, header = lay_out(plan, rng)
        if not MIN_PAGES <= len(pages) <= MAX_PAGES:
            raise ValueError(f"{file_name(plan)} has {len(pages)} pages")
        write_pdf(out / file_name(plan), pages, title, header, plan)
        write_page_truth(out / "truth" / f"{Path(file_name(plan)).stem}.lines", pages)
        records.append(truth_record(plan, file_name(plan), title, pages, sentences))
    truth = {
        "generator_seed": SEED,
        "documents": records,
        "emerging": {
            "term": "gambling",
            "since": GAMBLING_SINCE,
            "files": [r["file"] for r in records if r["gambling"]],
        },
        "expected_shares": expected_shares(plans),
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_manifest(out / "manifest.csv", records, rng)
    return truth


def main(argv: list[str] | None = None) -> None:
    """Parse ``--out`` and generate the corpus, reporting counts and time on stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default corpus/sample)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    truth = generate(args.out)
    pages = sum(d["pages"] for d in truth["documents"])
    print(
        f"wrote {len(truth['documents'])} documents, {pages} pages to {args.out} "
        f"in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
