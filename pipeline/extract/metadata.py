"""Infer title, doc_type, area and year of a document from what it says about itself.

Evidence comes from the file name, the document properties (PDF Info or Word
core properties) and the text of the first pages. Manifest rows override all
of this; that happens in the orchestrator, never here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pipeline.extract.clean import clean_text
from pipeline.records import DocumentMetadata

# (doc_type, pattern), most specific first: the first type whose pattern matches the
# strongest evidence wins. Patterns run on lower-cased text.
DOC_TYPE_PATTERNS = (
    ("rapid_review", r"\brapid review\b"),
    ("dhr", r"domestic homicide review|domestic abuse[- ]related death review|\bdhr\b|\bdard?r\b"),
    ("sar", r"safeguarding adults? reviews?\b|\bsar\b"),
    ("cspr", r"child safeguarding practice review|serious case review|\blcspr\b|\bcspr\b|\bscr\b"),
    (
        "inspection",
        r"\binspection\b|focused visit|joint targeted area|\bjtai\b|joint area review|"
        r"\bilacs\b|area send|effectiveness of the local safeguarding children board|\bofsted\b",
    ),
    ("annual_report", r"annual report|yearly report"),
    (
        "learning_review",
        r"learning review|thematic review|learning briefing|7[- ]minute briefing|learning from",
    ),
    ("evaluation", r"\bevaluation\b|\bresearch\b|\bstudy\b|final report|pilot|findings from|survey"),
    ("other", r"guidance|framework|\badvice\b|strategy|protocol|procedures?\b|statutory"),
)
COMPILED_TYPES = tuple((doc_type, re.compile(pattern)) for doc_type, pattern in DOC_TYPE_PATTERNS)
# The title and file name speak for the document; the first pages also cite other documents.
EVIDENCE_WEIGHTS = {"name": 3.0, "title": 3.0, "first": 1.0}
FIRST_TEXT_CHARS = 3000
MIN_YEAR, MAX_YEAR = 1990, 2100
PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|/|to)\s*((?:19|20)?\d\d)\b")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DATED = re.compile(rf"\b(?:{MONTHS})\s+((?:19|20)\d\d)\b", re.I)
PDF_DATE = re.compile(r"^D?:?((?:19|20)\d\d)")
# A word of a place name: capitalised ("Northamptonshire", "Stoke-on-Trent") or "St." / "St".
PLACE_WORD = r"(?:St\.|[A-Z][\w'&-]+)"
# Joining words inside a name: "Telford and Wrekin", "Kingston upon Thames".
PLACE = rf"({PLACE_WORD}(?: +(?:and +|upon +)?{PLACE_WORD})*?)"
GREEDY_PLACE = PLACE.replace("*?", "*")
AREA_PATTERNS = (
    re.compile(r"\b(?:London Borough of|Royal Borough of|City of) +" + GREEDY_PLACE),
    re.compile(r"\b" + PLACE + r" +(?:County|City|Borough|Metropolitan Borough|District)? *Council\b"),
    re.compile(
        r"\b" + PLACE + r" +(?:Safeguarding +(?:Children|Adults)?|Community Safety) *(?:Partnership|Board)"
    ),
    re.compile(r"\bSafer +" + PLACE + r" +(?:Partnership|Communities)"),
    re.compile(r"(?i:services|inspection|review|visit|arrangements) +(?:in|of|for|to) +" + GREEDY_PLACE),
)
TITLE_ONLY_PLACE = re.compile(GREEDY_PLACE)
# A title that ends with its place: "...abuse in the family in Islington".
TITLE_PLACE = re.compile(r"\bin +" + GREEDY_PLACE + r" *$", re.M)
NOT_AREAS = frozenset(
    {
        "The",
        "Local",
        "National",
        "Children",
        "Department",
        "Ofsted",
        "Education",
        "Social",
        "Our",
        "Families",
        "Dear",
        "His",
        "Her",
        "Majesty",
        "Majesty’s",
        "Inspection",
        "Joint",
        "Area",
        # capitalised words of titles and job titles that run into a place name
        "Care",
        "Pilot",
        "Services",
        "Service",
        "Project",
        "Report",
        "Review",
        "Management",
        "Case",
        "Data",
        "Annual",
        "Executive",
        "Director",
        "Strategic",
        "Directorate",
        *(month.capitalize() for month in MONTHS.split("|")),
    }
)
# Words that end a place name: "East Sussex Local Area Partnership" is about East Sussex.
AREA_STOP_WORDS = frozenset(
    {
        "Local",
        "Council",
        "County",
        "Safeguarding",
        "Children",
        "Children’s",
        "Partnership",
        "Area",
        "Metropolitan",
            "Inspection",
        "Report",
        "Review",
    }
)
BAD_TITLES = re.compile(
    r"^(microsoft word|untitled|document\d*|slide \d+|powerpoint)|\.(docx?|pdf|indd)$", re.I
)
MAX_TITLE_CHARS = 200


def infer_metadata(
    path: Path,
    *,
    properties: dict[str, str] | None = None,
    title_lines: list[str] | None = None,
    first_pages: str = "",
) -> DocumentMetadata:
    """Infer a document's metadata from its file name, properties and first pages.

    Args:
        path: The file; its name often carries type, area and year.
        properties: Document properties such as ``Title`` and ``CreationDate``.
        title_lines: The largest-type lines of the first page, top to bottom.
        first_pages: The text of the first pages.
    """
    properties = properties or {}
    title = infer_title(path, properties.get("Title", ""), title_lines or [])
    name = path.stem.replace("_", " ").replace("-", " ")
    first = first_pages[:FIRST_TEXT_CHARS]
    return DocumentMetadata(
        title=title,
        doc_type=infer_doc_type({"name": name, "title": title, "first": first}),
        area=infer_area(f"{title}\n{first}"),
        year=infer_year(name, title, first, properties.get("CreationDate", "")),
    )


def infer_title(path: Path, property_title: str, title_lines: list[str]) -> str:
    """Return the first-page title, else a meaningful document property, else the file name."""
    candidate = clean_text(" ".join(title_lines))[:MAX_TITLE_CHARS]
    if len(candidate) >= 8:
        return candidate
    property_title = clean_text(property_title)
    if property_title and not BAD_TITLES.search(property_title):
        return property_title
    return candidate or path.stem.replace("_", " ").replace("-", " ")


def infer_doc_type(evidence: dict[str, str]) -> str:
    """Return the doc_type with the most weighted pattern hits; ties go to the more specific type."""
    scores: dict[str, float] = {}
    for source, text in evidence.items():
        lowered = text.lower()
        for doc_type, pattern in COMPILED_TYPES:
            if pattern.search(lowered):
                scores[doc_type] = scores.get(doc_type, 0.0) + EVIDENCE_WEIGHTS[source]
    if not scores:
        return "other"
    order = [doc_type for doc_type, _ in DOC_TYPE_PATTERNS]
    return max(scores, key=lambda doc_type: (scores[doc_type], -order.index(doc_type)))


def infer_year(name: str, title: str, first: str, creation_date: str = "") -> int | None:
    """Return the end year of a period in the title, else the file name's year, else the text's dates."""
    for text in (title, name):
        year = _period_end(text) or _first_year(YEAR, text)
        if year:
            return year
    year = _period_end(first[:500]) or _most_common(DATED, first) or _first_year(YEAR, first)
    if year:
        return year
    match = PDF_DATE.match(creation_date)
    return int(match.group(1)) if match else None


def _period_end(text: str) -> int | None:
    match = PERIOD.search(text)
    if not match:
        return None
    start, end = match.group(1), match.group(2)
    year = int(start[:2] + end) if len(end) == 2 else int(end)
    return year if int(start) < year <= int(start) + 2 else None


def _first_year(pattern: re.Pattern[str], text: str) -> int | None:
    for match in pattern.finditer(text):
        year = int(match.group(1))
        if MIN_YEAR <= year <= MAX_YEAR:
            return year
    return None


def _most_common(pattern: re.Pattern[str], text: str) -> int | None:
    found = (int(match.group(1)) for match in pattern.finditer(text))
    years = Counter(year for year in found if MIN_YEAR <= year <= MAX_YEAR)
    return years.most_common(1)[0][0] if years else None


def _place(name: str) -> str | None:
    """Return a matched name without leading words that are no place ("The", "Our") and cut at "Local"."""
    words = name.split()
    while words and (words[0] in NOT_AREAS or words[0] == "and"):
        words = words[1:]
    cut = next((i for i, word in enumerate(words) if word in AREA_STOP_WORDS), len(words))
    return " ".join(words[:cut]) or None


def infer_area(text: str) -> str | None:
    """Return the local area a document is about, when it names one in a recognisable phrase.

    The title's own "... in Islington" counts first; then phrases such as "St. Helens
    Borough Council", "West Northamptonshire Safeguarding Children Partnership" or
    "services in Gloucestershire", over the text with its line breaks joined. A council
    named in brackets is an author's affiliation, not the subject, and is passed over.
    """
    title = text.split("\n", 1)[0].strip()
    for match in TITLE_PLACE.finditer(title):
        if place := _place(match.group(1)):
            return place
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # Each line on its own first (an address block's lines are separate names), then the
    # text with its line breaks joined, for a phrase broken across two lines.
    for chunks in (lines, [" ".join(lines)]):
        for pattern in AREA_PATTERNS:
            for chunk in chunks:
                if place := _first_place(pattern, chunk):
                    return place
    return _title_is_place(title, " ".join(lines))


def _first_place(pattern: re.Pattern[str], text: str) -> str | None:
    for match in pattern.finditer(text):
        if not text[: match.start()].endswith("(") and (place := _place(match.group(1))):
            return place
    return None


def _title_is_place(title: str, text: str) -> str | None:
    """Return the title when it is only a place the report names as one ("children in Gloucestershire")."""
    if not TITLE_ONLY_PLACE.fullmatch(title) or title in NOT_AREAS:
        return None
    return _place(title) if re.search(rf"\b(?:in|across|for) {re.escape(title)}\b(?![:\w])", text) else None
