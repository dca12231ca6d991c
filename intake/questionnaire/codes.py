"""LOINC codes for the validated instruments' panels, items, scores and answers.

Only codes confirmed against a published source are given; the rest are None and left out of
every export rather than guessed. Confirmed: see the comment above each group.
"""

from __future__ import annotations

from .model import Coding

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
# server we could check confirms them yet (only one third-party implementation guide), so they
# are left out until they can be.
ASQ_PANEL: Coding | None = None
ASQ_WISH_DEAD: Coding | None = None
ASQ_BETTER_OFF: Coding | None = None
ASQ_THOUGHTS: Coding | None = None
ASQ_ATTEMPT: Coding | None = None
ASQ_NOW: Coding | None = None
