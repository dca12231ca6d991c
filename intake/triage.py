"""Triage: a request's flags, scores and priority, decided from its coded answers.

Everything it knows about the questions comes from the questionnaire definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import questionnaire
from .models import ScreeningRequest
from .questionnaire import Flag, scoring, screening

Priority = ScreeningRequest.Priority


@dataclass(frozen=True)
class TriageResult:
    priority: Priority
    flags: list[str] = field(default_factory=list)
    peg_score: Decimal | None = None
    phq2_score: int = 0
    phq2_positive: bool = False
    asq_positive: bool = False
    asq_acute: bool = False


def triage(*, answers: Mapping[str, Any], in_service_area: bool | None) -> TriageResult:
    """Decide a request's flags and priority from its coded answers.

    - The flag each question declares, when answered with one of its flagging answers (a health
      condition answered "yes" or "not sure"; never an automatic "no": a clinician decides).
    - PEG score: the mean of its three 0-10 items, to one decimal place.
    - PHQ-2 positive at a total of 3 or more.
    - ASQ positive on any "yes", including "thoughts of killing yourself right now" (acute), and
      on any ASQ question declined (noted as its own flag, so staff read why).
    - A ZIP code outside the area, or not found: noted as flags.

    Priority: the most pressing that any flag raises (acute for thoughts of suicide right now,
    urgent for a positive ASQ, needs review for a health condition or a positive PHQ-2); routine
    when none does.
    """
    definition = questionnaire.SCREENING
    raised_by_answers: dict[str, Flag] = {}
    for question in definition.questions():
        for flag in question.raised_flags(answers.get(question.name)):
            raised_by_answers.setdefault(flag.code, flag)  # "yes" and "not sure" flag it once
    # In the questionnaire's order, whichever answer raised them.
    order = [f.code for f in definition.flags()]
    raised = sorted(raised_by_answers.values(), key=lambda flag: order.index(flag.code))
    # Flags that call for a clinician come first, then the scores, then the notes.
    flags = [f for f in raised if f.raises is not None]

    phq2_score = scoring.phq2_total(definition, answers)
    phq2_positive = scoring.phq2_positive(phq2_score)
    if phq2_positive:
        flags.append(screening.PHQ2_POSITIVE)
    asq_positive = scoring.asq_positive(definition, answers)
    asq_acute = scoring.asq_acute(definition, answers)
    if asq_positive:
        flags.append(screening.ASQ_POSITIVE)
    if scoring.asq_declined(definition, answers):
        flags.append(screening.ASQ_DECLINED_FLAG)
    if asq_acute:
        flags.append(screening.ASQ_ACUTE)

    flags += [f for f in raised if f.raises is None]
    if in_service_area is False:
        flags.append(screening.OUT_OF_AREA)
    elif in_service_area is None:
        flags.append(screening.AREA_UNKNOWN)

    priority = min((f.raises for f in flags if f.raises is not None), default=Priority.ROUTINE)
    return TriageResult(
        priority=Priority(priority),
        flags=[f.code for f in flags],
        peg_score=scoring.peg_score(definition, answers),
        phq2_score=phq2_score,
        phq2_positive=phq2_positive,
        asq_positive=asq_positive,
        asq_acute=asq_acute,
    )
