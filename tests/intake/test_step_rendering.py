"""How a step is written: its answer options, and the parts of it shared by every visitor.

The header, footer and crisis messages of a step are kept per process ({% cache %} with the
"fragments" cache): those parts must never hold anything a patient typed. Answer options are
written in Python (`choice_options`): every option of every question keeps its input, its label,
its chosen state and its "none of these" mark.
"""

from __future__ import annotations

import pickle

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.utils import translation

from intake import journey, questionnaire
from intake.forms import QuestionsForm
from intake.questionnaire import Kind
from intake.templatetags.screening_fields import choice_options

from .screening_support import PATIENT, post_screening

pytestmark = pytest.mark.django_db

CHOICE_KINDS = {Kind.ONE, Kind.SCALE, Kind.MANY}


def fragments() -> list[str]:
    """Every fragment kept in this process, as text."""
    store = caches["fragments"]._cache  # LocMemCache keeps pickled values by key
    return [str(pickle.loads(value)) for value in store.values()]  # noqa: S301 - our own cache


@pytest.mark.parametrize("language", ["en", "es"])
def test_shared_fragments_never_hold_what_a_patient_typed(client, language):
    response = post_screening(client, language=language)
    assert response.status_code == 302
    # And every step again with the answers shown back, as a patient going back sees them.
    with translation.override(language):
        for section in journey.steps():
            assert client.get(journey.step_url(section)).status_code in (200, 302)

    kept = fragments()
    assert kept, "the header, footer and crisis messages are shared fragments"
    typed = [value for key, value in PATIENT.items() if key != "phone_e164"]
    for fragment in kept:
        for value in typed:
            assert value not in fragment


def _chosen_form(question, codes: list[str]) -> QuestionsForm:
    value = codes if question.kind == Kind.MANY else codes[0]
    form = QuestionsForm({question.name: value}, questions=[question], known={})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "question",
    [q for q in questionnaire.SCREENING.questions() if q.kind in CHOICE_KINDS],
    ids=lambda q: q.name,
)
def test_every_option_has_its_input_label_chosen_state_and_exclusive_mark(question):
    for choice in question.offered:
        form = _chosen_form(question, [str(choice.code)])
        field = form[question.name]
        html = BeautifulSoup(choice_options(field, question), "html.parser")

        inputs = html.find_all("input")
        assert [i["value"] for i in inputs] == [str(c.code) for c in question.offered]
        for option, item in zip(question.offered, inputs, strict=True):
            assert item["name"] == question.name
            assert item["type"] == ("checkbox" if question.kind == Kind.MANY else "radio")
            assert item.has_attr("checked") == (option.code == choice.code)
            assert item.has_attr("data-exclusive") == option.exclusive
            label = html.find("label", attrs={"for": item["id"]})
            assert label is not None and label.get_text() == str(option.label)
