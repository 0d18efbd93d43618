"""What the corpus holds: the documents (type, area, year, subject) and the themes planted in each."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reportlab.platypus import Table

SEED = 42


YEARS = tuple(range(2018, 2026))


@dataclass(frozen=True)
class Sentence:
    """One sentence, with the themes it plants (counted) and the traps it sets."""

    text: str
    themes: tuple[str, ...] = ()
    traps: tuple[tuple[str, str], ...] = ()  # (theme, kind)


@dataclass
class Block:
    """A heading, paragraph, bullet, glossary/contents line or table."""

    kind: str  # heading | para | bullet | line | table
    sentences: list[Sentence] = field(default_factory=list)
    rows: list[tuple[Sentence, Sentence]] = field(default_factory=list)


@dataclass
class Section:
    """A titled part of a report; starts a new page when its column count changes."""

    title: str
    kind: str  # contents | glossary | body | recommendations | references
    blocks: list[Block]
    columns: int = 1
    new_page: bool = False


@dataclass
class DocPlan:
    """What one document is: type, place, year, subject and layout choices."""

    year: int
    doc_type: str
    area: str
    audience: str  # adults | children | all
    case: str  # adult | infant | adolescent | thematic | partnership
    subject: str
    columns: int
    stream_order: str
    bullets: str  # helvetica | zapf | symbol
    three_col_page: bool
    references: bool
    themes: list[str] = field(default_factory=list)
    gambling: bool = False
    used: set[str] = field(default_factory=set)  # neutral sentences already drawn, to avoid repeats


@dataclass
class Line:
    """A laid-out line of text: position, font and the sentences that start on it."""

    text: str
    x: float
    y: float
    font: str
    size: float
    frame: int
    sids: list[int] = field(default_factory=list)
    bullet: bool = False


@dataclass
class Page:
    """A laid-out page: lines, placed tables and its column count."""

    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[Table, float, float, list[str]]] = field(default_factory=list)
    columns: int = 1
    sids: list[int] = field(default_factory=list)


AREAS = {
    "Northmoor": {
        "sab": "Northmoor Safeguarding Adults Board",
        "scp": "Northmoor Safeguarding Children Partnership",
        "csp": "Safer Northmoor Partnership",
    },
    "Eastvale": {
        "sab": "Eastvale Safeguarding Adults Board",
        "scp": "Eastvale Safeguarding Children Partnership",
        "csp": "Eastvale Community Safety Partnership",
    },
    "Kestrel Bay": {
        "sab": "Kestrel Bay Safeguarding Adults Board",
        "scp": "Kestrel Bay Safeguarding Children Partnership",
        "csp": "Kestrel Bay Community Safety Partnership",
    },
}


SHORT = {"sab": "SAB", "scp": "SCP", "csp": "CSP"}


ADULT_NAMES = ["Mr K", "Ms D", "Adult B", "Mrs H", "Mr T", "Adult J", "Ms R", "Mr W"]


DHR_NAMES = ["Anna", "Maria", "Joan", "Priya", "Lena", "Carol", "Beth", "Ruth"]


INFANT_NAMES = ["Baby T", "Child L", "Baby S", "Child N", "Baby M", "Baby E"]


TEEN_NAMES = ["Jay", "Child R", "Kai", "Child P"]


SUMMARY_ADULTS = ["Adult F", "Adult G", "Adult C", "Mr V"]


SUMMARY_CHILDREN = ["Child A", "Child H", "Child Y"]


FIFTH_TYPE = {
    2018: "learning_review",
    2019: "rapid_review",
    2020: "learning_review",
    2021: "inspection",
    2022: "learning_review",
    2023: "rapid_review",
    2024: "learning_review",
    2025: "learning_review",
}


ANNUAL_ADULT_YEARS = {2018, 2020, 2023, 2024, 2025}


LEARNING_ADULT_YEARS = {2020, 2024, 2025}


MONTHS = ["January", "March", "April", "June", "July", "September", "October", "November"]


# ---------------------------------------------------------------- planted themes
# theme -> (eligibility predicate name, documents per year 2018..2025; None = every eligible doc)
SCHEDULE: dict[str, tuple[str, tuple[int, ...] | None]] = {
    "self_neglect": ("adult", (1, 1, 1, 2, 2, 3, 4, 4)),
    "professional_curiosity": ("any", (3, 4, 3, 4, 3, 4, 3, 4)),
    "neurodiversity": ("any", (0, 0, 0, 1, 2, 2, 3, 4)),
    "covid_pandemic": ("any", (0, 0, 4, 3, 2, 0, 0, 0)),
    "fathers_male_carers": ("child_case", None),
    "coercive_control": ("dhr", None),
    "domestic_abuse": ("domestic", (2, 2, 2, 2, 2, 2, 2, 2)),
    "information_sharing": ("any", (2, 2, 2, 2, 2, 2, 2, 2)),
    "mental_health": ("any", (2, 1, 2, 2, 1, 2, 2, 2)),
    "substance_misuse": ("case", (2, 1, 2, 1, 2, 1, 2, 1)),
    "housing_homelessness": ("adult", (1, 1, 2, 1, 1, 2, 1, 2)),
    "risk_assessment": ("any", (2, 2, 1, 2, 2, 1, 2, 2)),
    "mental_capacity": ("adult_not_dhr", (1, 1, 1, 1, 1, 2, 1, 2)),
    "child_exploitation_missing": ("older_child", (1, 1, 1, 1, 1, 1, 1, 1)),
    "safe_sleep_sudi": ("infant", (1, 1, 0, 1, 0, 1, 1, 0)),
    "hoarding": ("self_neglect", (0, 1, 0, 1, 0, 1, 1, 1)),
}


REQUIRED = {"domestic_abuse": "dhr"}  # theme -> doc_type that always discusses it


GAMBLING_SINCE = 2023


GAMBLING_PER_YEAR = 3


def _eligible(rule: str, plan: DocPlan) -> bool:
    """Return whether a theme with eligibility ``rule`` fits the planned document."""
    rules = {
        "any": True,
        "adult": plan.audience in ("adults", "all") and plan.doc_type != "cspr",
        "adult_not_dhr": plan.audience == "adults",
        "case": plan.doc_type in ("sar", "cspr", "dhr", "rapid_review", "learning_review"),
        "child_case": plan.doc_type in ("cspr", "rapid_review"),
        "dhr": plan.doc_type == "dhr",
        "domestic": plan.doc_type in ("dhr", "cspr", "rapid_review", "annual_report"),
        "older_child": plan.audience == "children" and plan.case != "infant",
        "infant": plan.case == "infant",
        "self_neglect": "self_neglect" in plan.themes,
    }
    return rules[rule]


def plan_documents(rng: random.Random) -> list[DocPlan]:
    """Decide type, area, subject and layout for five documents a year, then plant themes."""
    plans = []
    areas = list(AREAS)
    counters = {key: 0 for key in ("adult", "dhr", "infant", "teen", "sum_a", "sum_c")}
    for i, year in enumerate(YEARS):
        for j, doc_type in enumerate(("annual_report", "sar", "cspr", "dhr", FIFTH_TYPE[year])):
            audience, case = _audience_case(doc_type, year)
            subject = _subject(doc_type, case, audience, counters)
            columns = 2 if (2 * i + j) % 5 in (0, 2, 3) else 1
            plans.append(
                DocPlan(
                    year=year,
                    doc_type=doc_type,
                    area=areas[(i + j) % len(areas)],
                    audience=audience,
                    case=case,
                    subject=subject,
                    columns=columns,
                    stream_order="row" if columns == 2 and rng.random() < 0.5 else "column",
                    bullets=rng.choice(("helvetica", "helvetica", "zapf", "symbol")),
                    three_col_page=False,
                    references=doc_type != "inspection" and rng.random() < 0.6,
                )
            )
    for plan in rng.sample([p for p in plans if p.columns == 2], 2):
        plan.three_col_page = True
    plant_themes(plans, rng)
    return plans


def _audience_case(doc_type: str, year: int) -> tuple[str, str]:
    """Return who a document is about and what kind of case it describes."""
    if doc_type == "sar":
        return "adults", "adult"
    if doc_type == "dhr":
        return "all", "adult"
    if doc_type == "rapid_review":
        return "children", "infant"
    if doc_type == "cspr":
        return "children", "infant" if year % 2 == 0 else "adolescent"
    if doc_type == "annual_report":
        return ("adults" if year in ANNUAL_ADULT_YEARS else "children"), "partnership"
    if doc_type == "learning_review":
        return ("adults" if year in LEARNING_ADULT_YEARS else "children"), "thematic"
    return "children", "thematic"


def _subject(doc_type: str, case: str, audience: str, counters: dict[str, int]) -> str:
    """Return the next pseudonym for the person at the centre of a document."""
    key, names = {
        "sar": ("adult", ADULT_NAMES),
        "dhr": ("dhr", DHR_NAMES),
    }.get(doc_type, ("infant", INFANT_NAMES) if case == "infant" else ("teen", TEEN_NAMES))
    if case in ("partnership", "thematic"):
        key, names = ("sum_a", SUMMARY_ADULTS) if audience == "adults" else ("sum_c", SUMMARY_CHILDREN)
    counters[key] += 1
    return names[(counters[key] - 1) % len(names)]


def plant_themes(plans: list[DocPlan], rng: random.Random) -> None:
    """Choose, per year and theme, which documents discuss the theme (and the gambling ones)."""
    for theme, (rule, counts) in SCHEDULE.items():
        for y, year in enumerate(YEARS):
            pool = [p for p in plans if p.year == year and _eligible(rule, p)]
            must = [p for p in pool if p.doc_type == REQUIRED.get(theme)]
            rest = [p for p in pool if p not in must]
            chosen = (
                pool if counts is None else must + rng.sample(rest, min(counts[y] - len(must), len(rest)))
            )
            for plan in chosen:
                plan.themes.append(theme)
    for year in YEARS:
        if year >= GAMBLING_SINCE:
            pool = [p for p in plans if p.year == year and p.audience in ("adults", "all")]
            for plan in rng.sample(pool, min(GAMBLING_PER_YEAR, len(pool))):
                plan.gambling = True


def _all_sentences(sections: list[Section]) -> list[Sentence]:
    """Return every sentence of the sections, in order, rows flattened."""
    out: list[Sentence] = []
    for section in sections:
        for block in section.blocks:
            out.extend(block.sentences)
            out.extend(s for pair in block.rows for s in pair)
    return out
