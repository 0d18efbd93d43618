"""Write each document's sections from the sentence banks: case reviews, annual reports, recommendations."""

from __future__ import annotations

import random

from corpus.generator.plan import AREAS, MONTHS, Block, DocPlan, Section, Sentence
from corpus.generator.report_texts import (
    ANNUAL,
    BACKGROUND,
    BOILERPLATE,
    CONCLUSION,
    FINDINGS,
    GLOSSARY,
    GOOD_PRACTICE,
    INSPECTION,
    INTRO,
    METHOD,
    PRIORITIES,
    REFERENCES,
)
from corpus.generator.theme_texts import (
    DONE,
    GAMBLING_REC,
    GAMBLING_TEXT,
    NEGATED,
    NEUTRAL_RECS,
    REPORT_ONLY,
    THEME_RECS,
    THEME_TEXT,
    WRONG_SENSE,
)


def _fill(template: str, plan: DocPlan, rng: random.Random) -> str:
    """Fill a template's placeholders from the plan."""
    return template.format(
        name=plan.subject,
        area=plan.area,
        board=_board(plan)[1],
        year=plan.year,
        start=f"{rng.choice(MONTHS)} {plan.year - 2}",
    )


def _board(plan: DocPlan) -> tuple[str, str]:
    """Return the (short key, full name) of the partnership that published a document."""
    key = "csp" if plan.doc_type == "dhr" else ("sab" if plan.audience == "adults" else "scp")
    return key, AREAS[plan.area][key]


def _neutral(bank: list[str], k: int, plan: DocPlan, rng: random.Random) -> list[Sentence]:
    """Return ``k`` neutral sentences from ``bank`` not yet used in this document (no themes, no traps)."""
    fresh = [t for t in bank if t not in plan.used]
    picks = rng.sample(fresh, min(k, len(fresh)))
    plan.used.update(picks)
    return [Sentence(_fill(t, plan, rng)) for t in picks]


def theme_sentences(plan: DocPlan, rng: random.Random) -> dict[str, list[Sentence]]:
    """Return 1-3 counted body sentences for each planted theme (and for gambling)."""
    out = {}
    for theme in plan.themes:
        bank = [t for t in THEME_TEXT[theme] if plan.case == "partnership" or t not in REPORT_ONLY]
        picks = rng.sample(bank, rng.randint(1, min(3, len(bank))))
        out[theme] = [Sentence(_fill(t, plan, rng), themes=(theme,)) for t in picks]
    if plan.gambling:
        out["gambling"] = [Sentence(_fill(t, plan, rng)) for t in rng.sample(GAMBLING_TEXT, 2)]
    return out


def trap_sentences(plan: DocPlan, rng: random.Random) -> list[Sentence]:
    """Return negated and wrong-sense sentences for themes the document does not plant."""
    candidates = [
        t
        for t in NEGATED
        if t not in plan.themes and (t != "covid_pandemic" or plan.year >= 2023) and _negation_fits(t, plan)
    ]
    out = [
        Sentence(_fill(NEGATED[t], plan, rng), traps=((t, "negated"),))
        for t in rng.sample(candidates, min(2, len(candidates)))
    ]
    pool = WRONG_SENSE["children" if plan.audience == "children" else "adults"]
    text, themes = rng.choice(pool)
    if not set(themes) & set(plan.themes):
        out.append(Sentence(_fill(text, plan, rng), traps=tuple((t, "wrong_sense") for t in themes)))
    return out


def _negation_fits(theme: str, plan: DocPlan) -> bool:
    """Return whether a negated mention of ``theme`` reads naturally in this document."""
    adult_only = {"self_neglect", "hoarding", "housing_homelessness"}
    if theme in adult_only:
        return plan.audience != "children"
    if theme == "child_exploitation_missing":
        return plan.audience == "children"
    return True


def build_sections(plan: DocPlan, rng: random.Random) -> list[Section]:
    """Compose the body, recommendations and references sections of a document."""
    planted = theme_sentences(plan, rng)
    traps = trap_sentences(plan, rng)
    body = (
        _annual_body(plan, rng, planted, traps)
        if plan.case == "partnership"
        else (_case_body(plan, rng, planted, traps))
    )
    sections = body + [_recommendations(plan, rng)]
    if plan.references:
        sections.append(_references(plan, rng))
    return sections


def _spread(
    planted: dict[str, list[Sentence]], traps: list[Sentence], n_parts: int, rng: random.Random
) -> list[list[Sentence]]:
    """Deal the theme and trap sentences into ``n_parts`` groups for separate paragraphs."""
    parts: list[list[Sentence]] = [[] for _ in range(n_parts)]
    for sentences in planted.values():
        for s in sentences:
            parts[rng.randrange(n_parts)].append(s)
    for s in traps:
        parts[rng.randrange(n_parts)].append(s)
    return parts


def _mix(special: list[Sentence], neutral: list[Sentence], rng: random.Random) -> list[Sentence]:
    """Interleave special sentences into neutral ones, keeping the neutral order."""
    out = list(neutral)
    for s in special:
        out.insert(rng.randint(0, len(out)), s)
    return out


def _case_body(
    plan: DocPlan, rng: random.Random, planted: dict[str, list[Sentence]], traps: list[Sentence]
) -> list[Section]:
    """Compose the introduction, background and findings of a case or thematic review."""
    parts = _spread(planted, traps, 4, rng)
    intro = [Block("para", _neutral(INTRO, 4, plan, rng))]
    intro += [Block("para", [_boiler(key)]) for key in _boiler_keys(plan)]
    intro.append(Block("para", _neutral(METHOD, 3, plan, rng)))
    background = [
        Block("heading", [Sentence("Background")]),
        Block("para", _mix(parts[0], _neutral(BACKGROUND, 5, plan, rng), rng)),
        Block("para", _neutral(BACKGROUND, 4, plan, rng)),
    ]
    if plan.case == "thematic" and plan.doc_type == "inspection":
        background[1] = Block("para", _mix(parts[0], _neutral(INSPECTION, 3, plan, rng), rng))
    findings = [
        Block("para", _mix(parts[1], _neutral(FINDINGS, 5, plan, rng), rng)),
        Block("para", _neutral(FINDINGS, 4, plan, rng)),
        Block("para", _mix(parts[2], _neutral(FINDINGS, 4, plan, rng), rng)),
        Block("heading", [Sentence("Key learning")]),
    ]
    findings += [Block("bullet", [s]) for s in parts[3] or _neutral(GOOD_PRACTICE, 2, plan, rng)]
    findings += [
        Block("heading", [Sentence("Good practice")]),
        Block("para", _neutral(GOOD_PRACTICE, 2, plan, rng)),
        Block("heading", [Sentence("Conclusion")]),
        Block("para", _neutral(CONCLUSION, 3, plan, rng)),
    ]
    cols = plan.columns
    sections = [Section("Introduction and scope", "body", intro + background, cols, new_page=True)]
    if plan.three_col_page:
        sections.append(Section("Findings at a glance", "body", _glance(plan, rng), 3, new_page=True))
    sections.append(Section("Findings and analysis", "body", findings, cols, new_page=plan.three_col_page))
    return sections


def _boiler_keys(plan: DocPlan) -> list[str]:
    """Return which statutory boilerplate paragraphs a document restates."""
    if plan.doc_type == "dhr":
        if plan.year < 2021:
            return ["dhr_old", "equality"]
        return ["dhr_paraphrase" if plan.year % 2 == 0 else "dhr_act", "equality"]
    if plan.doc_type == "sar":
        return ["sar", "equality"]
    return [plan.doc_type] if plan.doc_type in BOILERPLATE else []


def _boiler(key: str) -> Sentence:
    """Return a statutory boilerplate sentence that must not count."""
    text, themes = BOILERPLATE[key]
    return Sentence(text, traps=tuple((t, "boilerplate") for t in themes))


def _glance(plan: DocPlan, rng: random.Random) -> list[Block]:
    """Return a short three-column summary page of neutral paragraphs."""
    blocks = []
    for title in ("What happened", "What we found", "What will change"):
        blocks += [
            Block("heading", [Sentence(title)]),
            Block("para", _neutral(FINDINGS + METHOD, 4, plan, rng)),
        ]
    return blocks


def _annual_body(
    plan: DocPlan, rng: random.Random, planted: dict[str, list[Sentence]], traps: list[Sentence]
) -> list[Section]:
    """Compose the foreword, priorities and review summaries of an annual report."""
    parts = _spread(planted, traps, 3, rng)
    blocks = [
        Block("heading", [Sentence("Foreword")]),
        Block("para", _neutral(ANNUAL[:4], 3, plan, rng)),
        Block("heading", [Sentence("Our priorities")]),
    ]
    blocks += [Block("bullet", [Sentence(p)]) for p in PRIORITIES]
    blocks += [
        Block("heading", [Sentence("What our reviews told us")]),
        Block(
            "para",
            [
                Sentence(
                    f"In the review concerning {plan.subject}, the board identified several "
                    "points of learning."
                )
            ]
            + parts[0],
        ),
        Block("para", _mix(parts[1], _neutral(FINDINGS, 4, plan, rng), rng)),
        Block("para", _neutral(FINDINGS, 4, plan, rng)),
    ]
    blocks += [Block("bullet", [s]) for s in parts[2]]
    blocks += [
        Block("heading", [Sentence("Training and development")]),
        Block("para", _neutral(ANNUAL[4:], 5, plan, rng)),
        Block("heading", [Sentence("Looking ahead")]),
        Block("para", _neutral(ANNUAL[4:], 5, plan, rng)),
    ]
    sections = [Section("About this report", "body", blocks, plan.columns, new_page=True)]
    if plan.three_col_page:
        sections.append(Section("The year at a glance", "body", _glance(plan, rng), 3, new_page=True))
    return sections


def _recommendations(plan: DocPlan, rng: random.Random) -> Section:
    """Return a one-column section with the 'Recommendation | What has been done' table."""
    recs = [
        Sentence(THEME_RECS[t], themes=(t,)) for t in plan.themes if t in THEME_RECS and rng.random() < 0.4
    ]
    if plan.gambling and rng.random() < 0.5:
        recs.append(Sentence(GAMBLING_REC))
    recs = [Sentence(t) for t in rng.sample(NEUTRAL_RECS, 2)] + recs[:3]
    rows = [(r, Sentence(done)) for r, done in zip(recs, rng.sample(DONE, len(recs)), strict=True)]
    intro = Sentence("The table below sets out each recommendation and the progress made so far.")
    return Section(
        "Recommendations and progress",
        "recommendations",
        [Block("para", [intro]), Block("table", rows=rows)],
        1,
        new_page=True,
    )


def _references(plan: DocPlan, rng: random.Random) -> Section:
    """Return a references section citing national reviews published by the document's year."""
    fits = [r for r in REFERENCES if r[0] <= plan.year and r[3] in (plan.audience, "all")]
    chosen = sorted(rng.sample(fits, min(len(fits), rng.randint(2, 4))), key=lambda r: r[1])
    blocks = [
        Block("para", [Sentence(text, traps=tuple((t, "references") for t in themes))])
        for _, text, themes, _ in chosen
    ]
    return Section("References", "references", blocks, 1)


def glossary_section(plan: DocPlan, rng: random.Random) -> Section:
    """Return the glossary of abbreviations (entries name themes but never count)."""
    entries = rng.sample(GLOSSARY[plan.audience], min(len(GLOSSARY[plan.audience]), rng.randint(7, 10)))
    blocks = [
        Block("line", [Sentence(f"{abbr} \u2013 {meaning}", traps=tuple((t, "glossary") for t in themes))])
        for abbr, meaning, themes in sorted(entries)
    ]
    return Section("Glossary of abbreviations", "glossary", blocks, 1, new_page=True)
