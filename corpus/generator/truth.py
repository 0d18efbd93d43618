"""The ground truth beside the PDFs: planted themes per document, expected shares, page text, manifest."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from corpus.generator.layout import page_text
from corpus.generator.plan import SCHEDULE, YEARS, DocPlan, Page, Sentence


def truth_record(plan: DocPlan, file: str, title: str, pages: list[Page], sentences: list[Sentence]) -> dict:
    """Return the truth.json entry for one document."""
    page_of = {sid: n for n, page in enumerate(pages, start=1) for sid in page.sids}
    traps, evidence = [], []
    for sid, s in enumerate(sentences):
        traps += [{"theme": t, "kind": kind, "page": page_of[sid]} for t, kind in s.traps]
        evidence += [{"theme": t, "page": page_of[sid], "sentence": s.text} for t in s.themes]
    return {
        "file": file,
        "title": title,
        "doc_type": plan.doc_type,
        "area": plan.area,
        "year": plan.year,
        "pages": len(pages),
        "themes": sorted(plan.themes),
        "traps": traps,
        "columns": max(p.columns for p in pages),
        "page_columns": [p.columns for p in pages],
        "stream_order": plan.stream_order if plan.columns > 1 else "column",
        "bullets": plan.bullets,
        "gambling": plan.gambling,
        "evidence": evidence,
    }


def expected_shares(plans: list[DocPlan]) -> dict[str, dict[str, float]]:
    """Return, per planted theme, the share of each year's documents that discuss it."""
    shares: dict[str, dict[str, float]] = {}
    for theme in SCHEDULE:
        shares[theme] = {}
        for year in YEARS:
            docs = [p for p in plans if p.year == year]
            shares[theme][str(year)] = round(sum(theme in p.themes for p in docs) / len(docs), 3)
    return shares


def write_page_truth(path: Path, pages: list[Page]) -> None:
    """Write reading-order lines per page; pages are separated by a form feed line."""
    text = "\n\f\n".join("\n".join(page_text(page)) for page in pages)
    path.write_text(text + "\n", encoding="utf-8")


def write_manifest(path: Path, records: list[dict], rng: random.Random) -> None:
    """Write manifest.csv, blanking area on three rows and title on one to exercise inference."""
    blank_area = set(rng.sample(range(len(records)), 3))
    blank_title = rng.choice([i for i in range(len(records)) if i not in blank_area])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "title", "doc_type", "area", "year"])
        for i, r in enumerate(records):
            writer.writerow(
                [
                    r["file"],
                    "" if i == blank_title else r["title"],
                    r["doc_type"],
                    "" if i in blank_area else r["area"],
                    r["year"],
                ]
            )
