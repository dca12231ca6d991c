"""The questionnaire definition's contract: what every other part of the site relies on."""

from __future__ import annotations

from collections import Counter

import pytest

from intake import questionnaire
from intake.demo import routine_answers
from intake.models import ScreeningRequest
from intake.questionnaire import Kind, scoring, screening
from intake.triage import triage

SCREENING = questionnaire.SCREENING
Priority = ScreeningRequest.Priority

# The conditions a clinician reviews before ketamine (SOURCES.md), each a health question.
CONDITIONS = [
    "heart",
    "psychosis",
    "liver",
    "pressure",
    "substance_use",
    "pregnancy",
    "ketamine_allergy",
    "seizures",
    "breathing",
]
# Stored with every request and exported to EHRs: a change here orphans stored answers.
ANSWER_CODES = {
    "pain_duration": ["under_3_months", "3_to_6_months", "6_to_12_months", "over_1_year"],
    "pain_conditions": [
        "crps",
        "fibromyalgia",
        "neuropathic",
        "phantom_limb",
        "after_shingles",
        "sickle_cell",
        "spinal_cord_injury",
        "cancer",
        "arthritis",
        "headache",
        "back_neck",
        "not_sure",
        "other",
    ],
    "pain_feelings": ["burning", "dull_ache", "throbbing", "squeezing", "shooting", "pulsing"],
    "peg_pain": list(range(11)),
    "peg_enjoyment": list(range(11)),
    "peg_activity": list(range(11)),
    "treatments_tried": [
        "medicines",
        "nerve_pain_medicines",
        "physical_therapy",
        "cbt",
        "acupuncture_massage",
        "injections",
        "surgery",
        "other",
    ],
    "treatment_helped": ["a_lot", "a_little", "mixed", "no", "none_tried"],
    "surgery_planned": ["yes", "no", "not_sure"],
    "health_conditions": [*CONDITIONS, "none", "not_sure"],
    "health_not_sure": CONDITIONS,
    "sedating_medicines": ["opioid", "benzodiazepine", "sedative", "none"],
    "phq2_interest": [0, 1, 2, 3],
    "phq2_down": [0, 1, 2, 3],
    "asq_wish_dead": ["yes", "no", "declined"],
    "asq_better_off": ["yes", "no", "declined"],
    "asq_thoughts": ["yes", "no", "declined"],
    "asq_attempt": ["yes", "no", "declined"],
    "asq_now": ["yes", "no", "declined"],
    "contact_method": ["phone", "text", "email"],
    "contact_time": ["any", "morning", "afternoon", "evening"],
    "how_heard": ["doctor", "search", "friend", "social", "other"],
}
FLAG_CODES = [
    "pain_under_3_months",
    *CONDITIONS,
    "opioid",
    "benzodiazepine",
    "sedative",
    "asq_positive",
    "asq_declined",
    "asq_acute",
    "phq2_positive",
    "out_of_area",
    "area_unknown",
]


def test_answer_codes_are_stable():
    coded = {q.name: [c.code for c in q.choices] for q in SCREENING.questions() if q.choices}
    assert coded == ANSWER_CODES


def test_flag_codes_are_stable_and_unique():
    codes = [flag.code for flag in SCREENING.flags()]
    assert codes == FLAG_CODES


def test_every_question_is_in_exactly_one_section():
    names = [q.name for section in SCREENING.sections for q in section.questions]
    assert [name for name, count in Counter(names).items() if count > 1] == []
    assert len(names) == len(list(SCREENING.questions()))


def test_every_condition_raises_exactly_one_flag_whether_had_or_not_sure():
    had = SCREENING.question("health_conditions")
    not_sure = SCREENING.question("health_not_sure")
    had_flags = {c.code: c.flag for c in had.choices if c.flag}
    not_sure_flags = {c.code: c.flag for c in not_sure.choices}
    assert list(had_flags) == CONDITIONS
    assert had_flags == not_sure_flags
    assert all(flag.code == code for code, flag in had_flags.items())
    assert all(flag.raises == Priority.NEEDS_REVIEW for flag in had_flags.values())
    assert [c.code for c in had.choices if c.exclusive] == ["none"]
    assert not_sure.asked_when.questions == ("health_conditions",)
    assert not_sure.asked_when.codes == {"not_sure"}


def test_no_flag_is_raised_both_by_a_question_and_by_a_rule():
    question_flags = [q.flag.code for q in SCREENING.questions() if q.flag]
    assert len(question_flags) == len(set(question_flags))
    rule_codes = {flag.code for flag in SCREENING.rule_flags}
    choice_codes = {f.code for q in SCREENING.questions() for f in q.flags()}
    assert not rule_codes & choice_codes


@pytest.mark.parametrize(
    ("question", "answer", "flag"),
    [(q, code, q.flag) for q in SCREENING.questions() if q.flag for code in sorted(q.flag_on)]
    + [(q, [c.code], c.flag) for q in SCREENING.questions() for c in q.choices if c.flag],
    ids=lambda value: getattr(value, "name", getattr(value, "code", str(value))),
)
def test_triage_raises_every_flag_the_definition_declares(question, answer, flag):
    answers = {**routine_answers(), question.name: answer}
    result = triage(answers=answers, in_service_area=True)

    assert result.flags == [flag.code]
    assert result.priority == (flag.raises or Priority.ROUTINE)


def test_routine_answers_raise_no_flag():
    result = triage(answers=routine_answers(), in_service_area=True)
    assert result.flags == []
    assert result.priority == Priority.ROUTINE


@pytest.mark.parametrize("item", SCREENING.instrument("asq").items)
def test_a_yes_on_each_asq_item_is_a_positive_screen(item):
    answers = {**routine_answers(), item: "yes"}
    assert scoring.asq_positive(SCREENING, answers)
    assert not scoring.asq_acute(SCREENING, answers)


@pytest.mark.parametrize("item", [*SCREENING.instrument("asq").items, "asq_now"])
def test_declining_any_asq_question_is_a_positive_screen_flagged_as_declined(item):
    answers = {**routine_answers(), item: "declined"}
    assert scoring.asq_positive(SCREENING, answers)
    assert not scoring.asq_acute(SCREENING, answers)

    result = triage(answers=answers, in_service_area=True)

    assert result.flags == ["asq_positive", "asq_declined"]
    assert result.priority == Priority.URGENT
    assert SCREENING.flag_reason("asq_declined", answers) == (
        "Suicide risk: declined the suicide questions"
    )


@pytest.mark.parametrize("question", (*SCREENING.instrument("asq").items, "asq_now"))
def test_every_asq_question_offers_i_d_rather_not_answer(question):
    choices = {c.code: str(c.label) for c in SCREENING.question(question).choices}
    assert choices == {"yes": "Yes", "no": "No", "declined": "I'd rather not answer"}


def test_the_acuity_question_follows_a_positive_screen():
    acuity = SCREENING.question(SCREENING.instrument("asq").acuity_item)
    assert acuity.asked_when.questions == SCREENING.instrument("asq").items
    assert acuity.asked_when.codes == {"yes", "declined"}


def test_validated_instruments_keep_their_published_items():
    assert SCREENING.instrument("peg").items == ("peg_pain", "peg_enjoyment", "peg_activity")
    assert SCREENING.instrument("phq2").items == ("phq2_interest", "phq2_down")
    assert SCREENING.instrument("asq").items == (
        "asq_wish_dead",
        "asq_better_off",
        "asq_thoughts",
        "asq_attempt",
    )
    assert str(SCREENING.question("asq_now").text) == (
        "Are you having thoughts of killing yourself right now?"
    )


def test_instrument_items_carry_their_confirmed_loinc_codes():
    coded = {q.name: q.coding.code for q in SCREENING.questions() if q.coding}
    assert coded == {
        "peg_pain": "75893-8",
        "peg_enjoyment": "91145-3",
        "peg_activity": "91146-1",
        "phq2_interest": "44250-9",
        "phq2_down": "44255-8",
        # The clinic's own ASQ codes until LOINC's can be confirmed.
        "asq_wish_dead": "wish-dead",
        "asq_better_off": "better-off",
        "asq_thoughts": "thoughts",
        "asq_attempt": "attempt",
        "asq_now": "now",
    }
    assert SCREENING.instrument("peg").coding.code == "91148-7"
    assert SCREENING.instrument("peg").score_coding.code == "91147-9"
    assert SCREENING.instrument("phq2").coding.code == "55757-9"
    assert SCREENING.instrument("phq2").score_coding.code == "55758-7"
    phq_answers = [c.coding.code for c in SCREENING.question("phq2_down").choices]
    assert phq_answers == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def test_every_question_has_a_message_that_names_it_when_left_unanswered():
    for question in SCREENING.questions():
        if not question.optional:
            assert question.required_message, question.name


def test_contact_questions_are_kept_in_the_requests_own_columns():
    columns = {q.column for q in SCREENING.questions() if q.column}
    model_fields = {f.name for f in ScreeningRequest._meta.get_fields()}
    assert columns <= model_fields
    assert {q.kind for q in SCREENING.questions() if q.column} >= {Kind.PHONE, Kind.EMAIL}


def test_the_crisis_flags_are_the_suicide_risk_screen():
    assert [f.code for f in SCREENING.flags() if f.crisis] == [
        screening.ASQ_POSITIVE.code,
        screening.ASQ_DECLINED_FLAG.code,
        screening.ASQ_ACUTE.code,
    ]


@pytest.mark.parametrize(
    ("codes", "value", "holds"),
    [
        (frozenset({1}), 1, True),  # an integer code answered as an integer
        (frozenset({"1"}), 1, True),  # a posted "1" code matches the integer answer
        (frozenset({"yes"}), "yes", True),
        (frozenset({"yes"}), ["no", "yes"], True),
        (frozenset({"yes"}), ("no",), False),
        (frozenset({"yes"}), None, False),
        (frozenset({2}), 1, False),
    ],
)
def test_a_condition_matches_codes_as_given_or_as_text(codes, value, holds):
    from intake.questionnaire.model import When

    assert When(("q", "other"), codes).holds({"q": value}) is holds
    assert When(("other", "q"), codes).holds({"q": value}) is holds  # any question, not the first


def test_a_retired_answer_is_not_offered_but_a_stored_one_still_reads():
    from intake.forms import QuestionsForm

    for question in SCREENING.questions():
        form = QuestionsForm(questions=[question])
        offered = [code for code, _ in getattr(form.fields[question.name], "choices", [])]
        for choice in question.choices:
            assert (choice.code in offered) is (not choice.retired), (question.name, choice.code)
    feelings = SCREENING.question("pain_feelings")
    assert feelings.choice_label("pulsing") == "Pulsing"
