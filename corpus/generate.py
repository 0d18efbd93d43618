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
import codecs
import csv
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

SEED = 42
YEARS = tuple(range(2018, 2026))
DEFAULT_OUT = Path(__file__).parent / "sample"
PAGE_W, PAGE_H = A4
MARGIN_X = 56
TOP_Y = PAGE_H - 78  # first baseline below the running header
BOTTOM_Y = 62  # last baseline above the footer
GUTTER = 20
BULLET_INDENT = 11
MIN_PAGES, MAX_PAGES = 4, 10

# ---------------------------------------------------------------- fonts
# Helvetica re-encoded: WinAnsi plus the fi/fl ligature glyphs and the bullet at its
# usual WinAnsi code (reportlab's own codec puts it at 0x7F, which pdfminer cannot map).
FONT, FONT_BOLD = "SG-Helvetica", "SG-Helvetica-Bold"
_EXTRA_CODES = {"\ufb01": (0x81, "fi"), "\ufb02": (0x8D, "fl"), "\u2022": (0x95, "bullet")}
_CODEC = "sgwinansilig"
UNLIGATE = str.maketrans({"\ufb01": "fi", "\ufb02": "fl"})  # truth lines spell ligatures out


def _encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    """Encode text as WinAnsi plus the extra codes above."""
    base = codecs.lookup("winansi")
    out = bytearray()
    for char in text:
        out += bytes([_EXTRA_CODES[char][0]]) if char in _EXTRA_CODES else base.encode(char, errors)[0]
    return bytes(out), len(text)


def _decode(data: Any, errors: str = "strict") -> tuple[str, int]:
    """Decode bytes written by :func:`_encode` (``data`` is any buffer, as the codec protocol allows)."""
    back = {code: char for char, (code, _) in _EXTRA_CODES.items()}
    base = codecs.lookup("winansi")
    raw = bytes(data)
    return "".join(back.get(b) or base.decode(bytes([b]), errors)[0] for b in raw), len(raw)


def register_fonts() -> None:
    """Register the re-encoded Helvetica faces once (standard fonts only, nothing embedded)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    codecs.register(lambda name: codecs.CodecInfo(_encode, _decode, name=_CODEC) if name == _CODEC else None)
    encoding = pdfmetrics.Encoding(_CODEC, "WinAnsiEncoding")
    for code, glyph in _EXTRA_CODES.values():
        encoding[code] = glyph
    pdfmetrics.registerEncoding(encoding)
    pdfmetrics.registerFont(pdfmetrics.Font(FONT, "Helvetica", _CODEC))
    pdfmetrics.registerFont(pdfmetrics.Font(FONT_BOLD, "Helvetica-Bold", _CODEC))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


# ---------------------------------------------------------------- records


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


# ---------------------------------------------------------------- places and people

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


# ---------------------------------------------------------------- text banks (own wording)
# Counted sentences: each uses one theme's wording and nothing that matches another theme.
THEME_TEXT = {
    "self_neglect": [
        "Over several years {name} showed a pattern of self-neglect that practitioners "
        "found hard to influence.",
        "The flat was described as squalid, and visiting nurses noted poor self-care on almost every visit.",
        "The refusal of help was treated as a lifestyle choice rather than as self-neglect that carried real "
        "danger.",
        "Self-neglect was visible in the state of the home long before the final admission to hospital.",
        "Self-neglect featured in most of the reviews the board considered during the year.",
    ],
    "professional_curiosity": [
        "Explanations given by {name} and the household were accepted at face value.",
        "The review found a lack of professional curiosity about who else was staying at the address.",
        "Greater professional curiosity would have prompted questions about how {name} "
        "was managing from day to day.",
        "Practitioners needed to hold an attitude of respectful uncertainty instead of "
        "relying on self-reported accounts.",
        "Professional curiosity remains a persistent message from local reviews.",
    ],
    "neurodiversity": [
        "{name} had a diagnosis of autism, yet no adjustments were made to the way "
        "appointments were offered.",
        "Several practitioners suspected ADHD, but nobody asked for a specialist assessment.",
        "The needs of autistic people were not well understood by the services involved.",
        "Practitioners had limited knowledge of how neurodivergent people may show distress.",
    ],
    "covid_pandemic": [
        "During the first national lockdown most contact with {name} moved to the telephone.",
        "The pandemic reduced face-to-face contact at the very time that concerns were growing.",
        "Covid-19 restrictions closed the day centre, and an important source of daily contact was lost.",
        "A virtual visit replaced the planned home visit, and the state of the home was not seen.",
    ],
    "fathers_male_carers": [
        "{name}'s father was not invited to any of the health appointments.",
        "The mother's partner was living in the household but was unknown to children's social care.",
        "Practitioners rarely asked about the men in the household or their history.",
        "Fathers were not seen by the health visiting service and were absent from the plans.",
    ],
    "coercive_control": [
        "Friends described coercive and controlling behaviour over many years, including control over money "
        "and contact with friends.",
        "The perpetrator was described as possessive and checked where {name} went each day.",
        "Over time he isolated her from friends and colleagues, a pattern of coercive control that no agency "
        "named at the time.",
    ],
    "domestic_abuse": [
        "There was a long history of domestic abuse that was known to the police.",
        "The case was heard at MARAC twice, but the actions agreed were not followed through.",
        "An IDVA had offered support, but contact ended when {name} moved to a new address.",
        "Domestic abuse was a recurring feature of the relationship between the adults in the household.",
    ],
    "information_sharing": [
        "Information was not shared between the surgery and the hospital when {name} left the ward.",
        "Practitioners were unsure about consent to share, and important details stayed within one agency.",
        "Better information sharing between the police and social care would have given a fuller picture.",
    ],
    "mental_health": [
        "{name} had lived with depression for many years and had been seen by the crisis team twice.",
        "Access to mental health services was slow and depended on {name} making the first call.",
        "Mental health difficulties affected the ability of the household to manage day-to-day tasks.",
    ],
    "substance_misuse": [
        "Alcohol dependence was a constant feature throughout the period under review.",
        "Drug use by an adult in the household increased sharply over the final months.",
        "Substance misuse services had offered support, but treatment stopped after a few weeks.",
    ],
    "housing_homelessness": [
        "{name} had been homeless for part of the period and spent several weeks in temporary accommodation.",
        "The threat of eviction hung over {name} throughout the final year.",
        "For a time {name} was sleeping rough in the town centre.",
    ],
    "risk_assessment": [
        "The risk assessment was completed once and was never updated as new information emerged.",
        "Each agency held part of the picture, and the cumulative risk was greater than any of them saw.",
        "The safety plan agreed in the spring stayed unchanged for the rest of the year.",
    ],
    "mental_capacity": [
        "A mental capacity assessment was completed only once, and it did not address the key decision.",
        "Practitioners assumed that {name} had capacity without testing this for specific decisions.",
        "Nobody considered whether problems with executive function lay behind what looked like an "
        "unwise decision.",
    ],
    "child_exploitation_missing": [
        "{name} went missing from home on several occasions during the autumn.",
        "Older associates of {name} were known to be involved in county lines.",
        "The signs of criminal exploitation were recognised late.",
    ],
    "safe_sleep_sudi": [
        "Safe sleep advice was given at the first health visit but was not repeated when circumstances "
        "changed.",
        "The baby died after co-sleeping with an adult on the night of a family gathering.",
        "On the night of the incident the baby slept on the sofa with a parent.",
    ],
    "hoarding": [
        "Hoarding had made most rooms unusable and blocked access to the kitchen.",
        "The clutter image rating was not used to describe the condition of the flat.",
    ],
}
REPORT_ONLY = {  # theme sentences that only make sense in an annual report
    "Self-neglect featured in most of the reviews the board considered during the year.",
    "Professional curiosity remains a persistent message from local reviews.",
}
GAMBLING_TEXT = [
    "{name}'s partner told the reviewer about gambling-related harm that had drained "
    "the household's savings.",
    "Online betting on a mobile phone had increased in the months before the incident.",
    "No agency asked about gambling, although the signs of gambling losses were present.",
]
THEME_RECS = {
    "self_neglect": "Partners should agree a shared approach to working with adults who self-neglect.",
    "professional_curiosity": (
        "Agencies should help practitioners to develop professional curiosity in everyday practice."
    ),
    "neurodiversity": ("Services should adapt the way they offer appointments to autistic people."),
    "covid_pandemic": (
        "The partnership should capture what the pandemic taught services about remote contact."
    ),
    "fathers_male_carers": "Health and children's services should routinely seek out and involve fathers.",
    "coercive_control": "Practitioners should be helped to recognise and name coercive control.",
    "domestic_abuse": "Partners should strengthen the response to domestic abuse in health settings.",
    "information_sharing": "Agencies should remind practitioners that information sharing to prevent harm "
    "is lawful.",
    "mental_health": "The ICB should review access to mental health support for adults with complex needs.",
    "risk_assessment": "Agencies should revisit the risk assessment whenever circumstances change.",
    "mental_capacity": (
        "Practitioners should complete a mental capacity assessment for each specific decision."
    ),
    "safe_sleep_sudi": (
        "Safe sleep messages should be repeated at every contact during the first year of life."
    ),
}
GAMBLING_REC = "Practitioners should ask routinely about gambling when they assess a person's needs."
DONE = [
    "Guidance has been revised and published on the partnership website.",
    "Briefings were delivered to teams across all partner agencies.",
    "A task and finish group is leading this work and reports to the board.",
    "Completed; the board received an assurance report in the autumn.",
    "In progress; a practice review is planned for the spring.",
    "Practice workshops have been held in each agency.",
]
NEUTRAL_RECS = [
    "The board should seek assurance that partner agencies have acted on the findings of this review.",
    "Partners should make sure frontline practitioners know about the findings of this review.",
    "The partnership should test whether the findings are reflected in a sample of cases.",
]

NEGATED = {
    "self_neglect": "There was no evidence of self-neglect when {name} was visited at home.",
    "child_exploitation_missing": "Criminal exploitation was ruled out after police enquiries.",
    "substance_misuse": "No concerns about substance misuse were raised by any agency.",
    "domestic_abuse": "There was no indication of domestic abuse within the household.",
    "hoarding": "There was no evidence of hoarding at the property.",
    "neurodiversity": "There was no indication of autism or ADHD.",
    "covid_pandemic": "There was no indication that the pandemic affected contact with {name}.",
    "mental_health": "The GP did not identify any mental health concerns before the incident.",
    "coercive_control": "There was no evidence of coercive control in the relationship.",
    "housing_homelessness": "There was no indication of homelessness at any point in the period.",
}
WRONG_SENSE = {
    "adults": [
        ("The practice neglected to update the address held for {name}.", ("child_neglect",)),
        (
            "Workers at the day centre helped {name} with grooming and laundry.",
            ("child_exploitation_missing",),
        ),
    ],
    "children": [
        ("A grandfather provided transport to appointments each week.", ("fathers_male_carers",)),
        ("Decisions about contact were made in the best interests of the child.", ("mental_capacity",)),
    ],
}
GLOSSARY = {
    "adults": [
        ("ASC", "Adult Social Care", ()),
        ("CMHT", "Community Mental Health Team", ("mental_health",)),
        ("DNA", "did not attend", ("disengagement_wnb",)),
        ("DoLS", "Deprivation of Liberty Safeguards", ("mental_capacity", "legal_literacy")),
        ("GP", "General Practitioner", ()),
        ("ICB", "Integrated Care Board", ()),
        ("MASH", "Multi-Agency Safeguarding Hub", ("thresholds_front_door",)),
        ("MCA", "Mental Capacity Act 2005", ("mental_capacity",)),
        ("MSP", "Making Safeguarding Personal", ("voice_person_msp",)),
        ("SAB", "Safeguarding Adults Board", ()),
        ("SAR", "Safeguarding Adult Review", ()),
        ("ASD", "Autism Spectrum Disorder", ("neurodiversity",)),
    ],
    "children": [
        ("ADHD", "Attention Deficit Hyperactivity Disorder", ("neurodiversity",)),
        ("CAMHS", "Child and Adolescent Mental Health Services", ("mental_health",)),
        ("CCE", "Child Criminal Exploitation", ("child_exploitation_missing",)),
        ("CP", "Child Protection", ()),
        ("CSE", "Child Sexual Exploitation", ("child_exploitation_missing", "sexual_abuse")),
        ("CSPR", "Child Safeguarding Practice Review", ()),
        ("GP", "General Practitioner", ()),
        ("HV", "Health Visitor", ()),
        ("MASH", "Multi-Agency Safeguarding Hub", ("thresholds_front_door",)),
        ("SUDI", "Sudden Unexpected Death in Infancy", ("safe_sleep_sudi",)),
        ("DNA", "did not attend", ("disengagement_wnb",)),
    ],
    "all": [
        ("DHR", "Domestic Homicide Review", ("domestic_abuse",)),
        ("ED", "Emergency Department", ("physical_health",)),
        ("GP", "General Practitioner", ()),
        ("IDVA", "Independent Domestic Violence Adviser", ("domestic_abuse",)),
        ("MARAC", "Multi-Agency Risk Assessment Conference", ("domestic_abuse", "risk_assessment")),
        ("CMHT", "Community Mental Health Team", ("mental_health",)),
        ("DNA", "did not attend", ("disengagement_wnb",)),
        ("MASH", "Multi-Agency Safeguarding Hub", ("thresholds_front_door",)),
    ],
}
REFERENCES = [
    (
        2011,
        "Braye, S., Orr, D. and Preston-Shoot, M. (2011) Self-neglect and adult safeguarding: findings from "
        "research. London: SCIE.",
        ("self_neglect",),
        "adults",
    ),
    (2014, "Department of Health (2014) Care and Support Statutory Guidance. London: DH.", (), "adults"),
    (
        2016,
        "Home Office (2016) Multi-agency statutory guidance for the conduct of domestic homicide reviews.",
        ("domestic_abuse",),
        "all",
    ),
    (2018, "HM Government (2018) Working Together to Safeguard Children. London: DfE.", (), "children"),
    (
        2020,
        "Preston-Shoot, M. and others (2020) Analysis of Safeguarding Adult Reviews, April 2017 to March "
        "2019. London: LGA and ADASS.",
        (),
        "adults",
    ),
    (
        2020,
        "Child Safeguarding Practice Review Panel (2020) Out of routine: a review of sudden unexpected death "
        "in infancy (SUDI) in families where the children are considered at risk of significant harm.",
        ("safe_sleep_sudi",),
        "children",
    ),
    (
        2020,
        "Child Safeguarding Practice Review Panel (2020) It was hard to escape: safeguarding "
        "children at risk "
        "from criminal exploitation.",
        ("child_exploitation_missing",),
        "children",
    ),
    (
        2021,
        "Child Safeguarding Practice Review Panel (2021) The Myth of Invisible Men: safeguarding children "
        "under 1 from non-accidental injury caused by male carers.",
        ("fathers_male_carers", "infant_injury_nai"),
        "children",
    ),
    (
        2022,
        "Home Office (2022) Domestic Abuse Statutory Guidance. London: Home Office.",
        ("domestic_abuse",),
        "all",
    ),
]
BOILERPLATE = {
    "sar": (
        "Under section 44 of the Care Act 2014 a Safeguarding Adults Board must arrange a review when an "
        "adult with care and support needs has died or been seriously harmed, abuse or neglect, including "
        "self-neglect, is known or suspected, and there is concern about how agencies worked together.",
        ("self_neglect", "child_neglect"),
    ),
    "cspr": (
        "Local safeguarding partners must consider a review when abuse or neglect of a child is known or "
        "suspected and the child has died or been seriously harmed.",
        ("child_neglect",),
    ),
    "rapid_review": (
        "A rapid review is required when abuse or neglect of a child is known or suspected and the "
        "child has died or been seriously harmed.",
        ("child_neglect",),
    ),
    "dhr_old": (
        "The cross-government definition of domestic violence and abuse is any incident or pattern of "
        "incidents of controlling, coercive, threatening behaviour, violence or abuse between those "
        "aged 16 or over who are, or have been, intimate partners or family members regardless of "
        "gender or sexuality.",
        ("domestic_abuse", "coercive_control"),
    ),
    "dhr_act": (
        "Under the Domestic Abuse Act 2021, behaviour of one person towards another is domestic abuse "
        "if both are aged 16 or over, they are personally connected and the behaviour is abusive. "
        "Behaviour is 'abusive' if it consists of any of the following: physical or sexual abuse; "
        "violent or threatening behaviour; controlling or coercive behaviour; economic abuse; "
        "psychological, emotional or other abuse.",
        ("domestic_abuse", "coercive_control", "sexual_abuse", "financial_abuse"),
    ),
    "dhr_paraphrase": (
        "The Domestic Abuse Act 2021 defines domestic abuse as behaviour between two people aged 16 or "
        "over who are personally connected, consisting of physical or sexual abuse, violent or "
        "threatening behaviour, controlling or coercive behaviour, economic abuse, or psychological, "
        "emotional or other abuse.",
        ("domestic_abuse", "coercive_control", "sexual_abuse", "financial_abuse"),
    ),
    "equality": (
        "The review considered each of the nine protected characteristics under the Equality Act 2010.",
        ("equality_culture_identity",),
    ),
}
INTRO = [
    "This report sets out the findings of a review commissioned by the {board} after the events involving "
    "{name}.",
    "The review was led by an independent reviewer who has had no previous role in the agencies concerned.",
    "Its purpose is to identify what can be learned about the way local services operate as a system, not to "
    "apportion blame.",
    "The period under review runs from {start} to the date of the incident in {year}.",
    "Members of the family were invited to contribute, and their views are reflected throughout the report.",
    "The panel would like to thank the practitioners who gave their time to the review.",
]
METHOD = [
    "Agencies completed a summary of their contact with {name} and a reflective analysis "
    "of their own practice.",
    "A practitioner event was held to test the emerging findings with practitioners who knew {name}.",
    "The draft report was discussed with senior managers from each agency before it was finalised.",
    "The reviewer used a systems approach, looking at why decisions made sense to people at the time.",
    "The scope of the review was agreed by the panel at its first meeting.",
]
BACKGROUND = [
    "{name} lived in a ground floor flat in the north of {area} and was known to several services.",
    "Those who knew {name} described a warm sense of humour and a love of music.",
    "Contact with services increased during the last eighteen months of the period under review.",
    "There were periods of several months when no professional saw {name} in person.",
    "{name} saw the family doctor for a range of health problems over the years.",
    "Police officers attended the address on four occasions during the final year.",
    "Neighbours had complained about noise on more than one occasion.",
    "{name} had grown up in {area} and had a small circle of long-standing friends.",
    "The family remembered {name} as generous and independent, someone who did not like to ask for help.",
    "Over the last two years {name} spent three short periods in hospital.",
    "Community nurses visited regularly for a period and then less often as other demands grew.",
    "The police were called to the address after reports of a disturbance late one evening.",
    "Correspondence from several services built up at the address during the final months.",
]
FINDINGS = [
    "This finding is not unique to this case and reflects wider difficulties across the system.",
    "Practitioners who contributed to the review were open and reflective about their practice.",
    "Each contact was handled reasonably on its own terms, but nobody put the whole picture together.",
    "The review heard that managers were supportive when practitioners brought their worries to them.",
    "There were examples of good practice, notably the persistence of the community nursing team.",
    "The local procedures were sound; the difficulty lay in applying them to a complex situation.",
    "Practitioners described feeling unsure which agency should take the lead.",
    "Several practitioners knew {name} well and spoke warmly about the relationship they had built.",
    "The panel considered whether the outcome could have been predicted and concluded that it could not.",
    "Ofﬁcers responded promptly to each call and made sensible decisions with the information they had.",
    "Several agencies held useful knowledge, but it sat in different systems and was "
    "seen by different teams.",
    "The way services were organised made it hard for any one practitioner to see the pattern over time.",
    "Some decisions were reasonable at the time but looked less sound when viewed alongside later events.",
    "The review found a tendency to respond to each crisis as a separate event.",
    "Frontline practitioners showed real commitment, often going beyond what their role required.",
    "Guidance existed locally but was not well known by the practitioners who needed it most.",
    "Meetings were held, but the actions agreed were not always clear about who would do what and by when.",
    "Managers were not always aware of how complex the situation had become.",
    "The panel noted that several practitioners changed during the final year, which weakened continuity.",
    "Letters were sent to the address, but there was little checking of whether they had been read.",
]
GOOD_PRACTICE = [
    "The police made a prompt and well-reasoned decision on the day of the incident.",
    "A community nurse made repeated efforts to keep in touch with {name}.",
    "A neighbourhood police officer stayed in touch and knew {name} well.",
]
CONCLUSION = [
    "The review has not found that any single agency could have prevented what happened.",
    "It has, however, identified changes that would make a difference for people in similar circumstances.",
    "The panel hopes that {name}'s story will help to improve services across {area}.",
]
ANNUAL = [
    "I am pleased to introduce this annual report on behalf of the partnership.",
    "The partnership brings together the local authority, the police and the Integrated Care Board.",
    "This year the board met four times and its subgroups met every two months.",
    "The business unit supported eleven subgroup meetings and two development sessions.",
    "More than 900 practitioners attended our multi-agency training courses during the year.",
    "Feedback from courses was positive, with most people saying they would change their practice.",
    "The independent scrutineer attended board meetings and reported regularly to partners.",
    "We published a new strategic plan in the autumn after consulting widely.",
    "Partner contributions to the budget were agreed in line with the funding formula.",
    "Next year we will focus on hearing directly from the people who use services.",
    "The ﬁnal part of this report sets out our priorities for the coming year.",
    "Our website was refreshed and now hosts all published reviews and briefings.",
    "The partnership ran its first conference for frontline practitioners, attended by around 250 people.",
    "Every statutory partner was represented at each board meeting.",
    "Our subgroups were restructured to reduce duplication and speed up decision making.",
    "A deep-dive this year looked at how well partners respond out of hours.",
    "A new dataset gives the board a clearer view of activity across agencies.",
    "We thank everyone who contributed to the work of the partnership this year.",
]
PRIORITIES = [
    "Strengthen the response of partners at the point of crisis.",
    "Improve the quality of practice through reflective review.",
    "Make sure the partnership hears from people who use services.",
    "Measure the difference our training makes to everyday practice.",
]
INSPECTION = [
    "Inspectors spoke to practitioners and leaders from each of the agencies in {area}.",
    "Inspectors sampled the files of twenty children and young people.",
    "Leaders have a clear understanding of the strengths and areas for development in their services.",
    "Partnership arrangements are well established and leaders are visible to practitioners.",
]
HYPHENATE = {
    w.replace("-", ""): w
    for w in (
        "profes-sional",
        "assess-ment",
        "practi-tioners",
        "infor-mation",
        "manage-ment",
        "involve-ment",
        "under-standing",
        "commu-nication",
        "circum-stances",
        "indepen-dent",
        "responsi-bilities",
        "relation-ship",
        "environ-ment",
        "recommen-dations",
        "partner-ship",
        "appoint-ments",
        "reflec-tive",
        "profes-sionals",
        "assess-ments",
        "practi-tioner",
        "consid-ered",
        "dif-ferent",
        "organ-ised",
        "contrib-uted",
        "situ-ation",
        "knowl-edge",
        "conti-nuity",
        "corre-spondence",
        "occa-sions",
        "accommo-dation",
    )
}


# ---------------------------------------------------------------- planning


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


# ---------------------------------------------------------------- composition


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


# ---------------------------------------------------------------- layout


@dataclass
class Style:
    """Font sizes for a column count."""

    size: float
    leading: float


STYLES = {1: Style(10.5, 14.5), 2: Style(9.5, 12.5), 3: Style(8.5, 11.0)}
HEADING_SIZE = 12.0
SECTION_SIZE = 16.0


class Layout:
    """Flow sections into pages of positioned lines, tracking where sentences start."""

    def __init__(self, sentence_ids: dict[int, int]) -> None:
        """Start with no pages; ``sentence_ids`` maps id(Sentence) -> global sentence number."""
        self.pages: list[Page] = []
        self.sids = sentence_ids
        self.section_pages: list[tuple[str, int]] = []
        self.columns = 1
        self.frame = 0
        self.y = self.frame_top = TOP_Y

    def frame_x(self) -> tuple[float, float]:
        """Return the left x and width of the current frame."""
        width = (PAGE_W - 2 * MARGIN_X - GUTTER * (self.columns - 1)) / self.columns
        return self._x_of(self.frame), width

    def new_page(self, columns: int) -> None:
        """Start a new page with ``columns`` frames."""
        self.pages.append(Page(columns=columns))
        self.columns, self.frame, self.y, self.frame_top = columns, 0, TOP_Y, TOP_Y

    def need(self, height: float) -> None:
        """Move to the next frame or page unless ``height`` fits below the current line."""
        if self.y - height >= BOTTOM_Y:
            return
        if self.frame + 1 < self.columns:
            self.frame += 1
            self.y = self.frame_top
        else:
            self.new_page(self.columns)

    def add_section(self, section: Section) -> None:
        """Lay out one section: on a new page with a full-width title, or continuing in the columns."""
        if section.new_page or not self.pages or section.columns != self.columns:
            self.finish()
            self.new_page(section.columns)
            self._place(Line(section.title, MARGIN_X, self.y, FONT_BOLD, SECTION_SIZE, 0))
            self.y = self.frame_top = self.y - SECTION_SIZE - 10
        else:
            self.need(SECTION_SIZE + 3 * STYLES[self.columns].leading)
            self.y -= 8
            self._place(
                Line(section.title, self.frame_x()[0], self.y, FONT_BOLD, SECTION_SIZE - 2, self.frame)
            )
            self.y -= SECTION_SIZE + 4
        self.section_pages.append((section.title, len(self.pages)))
        for block in section.blocks:
            self._add_block(block)

    def finish(self) -> None:
        """Balance the columns of the last page so a short final page fills its columns evenly."""
        if not self.pages or self.columns == 1:
            return
        leading = STYLES[self.columns].leading
        height = self.frame_top - BOTTOM_Y + leading
        body = sorted(
            (ln for ln in self.pages[-1].lines if ln.y <= self.frame_top + 0.01),
            key=lambda ln: ln.frame * height + self.frame_top - ln.y,
        )
        if not body:
            return
        offsets = [ln.frame * height + self.frame_top - ln.y for ln in body]
        target = (offsets[-1] + leading) / self.columns
        starts = [0]
        for i, offset in enumerate(offsets):
            if len(starts) < self.columns and offset >= len(starts) * target:
                keep_with_next = i > starts[-1] + 1 and body[i - 1].font == FONT_BOLD
                starts.append(i - 1 if keep_with_next else i)
        for frame, (first, end) in enumerate(zip(starts, [*starts[1:], len(body)], strict=True)):
            for line, offset in zip(body[first:end], offsets[first:end], strict=True):
                indent = line.x - self._x_of(line.frame)
                line.frame, line.x = frame, self._x_of(frame) + indent
                line.y = self.frame_top - (offset - offsets[first])

    def _x_of(self, frame: int) -> float:
        """Return the left x of column ``frame`` on the current page."""
        width = (PAGE_W - 2 * MARGIN_X - GUTTER * (self.columns - 1)) / self.columns
        return MARGIN_X + frame * (width + GUTTER)

    def _place(self, line: Line) -> None:
        """Append a line to the current page."""
        self.pages[-1].lines.append(line)

    def _add_block(self, block: Block) -> None:
        """Lay out one block in the current frame."""
        style = STYLES[self.columns]
        if block.kind == "table":
            self._add_table(block)
            return
        if block.kind == "heading":
            self.need(HEADING_SIZE + 3 * style.leading)
            self.y -= 4
            self._place(
                Line(block.sentences[0].text, self.frame_x()[0], self.y, FONT_BOLD, HEADING_SIZE, self.frame)
            )
            self.y -= HEADING_SIZE + 5
            return
        indent = BULLET_INDENT if block.kind == "bullet" else 0
        x, width = self.frame_x()
        for i, (text, sids) in enumerate(wrap(block.sentences, self.sids, width - indent, style.size)):
            self.need(style.leading)
            x, _ = self.frame_x()
            self._place(
                Line(
                    text,
                    x + indent,
                    self.y,
                    FONT,
                    style.size,
                    self.frame,
                    sids,
                    bullet=block.kind == "bullet" and i == 0,
                )
            )
            self.pages[-1].sids.extend(sids)
            self.y -= style.leading
        self.y -= style.leading * (0.2 if block.kind in ("bullet", "line") else 0.6)

    def _add_table(self, block: Block) -> None:
        """Place a ruled two-column table (header plus rows) across the frame."""
        x, width = self.frame_x()
        cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5)
        head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
        data = [[Paragraph("Recommendation", head), Paragraph("What has been done", head)]]
        data += [[Paragraph(escape(a.text), cell), Paragraph(escape(b.text), cell)] for a, b in block.rows]
        table = Table(data, colWidths=[width * 0.55, width * 0.45])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        _, height = table.wrap(width, PAGE_H)
        self.need(height)
        rows = ["Recommendation | What has been done"] + [f"{a.text} | {b.text}" for a, b in block.rows]
        self.pages[-1].tables.append((table, x, self.y + 10 - height, rows))
        self.pages[-1].sids.extend(self.sids[id(s)] for pair in block.rows for s in pair)
        self.y -= height + 10


def wrap(
    sentences: list[Sentence], sids: dict[int, int], width: float, size: float
) -> list[tuple[str, list[int]]]:
    """Greedy-wrap sentences into lines, hyphenating known long words and compounds at line ends.

    Returns (line text, ids of the sentences whose first word is on the line).
    """
    words: list[tuple[str, int | None]] = []
    for s in sentences:
        for k, word in enumerate(s.text.split()):
            words.append((word, sids.get(id(s)) if k == 0 else None))
    lines: list[tuple[str, list[int]]] = []
    current: list[str] = []
    starts: list[int] = []
    queue = list(words)
    while queue:
        word, sid = queue.pop(0)
        trial = " ".join([*current, word])
        if current and pdfmetrics.stringWidth(trial, FONT, size) > width:
            head, tail = _split(word, " ".join(current), width, size)
            if head:
                current.append(head)
                queue.insert(0, (tail, None))
                sid_here, sid = sid, None
                if sid_here is not None:
                    starts.append(sid_here)
                lines.append((" ".join(current), starts))
                current, starts = [], []
                continue
            lines.append((" ".join(current), starts))
            current, starts = [], []
        current.append(word)
        if sid is not None:
            starts.append(sid)
    if current:
        lines.append((" ".join(current), starts))
    return lines


def _split(word: str, line: str, width: float, size: float) -> tuple[str, str]:
    """Return (head with hyphen, tail) if ``word`` can be broken to end ``line``, else ('', '')."""
    core = word.rstrip(".,;:")
    hyphenated = HYPHENATE.get(core.lower())
    if hyphenated and "-" in hyphenated:
        cut = hyphenated.index("-")
        head, tail = word[:cut] + "-", word[cut:]
    elif "-" in core[1:-1]:
        cut = core.index("-", 1) + 1
        head, tail = word[:cut], word[cut:]
    else:
        return "", ""
    if pdfmetrics.stringWidth(f"{line} {head}", FONT, size) <= width:
        return head, tail
    return "", ""


# ---------------------------------------------------------------- rendering


def doc_title(plan: DocPlan) -> tuple[str, str, str]:
    """Return the document title, the big title-page heading and the running header."""
    key, board = _board(plan)
    short = f"{plan.area} {SHORT[key]}"
    if plan.doc_type == "annual_report":
        heading = f"Annual Report {plan.year - 1}-{plan.year}"
        return f"{board} {heading}", heading, f"{short} Annual Report {plan.year - 1}-{str(plan.year)[2:]}"
    dhr = "Domestic Abuse Related Death Review" if plan.year >= 2023 else "Domestic Homicide Review"
    heading = {
        "sar": f"Safeguarding Adult Review: '{plan.subject}'",
        "cspr": f"Child Safeguarding Practice Review: '{plan.subject}'",
        "rapid_review": f"Rapid Review: '{plan.subject}'",
        "dhr": f"{dhr}: '{plan.subject}'",
        "learning_review": "Thematic Review: Adults Known to Many Services"
        if plan.audience == "adults"
        else "Thematic Review: Young People and Their Families",
        "inspection": f"Joint Targeted Area Inspection of {plan.area}: Summary of Findings",
    }[plan.doc_type]
    return f"{board} \u2014 {heading}", heading, f"{short} {heading.split(':')[0]} {plan.year}"


def title_page(plan: DocPlan, heading: str) -> Page:
    """Return the title page: publisher, heading, area and date (no header or footer)."""
    page = Page(lines=[Line(_board(plan)[1], MARGIN_X, PAGE_H - 160, FONT_BOLD, 14, 0)])
    y = PAGE_H - 230
    for text, _ in wrap([Sentence(heading)], {}, PAGE_W - 2 * MARGIN_X, 22):
        page.lines.append(Line(text, MARGIN_X, y, FONT_BOLD, 22, 0))
        y -= 28
    month = MONTHS[(plan.year + len(plan.subject)) % len(MONTHS)]
    when = (
        f"Reporting period April {plan.year - 1} to March {plan.year}"
        if plan.doc_type == "annual_report"
        else f"Published {month} {plan.year}"
    )
    page.lines += [Line(plan.area, MARGIN_X, y - 30, FONT, 13, 0), Line(when, MARGIN_X, y - 50, FONT, 12, 0)]
    return page


def contents_page(section_pages: list[tuple[str, int]]) -> Page:
    """Return the contents page listing each section with its page number."""
    page = Page(lines=[Line("Contents", MARGIN_X, TOP_Y, FONT_BOLD, SECTION_SIZE, 0)])
    y = TOP_Y - 36
    for title, number in [("Glossary of abbreviations", 3), *section_pages]:
        page.lines.append(Line(title, MARGIN_X, y, FONT, 11, 0))
        page.lines.append(Line(str(number), PAGE_W - MARGIN_X - 12, y, FONT, 11, 0))
        y -= 20
    return page


def draw_page(c: canvas.Canvas, page: Page, number: int, total: int, header: str, plan: DocPlan) -> None:
    """Draw one page: header, body lines in the chosen stream order, tables, footer."""
    if number > 1:
        c.setFont(FONT, 8.5)
        c.drawString(MARGIN_X, PAGE_H - 40, header)
        c.line(MARGIN_X, PAGE_H - 46, PAGE_W - MARGIN_X, PAGE_H - 46)
    order = (
        (lambda ln: (-round(ln.y, 1), ln.x)) if plan.stream_order == "row" else (lambda ln: (ln.frame, -ln.y))
    )
    for line in sorted(page.lines, key=order):
        if line.bullet:
            _draw_bullet(c, line, plan.bullets)
        c.setFont(line.font, line.size)
        c.drawString(line.x, line.y, line.text)
    for table, x, y, _ in page.tables:
        table.wrapOn(c, PAGE_W, PAGE_H)
        table.drawOn(c, x, y)
    if number > 1:
        c.setFont(FONT, 8.5)
        c.drawCentredString(PAGE_W / 2, 34, f"Page {number} of {total}")
    c.showPage()


def _draw_bullet(c: canvas.Canvas, line: Line, style: str) -> None:
    """Draw a bullet glyph left of a list line: Helvetica, ZapfDingbats or Symbol."""
    font, glyph = {
        "helvetica": (FONT, "\u2022"),
        "zapf": ("ZapfDingbats", "\u25cf"),
        "symbol": ("Symbol", "\u2022"),
    }[style]
    c.setFont(font, line.size - (2 if style == "zapf" else 0))
    c.drawString(line.x - BULLET_INDENT, line.y, glyph)


def page_text(page: Page) -> list[str]:
    """Return a page's lines in reading order (frames left to right, then tables), without header/footer."""
    rows: dict[tuple[int, float], list[Line]] = {}
    for ln in sorted(page.lines, key=lambda ln: (ln.frame, -ln.y, ln.x)):
        rows.setdefault((ln.frame, round(ln.y, 1)), []).append(ln)
    lines = [" ".join(("\u2022 " if ln.bullet else "") + ln.text for ln in row) for row in rows.values()]
    for *_, table_rows in page.tables:
        lines.extend(table_rows)
    return [line.translate(UNLIGATE) for line in lines]


# ---------------------------------------------------------------- one document


def lay_out(plan: DocPlan, rng: random.Random) -> tuple[list[Page], list[Sentence], str, str]:
    """Compose and lay out a document; return pages, sentences in order, title and header."""
    body = build_sections(plan, rng)
    glossary = glossary_section(plan, rng)
    sentences = _all_sentences([glossary, *body])
    ids = {id(s): i for i, s in enumerate(sentences)}
    front = Layout(ids)
    front.add_section(glossary)
    front.finish()
    main = Layout(ids)
    for section in body:
        main.add_section(section)
    main.finish()
    offset = 2 + len(front.pages)
    section_pages = [(t, n + offset) for t, n in main.section_pages]
    title, heading, header = doc_title(plan)
    pages = [title_page(plan, heading), contents_page(section_pages), *front.pages, *main.pages]
    return pages, sentences, title, header


def _all_sentences(sections: list[Section]) -> list[Sentence]:
    """Return every sentence of the sections, in order, rows flattened."""
    out: list[Sentence] = []
    for section in sections:
        for block in section.blocks:
            out.extend(block.sentences)
            out.extend(s for pair in block.rows for s in pair)
    return out


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


def write_pdf(path: Path, pages: list[Page], title: str, header: str, plan: DocPlan) -> None:
    """Write the pages to ``path`` with reportlab (invariant, compressed)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(_board(plan)[1])
    for number, page in enumerate(pages, start=1):
        draw_page(c, page, number, len(pages), header, plan)
    c.save()


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


def expected_shares(plans: list[DocPlan]) -> dict[str, dict[str, float]]:
    """Return, per planted theme, the share of each year's documents that discuss it."""
    shares: dict[str, dict[str, float]] = {}
    for theme in SCHEDULE:
        shares[theme] = {}
        for year in YEARS:
            docs = [p for p in plans if p.year == year]
            shares[theme][str(year)] = round(sum(theme in p.themes for p in docs) / len(docs), 3)
    return shares


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
