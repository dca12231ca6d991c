"""The screening questionnaire, defined once (`screening.py`), and what its answers mean.

Read it as `questionnaire.SCREENING` when it is used, not copied at import time, so that every
part of the site sees the same definition.
"""

from .model import Choice, Coding, Flag, Instrument, Kind, Part, Question, Questionnaire, Section
from .screening import SCREENING

__all__ = [
    "SCREENING",
    "Choice",
    "Coding",
    "Flag",
    "Instrument",
    "Kind",
    "Part",
    "Question",
    "Questionnaire",
    "Section",
]
