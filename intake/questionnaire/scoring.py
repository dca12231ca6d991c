"""What the validated instruments' answers add up to: PEG score, PHQ-2 total, ASQ screen.

Each reads its items from the questionnaire's instrument, never a copied list of field names.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .model import Questionnaire, When
from .screening import DECLINED, PHQ2_POSITIVE_AT, YES


def peg_score(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Decimal | None:
    """The mean of the three PEG items, to one decimal place; None unless all three are answered."""
    items = [answers.get(name) for name in questionnaire.instrument("peg").items]
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in items):
        return None
    return (Decimal(sum(items)) / Decimal(len(items))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def phq2_total(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> int:
    """The PHQ-2 total, 0 to 6 (an unanswered item counts 0)."""
    return sum(int(answers.get(name) or 0) for name in questionnaire.instrument("phq2").items)


def phq2_positive(total: int) -> bool:
    return total >= PHQ2_POSITIVE_AT


def asq_acute_when(questionnaire: Questionnaire) -> When:
    """ "Yes" to "are you having thoughts of killing yourself right now?"."""
    return When((questionnaire.instrument("asq").acuity_item,), frozenset({YES}))


def asq_positive_when(questionnaire: Questionnaire) -> When:
    """Any "yes" on the ASQ, the acuity question included, or any item the patient declined to
    answer (NIMH counts a refusal as positive): a positive screen."""
    asq = questionnaire.instrument("asq")
    return When((*asq.items, asq.acuity_item), frozenset({YES, DECLINED}))


def asq_declined_when(questionnaire: Questionnaire) -> When:
    """An ASQ question the patient chose not to answer."""
    asq = questionnaire.instrument("asq")
    return When((*asq.items, asq.acuity_item), frozenset({DECLINED}))


def asq_acute(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> bool:
    return asq_acute_when(questionnaire).holds(answers)


def asq_positive(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> bool:
    return asq_positive_when(questionnaire).holds(answers)


def asq_declined(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> bool:
    return asq_declined_when(questionnaire).holds(answers)
