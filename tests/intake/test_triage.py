"""Triage, case by case: flags, scores and priority from the coded answers."""

from decimal import Decimal

import pytest

from intake.models import Flag, ScreeningRequest
from intake.services import HEALTH_CONDITION_FLAGS, triage

Priority = ScreeningRequest.Priority


def answers(**overrides):
    base = {
        "pain_duration": "over_1_year",
        "peg_pain": 6,
        "peg_enjoyment": 5,
        "peg_activity": 7,
        "phq2_interest": 0,
        "phq2_down": 1,
        "asq_wish_dead": "no",
        "asq_better_off": "no",
        "asq_thoughts": "no",
        "asq_attempt": "no",
        "asq_now": "",
    }
    base.update({f"health_{flag.value}": "no" for flag in HEALTH_CONDITION_FLAGS})
    base.update(overrides)
    return base


def test_nothing_of_note_is_routine_with_no_flags():
    result = triage(answers=answers(), in_service_area=True)

    assert result.priority == Priority.ROUTINE
    assert result.flags == []
    assert not result.asq_positive
    assert not result.phq2_positive


def test_every_health_condition_in_sources_is_asked():
    assert {flag.value for flag in HEALTH_CONDITION_FLAGS} == {
        "heart",
        "psychosis",
        "liver",
        "pressure",
        "substance_use",
        "pregnancy",
        "ketamine_allergy",
        "seizures",
        "breathing",
    }


@pytest.mark.parametrize("flag", HEALTH_CONDITION_FLAGS, ids=lambda f: f.value)
@pytest.mark.parametrize("answer", ["yes", "not_sure"])
def test_a_health_condition_answered_yes_or_not_sure_is_flagged_for_review(flag, answer):
    result = triage(answers=answers(**{f"health_{flag.value}": answer}), in_service_area=True)

    assert result.flags == [flag.value]
    assert result.priority == Priority.NEEDS_REVIEW


@pytest.mark.parametrize("flag", HEALTH_CONDITION_FLAGS, ids=lambda f: f.value)
def test_a_health_condition_answered_no_is_not_flagged(flag):
    result = triage(answers=answers(**{f"health_{flag.value}": "no"}), in_service_area=True)

    assert flag.value not in result.flags


def test_several_conditions_give_several_flags_in_a_stable_order():
    result = triage(
        answers=answers(health_seizures="yes", health_heart="not_sure", health_liver="no"),
        in_service_area=True,
    )

    assert result.flags == ["heart", "seizures"]


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


@pytest.mark.parametrize(
    ("interest", "down", "positive"),
    [(0, 0, False), (1, 1, False), (2, 0, False), (1, 2, True), (3, 0, True), (3, 3, True)],
)
def test_phq2_is_positive_at_a_total_of_three_or_more(interest, down, positive):
    result = triage(answers=answers(phq2_interest=interest, phq2_down=down), in_service_area=True)

    assert result.phq2_positive is positive
    assert result.phq2_score == interest + down
    assert (Flag.PHQ2_POSITIVE.value in result.flags) is positive
    assert result.priority == (Priority.NEEDS_REVIEW if positive else Priority.ROUTINE)


@pytest.mark.parametrize(
    "question", ["asq_wish_dead", "asq_better_off", "asq_thoughts", "asq_attempt"]
)
def test_any_asq_yes_is_positive_and_urgent(question):
    result = triage(answers=answers(**{question: "yes", "asq_now": "no"}), in_service_area=True)

    assert result.asq_positive
    assert result.priority == Priority.URGENT
    assert Flag.ASQ_POSITIVE.value in result.flags
    assert Flag.ASQ_ACUTE.value not in result.flags


def test_thoughts_of_suicide_right_now_is_urgent_and_flagged_acute():
    result = triage(answers=answers(asq_thoughts="yes", asq_now="yes"), in_service_area=True)

    assert result.priority == Priority.URGENT
    assert result.flags[:2] == [Flag.ASQ_POSITIVE.value, Flag.ASQ_ACUTE.value]


def test_right_now_yes_counts_even_when_the_other_asq_answers_are_no():
    result = triage(answers=answers(asq_now="yes"), in_service_area=True)

    assert result.asq_positive
    assert result.priority == Priority.URGENT


def test_urgent_outranks_needs_review():
    result = triage(
        answers=answers(health_heart="yes", phq2_interest=3, asq_attempt="yes"),
        in_service_area=False,
    )

    assert result.priority == Priority.URGENT
    assert set(result.flags) == {"heart", "phq2_positive", "asq_positive", "out_of_area"}


def test_pain_under_three_months_is_noted_but_not_escalated():
    result = triage(answers=answers(pain_duration="under_3_months"), in_service_area=True)

    assert result.flags == [Flag.PAIN_UNDER_3_MONTHS.value]
    assert result.priority == Priority.ROUTINE


@pytest.mark.parametrize(
    ("in_area", "flags"),
    [(True, []), (False, [Flag.OUT_OF_AREA.value]), (None, [Flag.AREA_UNKNOWN.value])],
)
def test_service_area_is_noted_for_staff_to_confirm(in_area, flags):
    result = triage(answers=answers(), in_service_area=in_area)

    assert result.flags == flags
    assert result.priority == Priority.ROUTINE
