"""Sentence banks for themes: findings, recommendations, negated and wrong-sense traps."""

from __future__ import annotations

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
