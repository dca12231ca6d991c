"""Triage, case by case: flags, scores and priority from the coded answers."""

from decimal import Decimal

import pytest

from intake import questionnaire
from intake.models import ScreeningRequest
from intake.questionnaire import screening
from intake.triage import triage

Priority = ScreeningRequest.Priority
# The conditions a clinician reviews, as the questionnaire's checklist offers them.
CONDITIONS = [
    c.code for c in questionnaire.SCREENING.question("health_conditions").choices if c.flag
]


def answers(**overrides):
    base = {
        "pain_duration": "over_1_year",
        "peg_pain": 6,
        "peg_enjoyment": 5,
        "peg_activity": 7,
        "health_conditions": ["none"],
        "health_not_sure": [],
        "phq2_interest": 0,
        "phq2_down": 1,
        "asq_wish_dead": "no",
        "asq_better_off": "no",
        "asq_thoughts": "no",
        "asq_attempt": "no",
        "asq_now": "",
    }
    base.update(overrides)
    return base


def test_nothing_of_note_is_routine_with_no_flags():
    result = triage(answers=answers(), in_service_area=True)

    assert result.priority == Priority.ROUTINE
    assert result.flags == []
    assert not result.asq_positive
    assert not result.phq2_positive


@pytest.mark.parametrize("condition", CONDITIONS)
def test_a_health_condition_the_patient_has_is_flagged_for_review(condition):
    result = triage(answers=answers(health_conditions=[condition]), in_service_area=True)

    assert result.flags == [condition]
    assert result.priority == Priority.NEEDS_REVIEW


@pytest.mark.parametrize("condition", CONDITIONS)
def test_a_health_condition_the_patient_is_not_sure_about_is_flagged_for_review(condition):
    result = triage(
        answers=answers(health_conditions=["not_sure"], health_not_sure=[condition]),
        in_service_area=True,
    )

    assert result.flags == [condition]
    assert result.priority == Priority.NEEDS_REVIEW


@pytest.mark.parametrize("condition", CONDITIONS)
def test_a_health_condition_not_chosen_is_not_flagged(condition):
    # Every other condition is chosen, so only leaving this one out can keep its flag away.
    others = [c for c in CONDITIONS if c != condition]
    result = triage(answers=answers(health_conditions=others), in_service_area=True)

    assert condition not in result.flags
    assert len(result.flags) == len(CONDITIONS) - 1


def test_several_conditions_give_several_flags_once_each_in_a_stable_order():
    result = triage(
        answers=answers(
            health_conditions=["seizures", "heart", "not_sure"],
            health_not_sure=["heart", "liver"],
        ),
        in_service_area=True,
    )

    assert result.flags == ["heart", "liver", "seizures"]


@pytest.mark.parametrize(
    ("items", "score"),
    [
        ((0, 0, 0), Decimal("0.0")),
        ((10, 10, 10), Decimal("10.0")),
        ((6, 5, 7), Decimal("6.0")),
        ((7, 7, 8), Decimal("7.3")),
        ((8, 8, 9), Decimal("8.3")),
        ((1, 0, 0), Decimal("0.3")),
        ((2, 0, 0), Decimal("0.7")),
    ],
)
def test_peg_score_is_the_mean_of_its_three_items_to_one_decimal(items, score):
    result = triage(
        answers=answers(peg_pain=items[0], peg_enjoyment=items[1], peg_activity=items[2]),
        in_service_area=True,
    )

    assert result.peg_score == score


@pytest.mark.parametrize("missing", ["peg_pain", "peg_enjoyment", "peg_activity"])
def test_a_peg_answered_in_part_has_no_score(missing):
    result = triage(answers=answers(**{missing: None}), in_service_area=True)

    assert result.peg_score is None


@pytest.mark.parametrize(
    ("interest", "down", "positive"),
    [(0, 0, False), (1, 1, False), (2, 0, False), (1, 2, True), (3, 0, True), (3, 3, True)],
)
def test_phq2_is_positive_at_a_total_of_three_or_more(interest, down, positive):
    result = triage(answers=answers(phq2_interest=interest, phq2_down=down), in_service_area=True)

    assert result.phq2_positive is positive
    assert result.phq2_score == interest + down
    assert (screening.PHQ2_POSITIVE.code in result.flags) is positive
    assert result.priority == (Priority.NEEDS_REVIEW if positive else Priority.ROUTINE)


@pytest.mark.parametrize(
    "question", ["asq_wish_dead", "asq_better_off", "asq_thoughts", "asq_attempt"]
)
def test_any_asq_yes_is_positive_and_urgent(question):
    result = triage(answers=answers(**{question: "yes", "asq_now": "no"}), in_service_area=True)

    assert result.asq_positive
    assert result.priority == Priority.URGENT
    assert screening.ASQ_POSITIVE.code in result.flags
    assert screening.ASQ_ACUTE.code not in result.flags


def test_thoughts_of_suicide_right_now_is_acute_above_urgent():
    result = triage(answers=answers(asq_thoughts="yes", asq_now="yes"), in_service_area=True)

    assert result.priority == Priority.ACUTE
    assert Priority.ACUTE < Priority.URGENT
    assert result.flags[:2] == [screening.ASQ_POSITIVE.code, screening.ASQ_ACUTE.code]


def test_right_now_yes_counts_even_when_the_other_asq_answers_are_no():
    result = triage(answers=answers(asq_now="yes"), in_service_area=True)

    assert result.asq_positive
    assert result.priority == Priority.ACUTE


def test_urgent_outranks_needs_review():
    result = triage(
        answers=answers(health_conditions=["heart"], phq2_interest=3, asq_attempt="yes"),
        in_service_area=False,
    )

    assert result.priority == Priority.URGENT
    assert set(result.flags) == {"heart", "phq2_positive", "asq_positive", "out_of_area"}


def test_pain_under_three_months_is_noted_but_not_escalated():
    result = triage(answers=answers(pain_duration="under_3_months"), in_service_area=True)

    assert result.flags == [screening.PAIN_UNDER_3_MONTHS.code]
    assert result.priority == Priority.ROUTINE


@pytest.mark.parametrize(
    ("in_area", "flags"),
    [(True, []), (False, [screening.OUT_OF_AREA.code]), (None, [screening.AREA_UNKNOWN.code])],
)
def test_service_area_is_noted_for_staff_to_confirm(in_area, flags):
    result = triage(answers=answers(), in_service_area=in_area)

    assert result.flags == flags
    assert result.priority == Priority.ROUTINE


def test_a_result_given_only_a_priority_has_no_flags_scores_or_positive_screens():
    from intake.triage import TriageResult

    assert TriageResult(priority=Priority.ROUTINE) == TriageResult(
        priority=Priority.ROUTINE,
        flags=[],
        peg_score=None,
        phq2_score=0,
        phq2_positive=False,
        asq_positive=False,
        asq_acute=False,
    )


def test_a_triage_result_cannot_be_changed_after_the_fact():
    import dataclasses

    result = triage(answers=answers(), in_service_area=True)

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.priority = Priority.ACUTE  # type: ignore[misc]
