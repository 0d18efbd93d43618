"""Sentence banks for the rest of a report: introduction, method, findings, glossary, boilerplate."""

from __future__ import annotations

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
