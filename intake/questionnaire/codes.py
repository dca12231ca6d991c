"""LOINC codes for the validated instruments' panels, items, scores and answers.

Only LOINC codes confirmed against a published source are given, never guessed. Confirmed: see
the comment above each group. Where no code can be confirmed, the clinic's own code system stands
in (named by its path under the site; the export makes it absolute with SITE_URL).
"""

from __future__ import annotations

from .model import CLINIC_SYSTEMS, Coding

# Yes / No: checked against HL7's SDC answer list LL2828-3 and the Behavioral Health IG.
ANSWER_YES = Coding("LA33-6", "Yes")
ANSWER_NO = Coding("LA32-8", "No")

# PEG: checked against published FHIR and CDS code (AHRQ CDS Connect pain management summary;
# UW CIRG's PEG Questionnaire, which cites loinc.org/91148-7).
PEG_PANEL = Coding(
    "91148-7", "Pain intensity, Enjoyment of life, General activity (PEG) 3 item pain scale"
)
PEG_PAIN = Coding("75893-8", "Pain severity in the past week - 0-10 numeric rating [Reported]")
PEG_ENJOYMENT = Coding(
    "91145-3",
    "What number best describes how pain has interfered with your enjoyment of life during "
    "the past week",
)
PEG_ACTIVITY = Coding(
    "91146-1",
    "What number best describes how pain has interfered with your general activity during the "
    "past week",
)
PEG_SCORE = Coding("91147-9", "Mean score [PEG]")

# PHQ-2: checked against LOINC's own pages for panel 55757-9 and answer list LL358-3.
PHQ2_PANEL = Coding("55757-9", "Patient Health Questionnaire 2 item (PHQ-2) [Reported]")
PHQ2_INTEREST = Coding("44250-9", "Little interest or pleasure in doing things")
PHQ2_DOWN = Coding("44255-8", "Feeling down, depressed, or hopeless")
PHQ2_TOTAL = Coding("55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]")
PHQ_NOT_AT_ALL = Coding("LA6568-5", "Not at all")
PHQ_SEVERAL_DAYS = Coding("LA6569-3", "Several days")
PHQ_MORE_THAN_HALF = Coding("LA6570-1", "More than half the days")
PHQ_NEARLY_EVERY_DAY = Coding("LA6571-9", "Nearly every day")

# ASQ: LOINC 2.83 lists a panel (115564-7) and item codes, but no LOINC page or terminology
# server we could check confirms them yet (only one third-party implementation guide). Until they
# can be, the ASQ's items and its result carry the clinic's own codes, from a code system the site
# serves at its canonical URL (`/fhir/CodeSystem/asq`).
ASQ_SYSTEM = CLINIC_SYSTEMS + "asq"
ASQ_PANEL = Coding("panel", "Ask Suicide-Screening Questions (ASQ)", ASQ_SYSTEM)
ASQ_WISH_DEAD = Coding("wish-dead", "In the past few weeks, wished you were dead", ASQ_SYSTEM)
ASQ_BETTER_OFF = Coding(
    "better-off",
    "In the past few weeks, felt you or your family would be better off if you were dead",
    ASQ_SYSTEM,
)
ASQ_THOUGHTS = Coding(
    "thoughts", "In the past week, having thoughts about killing yourself", ASQ_SYSTEM
)
ASQ_ATTEMPT = Coding("attempt", "Ever tried to kill yourself", ASQ_SYSTEM)
ASQ_NOW = Coding("now", "Having thoughts of killing yourself right now (acuity)", ASQ_SYSTEM)
ASQ_DECLINED = Coding("declined", "Declined to answer (counted as a positive screen)", ASQ_SYSTEM)
# The screen's result, in the toolkit's own three outcomes.
ASQ_RESULT = Coding("result", "ASQ suicide risk screen result", ASQ_SYSTEM)
ASQ_NEGATIVE = Coding("negative", "Negative screen", ASQ_SYSTEM)
ASQ_NON_ACUTE_POSITIVE = Coding("non-acute-positive", "Non-acute positive screen", ASQ_SYSTEM)
ASQ_ACUTE_POSITIVE = Coding("acute-positive", "Acute positive screen (imminent risk)", ASQ_SYSTEM)
ASQ_CODES = (
    ASQ_PANEL,
    ASQ_WISH_DEAD,
    ASQ_BETTER_OFF,
    ASQ_THOUGHTS,
    ASQ_ATTEMPT,
    ASQ_NOW,
    ASQ_DECLINED,
    ASQ_RESULT,
    ASQ_NEGATIVE,
    ASQ_NON_ACUTE_POSITIVE,
    ASQ_ACUTE_POSITIVE,
)
