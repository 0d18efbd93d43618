"""Positive and negative example sentences per theme, written for the tests (not taken from any eval set).

``POSITIVE[theme]``: sentences a reader searching for the theme would want as evidence.
``NEGATIVE[theme]``: sentences that mention a theme word but must NOT be tagged with that
theme: other word senses, acronym collisions, negations and statutory boilerplate
(the traps of ../shared/reference/domain.md).
"""

from __future__ import annotations

POSITIVE: dict[str, list[str]] = {
    "professional_curiosity": [
        "Practitioners did not show professional curiosity about the bruises on his arms.",
        "The GP accepted the mother's explanation at face value.",
        "Nobody asked about the man who was sometimes seen at the house.",
        "Staff need to be more curious about what is not being said.",
    ],
    "information_sharing": [
        "The police did not share information about the assault with the health visitor.",
        "Concerns about GDPR led the school to withhold relevant details from children's social care.",
        "The GP was not informed of the hospital admission.",
        "Information was shared promptly between the ambulance service and the hospital.",
    ],
    "multi_agency_working": [
        "Agencies worked in silos and no single agency had the full picture.",
        "A lead professional was never identified for the family.",
        "There was effective joint working between the police and social care.",
        "A multi-disciplinary meeting was convened to agree a plan.",
    ],
    "risk_assessment": [
        "The risk assessment was not updated after the second assault.",
        "Professionals underestimated the risk he posed to the baby.",
        "Risks were not reassessed when her partner moved back into the home.",
        "A rule of optimism meant that cumulative harm was overlooked.",
    ],
    "escalation_challenge": [
        "The health visitor did not escalate her concerns when the case was closed.",
        "The escalation policy was not used by any agency.",
        "The school challenged the decision to take no further action.",
        "Practitioners lacked the confidence to challenge other professionals.",
    ],
    "supervision_oversight": [
        "Reflective supervision would have helped the worker step back from the case.",
        "There was little management oversight of the plan and the case drifted.",
        "Quality assurance audits found inconsistent practice.",
    ],
    "workforce_capacity": [
        "High caseloads and staff turnover meant the family had five social workers in a year.",
        "The team relied on agency staff because of vacancies.",
        "Waiting lists for assessment exceeded eighteen months.",
    ],
    "recording_chronology": [
        "Case records did not include the reason for the decision to close.",
        "A chronology would have shown the pattern of missed appointments.",
        "The disclosure was not recorded on the GP record.",
    ],
    "thresholds_front_door": [
        "The referral to children's social care was assessed as not meeting the threshold.",
        "The MASH decided that no further action was needed.",
        "A section 42 enquiry was not opened despite the safeguarding concern.",
        "The family were offered early help.",
    ],
    "disengagement_wnb": [
        "The child was not brought to three health appointments.",
        "Mr Jones declined support from the community mental health team.",
        "The case was closed following non-engagement.",
        "She did not attend her antenatal appointments and the DNA letters were filed.",
    ],
    "disguised_compliance": [
        "The parents showed disguised compliance, agreeing to every plan but changing nothing.",
        "His mother told professionals what they wanted to hear.",
        "Workers were over-optimistic about the father's capacity to change after one good visit.",
        "The plan was overly optimistic about how long the family could sustain the improvements.",
        "Practitioners fell into the rule of optimism when the home looked tidier.",
    ],
    "think_family": [
        "Adult mental health services did not consider the impact on the children of his illness.",
        "A whole family approach was missing.",
        "Nobody asked about children in the household when he was discharged.",
    ],
    "voice_of_child": [
        "The baby was not seen by the health visitor for five months.",
        "The voice of the child was absent from the assessment.",
        "Her wishes and feelings were not recorded.",
        "The children were never seen alone.",
        "Little was known about what life was like for the children at home.",
        "Most children on child protection plans are seen regularly by their social workers.",
    ],
    "voice_person_msp": [
        "Making Safeguarding Personal was not evident in the enquiry.",
        "He was not offered an independent advocate during the Care Act assessment.",
        "Practitioners did not ask what mattered to her or record the outcomes she wanted.",
    ],
    "family_carers": [
        "His daughter, who cared for him, was struggling to cope.",
        "No one asked how the caring role was affecting her.",
        "His wife, his unpaid carer, was exhausted and was never offered a carer's assessment.",
        "The young carers in the family received no support.",
        "Carer strain was evident in the months before the incident.",
    ],
    "trauma_informed": [
        "A trauma-informed approach would have recognised her history of childhood abuse.",
        "He had experienced many adverse childhood experiences.",
        "Unresolved trauma shaped his relationships with professionals.",
    ],
    "transitions": [
        "Support ended abruptly when he turned 18 and there was no transition plan.",
        "She was discharged from hospital without a discharge plan.",
        "Transitional safeguarding arrangements were underdeveloped.",
    ],
    "equality_culture_identity": [
        "No interpreter was used, although English was not her first language.",
        "Adultification bias may have shaped how the police saw the Black teenager.",
        "His immigration status meant he had no recourse to public funds.",
        "The family's faith and culture were not explored.",
    ],
    "legal_literacy": [
        "Practitioners were unsure whether the inherent jurisdiction could be used.",
        "Legal advice was not sought about an injunction.",
        "A Mental Health Act assessment was requested but not completed.",
    ],
    "learning_implementation": [
        "Similar findings were made in previous reviews.",
        "Lessons learned from the earlier review had not been embedded.",
        "A seven minute briefing was circulated to practitioners.",
    ],
    "covid_pandemic": [
        "During lockdown home visits were replaced by video calls.",
        "The pandemic reduced contact between the family and universal services.",
    ],
    "poverty_deprivation": [
        "The family were in rent arrears and relied on a food bank.",
        "Universal Credit sanctions left her with no money for food.",
        "Child poverty and deprivation were part of the context of the neglect.",
    ],
    "housing_homelessness": [
        "He was sleeping rough after being evicted from his flat.",
        "The family lived in overcrowded temporary accommodation.",
        "The housing officer raised concerns about the tenancy.",
    ],
    "rurality": [
        "The family lived in an isolated rural location with no public transport.",
        "Rurality made it hard for him to reach the clinic.",
    ],
    "domestic_abuse": [
        "She told the GP that her husband had pushed her down the stairs.",
        "There were several reports of domestic abuse to the police.",
        "The case was heard at MARAC and an IDVA was allocated.",
        "A DASH risk assessment was completed.",
        "She disclosed that her partner had strangled her.",
    ],
    "coercive_control": [
        "He controlled all the money and she had to ask for permission to buy food.",
        "Her partner controlled her finances and monitored her phone.",
        "Coercive control was not recognised by the agencies involved.",
        "He isolated her from friends and family.",
    ],
    "substance_misuse": [
        "Her father's alcohol misuse was known to the GP.",
        "He was using heroin and crack cocaine.",
        "She was intoxicated when the baby died.",
    ],
    "mental_health": [
        "She had a long history of depression and anxiety.",
        "He was under the care of the community mental health team.",
        "The young person waited months for a CAMHS appointment.",
    ],
    "suicide_self_harm": [
        "He had expressed suicidal thoughts to his GP.",
        "She had a history of self-harm.",
        "He took his own life two weeks after the eviction.",
    ],
    "disability_send": [
        "Her mother had a learning disability.",
        "The boy had an education, health and care plan for his special educational needs.",
        "He used a wheelchair and was dependent on carers.",
    ],
    "neurodiversity": [
        "He had a diagnosis of autism and ADHD.",
        "Professionals did not adapt their communication for an autistic young person.",
    ],
    "child_neglect": [
        "The children lived in neglectful home conditions.",
        "There was evidence of chronic neglect of the children.",
        "The Graded Care Profile was not used.",
    ],
    "safe_sleep_sudi": [
        "The baby died while co-sleeping with his parents on the sofa.",
        "Safer sleep advice was given by the midwife.",
    ],
    "infant_injury_nai": [
        "Bruising in a non-mobile baby should always prompt a referral.",
        "The skeletal survey showed rib fractures.",
        "The four-month-old baby had a head injury that was not explained.",
    ],
    "fathers_male_carers": [
        "Little was known about the man who was living in the household.",
        "The father was never seen by the health visitor.",
        "Nobody assessed the mother's new partner.",
        "Dads were rarely invited to meetings.",
    ],
    "child_exploitation_missing": [
        "She was frequently missing overnight and returning with new phones.",
        "He was criminally exploited through county lines.",
        "She went missing from home eleven times in a month.",
        "A return home interview was not offered.",
        "The girl was groomed online for sexual exploitation.",
    ],
    "online_harm": [
        "She was sent indecent images through Snapchat.",
        "The boy was a victim of sextortion.",
    ],
    "education_school": [
        "He was permanently excluded from school in Year 9.",
        "She was on a part-time timetable and persistently absent.",
        "The designated safeguarding lead made a referral.",
        "The children were electively home educated.",
    ],
    "looked_after_care": [
        "She came into care at the age of twelve.",
        "He had six placement moves in two years.",
        "Care leavers need a personal adviser until they are 25.",
        "The foster carer raised concerns.",
        "Some children wait too long to move in with a family who wants to adopt them.",
        "He was fostered by his grandmother after the care order was made.",
        "Two babies were matched with foster to adopt carers within weeks of birth.",
        "Her aunt has been fostering a baby with complex health needs since March.",
    ],
    "sexual_abuse": [
        "She disclosed sexual abuse by her stepfather.",
        "He was a registered sex offender.",
        "Harmful sexual behaviour by an older sibling was reported.",
    ],
    "self_neglect": [
        "Mrs C had stopped washing and was wearing the same clothes for weeks.",
        "He repeatedly declined help with his personal care.",
        "He was living without heating and with very little food in the house.",
        "He was living in squalor and refused care.",
        "Self-neglect was identified by the district nurses.",
        "His personal hygiene was very poor and the property was infested.",
    ],
    "hoarding": [
        "Items were stacked so high that the bedroom could not be used.",
        "Access to the bathroom was blocked by accumulated belongings.",
        "The flat was cluttered from floor to ceiling.",
        "Her hoarding made it impossible for paramedics to reach her.",
        "A clutter image rating was completed.",
    ],
    "mental_capacity": [
        "Although he was articulate, he could not put his knowledge into action when faced with the risks.",
        "She was judged to have the mental capacity to refuse care.",
        "No capacity assessment was completed about his decision to refuse care.",
        "Professionals assumed she had capacity because she was articulate.",
        "He was unable to weigh up the information about the risks.",
        "A best interests decision was made about the move.",
    ],
    "adult_neglect_omission": [
        "The care agency missed care calls for three days.",
        "Her husband neglected her basic care needs.",
        "The provider was investigated for wilful neglect.",
    ],
    "financial_abuse": [
        "Her son had been withdrawing cash from her account without her consent.",
        "A friend had taken control of his benefits.",
        "His nephew took money from his bank account.",
        "She was the victim of a romance scam.",
        "The appointee misused her benefits.",
    ],
    "modern_slavery_exploitation": [
        "Men who befriended him began using his flat to sell drugs.",
        "He was a victim of cuckooing.",
        "She was trafficked for domestic servitude.",
        "A referral was made to the National Referral Mechanism.",
    ],
    "organisational_abuse_care_quality": [
        "The care home did not have enough staff to meet residents' needs.",
        "The quality of care at the nursing home had been rated inadequate.",
        "The care home had a closed culture.",
        "Restrictive practices were used without review.",
        "A large scale enquiry was opened into the provider.",
    ],
    "physical_health": [
        "She developed grade four pressure ulcers.",
        "He was malnourished and dehydrated when admitted to hospital.",
        "She had several falls in the months before her death.",
    ],
    "fire_risk": [
        "She smoked in bed and there were burn marks on her bedding.",
        "She had an oxygen concentrator and continued to smoke.",
        "He died in a house fire started by a cigarette.",
        "A home fire safety visit was not offered.",
        "Paraffin-based emollients increased the fire risk.",
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "professional_curiosity": ["She was a curious toddler who loved to explore."],
    "information_sharing": [
        "The partnership will share the learning from this review.",
        "All agencies shared information with the review panel.",
    ],
    "multi_agency_working": ["The Multi-Agency Safeguarding Hub is based at the police station."],
    "risk_assessment": [
        "A fire risk assessment of the building was carried out.",
        "The children were at risk of harm.",
    ],
    "escalation_challenge": ["The abuse escalated over the summer.", "Staff are trained in de-escalation."],
    "supervision_oversight": [
        "The court made a supervision order.",
        "Supervised contact took place at the family centre.",
        "There must be supervision by a person who is in regulated activity.",
        "This guidance on the supervision of activity with children is published separately.",
        "Consider consulting the ICO on data governance.",
        "The system keeps an audit trail of every search.",
    ],
    "workforce_capacity": ["She lacked capacity to make decisions about her care."],
    "recording_chronology": [
        "Agencies provided chronologies and Individual Management Reviews.",
        "The police recorded crime figures rose.",
    ],
    "thresholds_front_door": [
        "He was of no fixed abode.",
        "The case was referred for consideration of a SAR.",
        "Services for children in need of help and protection require improvement to be good.",
    ],
    "disengagement_wnb": [
        "DNA evidence linked him to the scene.",
        "Her health declined over the winter.",
        "He was refused bail.",
    ],
    "disguised_compliance": [
        "The provider was not in compliance with CQC regulations.",
        "The report presents good evidence of progress.",
        "Senior managers held an over-optimistic view of the quality of their own services.",
        "The budget forecast for the year was overly optimistic.",
    ],
    "think_family": [
        "The family moved to the area in 2019.",
        "A parenting capacity assessment of the mother was completed before the final hearing.",
    ],
    "voice_of_child": [
        "She left a voicemail for the social worker.",
        "Delays in initial child protection conferences were seen in several areas.",
    ],
    "voice_person_msp": ["The local MSP wrote to the health board."],
    "family_carers": ["The foster carer took the child to school."],
    "trauma_informed": ["He was taken to the major trauma centre with a head injury."],
    "transitions": ["The transitional arrangements for the new safeguarding partners were agreed."],
    "equality_culture_identity": [
        "There was a blame culture in the team.",
        "The review considered the nine protected characteristics under the Equality Act 2010.",
        "The manager felt the new guidance had been mis-interpreted by the team.",
        "Progress achieved translates into better outcomes for children.",
        "Further guidance can be found on the Equality and Human Rights Commission's website.",
        "A shift in culture towards openness has improved how managers and staff work together.",
        "The board inherited a siloed culture from the three former partnerships.",
    ],
    "legal_literacy": [
        "The review was commissioned under section 44 of the Care Act 2014.",
        "Further guidance can be found on the Equality and Human Rights Commission's website.",
    ],
    "learning_implementation": ["He had a learning disability."],
    "covid_pandemic": ["The virtual school head monitored his attendance."],
    "poverty_deprivation": [
        "The deprivation of liberty authorisation had expired.",
        "Teachers spoke of a poverty of aspiration.",
    ],
    "housing_homelessness": ["The police took no further action.", "The house was in good repair."],
    "rurality": ["Social isolation and loneliness affected his mood."],
    "domestic_abuse": [
        "The house was a cluttered domestic environment.",
        "Mr Dash lived alone.",
    ],
    "coercive_control": [
        "Domestic abuse is defined as any incident or pattern of incidents of controlling, coercive, "
        "threatening behaviour, violence or abuse between those aged 16 or over.",
        "Infection control measures were in place.",
        "He was prescribed controlled drugs.",
    ],
    "substance_misuse": ["The drug chart was not completed on the ward."],
    "mental_health": ["The Mental Capacity Act was not applied."],
    "suicide_self_harm": ["He hung his coat on the door."],
    "disability_send": ["The door alarm had been disabled.", "Child protection plans were reviewed."],
    "neurodiversity": [
        "Adult Social Care received the referral.",
        "The echocardiogram showed a small ASD that closed without treatment.",
    ],
    "child_neglect": [
        "The GP neglected to record the conversation.",
        "He was known for self-neglect.",
        "Abuse or neglect of a child is known or suspected.",
    ],
    "safe_sleep_sudi": ["He had been sleeping rough for a year."],
    "infant_injury_nai": [
        "She fractured her hip in a fall at the care home.",
        "The relationship between the agencies suffered a fracture.",
    ],
    "fathers_male_carers": [
        "Her grandfather collected her from school.",
        "Father Christmas visited the nursery.",
    ],
    "child_exploitation_missing": [
        "Information was missing from the records.",
        "His grooming and hygiene had deteriorated.",
    ],
    "online_harm": ["Staff completed online training."],
    "education_school": [
        "Social exclusion compounded his difficulties.",
        "The Royal College of Psychiatrists issued guidance.",
        "The Office for Standards in Education, Children's Services and Skills inspected the service.",
        "The health visiting and school nursing service has a single provider.",
        "The council carried forward a deficit on its Dedicated Schools Grant.",
        "The Staff College explored why directors leave their posts.",
    ],
    "looked_after_care": [
        "She moved into a care home in 2021.",
        "He began a work placement.",
        "Two of the pilot areas had adopted this model before the programme began.",
        "Practice supervisors help practitioners to adopt a proportionate approach.",
        "Interviews took place with practitioners in four councils.",
        "Managers seek to foster closer working between the two teams.",
        "The workshops were designed to foster open discussion among staff.",
        "The visit was carried out under section 20 of the Children Act 2004.",
        "Inspection of services for children in need of help and protection, "
        "children looked after and care leavers",
    ],
    "sexual_abuse": [
        "The Child Support Agency assessed his payments.",
        "Maintenance payments from the CSA stopped.",
    ],
    "self_neglect": [
        "The social worker considered self-neglect but ruled it out after seeing the well-kept flat.",
        "Self-neglect was not identified as a concern.",
        "There was no evidence of self-neglect.",
        "The SAR criteria were met as there was abuse or neglect (including self-neglect).",
    ],
    "hoarding": ["She had been hoarding her medication.", "Hoarding was ruled out."],
    "mental_capacity": [
        "Decisions were made in the best interests of the child.",
        "The scan showed an infarct of the middle cerebral artery (MCA).",
        "Parenting capacity was assessed.",
        "Councils do not have capacity for another round of system changes.",
    ],
    "adult_neglect_omission": ["The nurse neglected to tell the doctor."],
    "financial_abuse": ["The board's financial report showed a balanced budget."],
    "modern_slavery_exploitation": [
        "The data was trafficked through the staging layer.",
        "He was convicted of drug trafficking.",
        "The road traffic collision delayed the ambulance.",
    ],
    "organisational_abuse_care_quality": [
        "The Care Quality Commission published its annual report.",
        "She had lived in the care home happily for five years.",
    ],
    "physical_health": ["The decision falls within the remit of the board."],
    "fire_risk": [
        "The fire and rescue service is a member of the board.",
        "He was fired from his job.",
    ],
}
