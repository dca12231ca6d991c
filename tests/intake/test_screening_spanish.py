"""The screening request in Spanish, at /es/screening/: every step, its errors, the check page,
the confirmation and the receipt e-mail in Spanish; the request stored as Spanish; staff still
read English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.utils import translation

from intake.models import ScreeningRequest
from intake.questionnaire.screening import SEDATING_MEDICINES

from .screening_support import PATIENT, post_screening, run_queued_tasks, walk_to_check

pytestmark = pytest.mark.django_db

# Words that give an English sentence away; none may show on a Spanish page's <main>.
ENGLISH_MARKERS = re.compile(
    r"\b(the|your|you|and|please|continue|back|answer|choose|step|of)\b", re.IGNORECASE
)


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.INTAKE_NOTIFY_EMAIL = "intake-desk@example.org"


def main_text(response) -> str:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    main = soup.find("main")
    for english in main.select('[lang="en"], template'):
        english.decompose()
    return main.get_text(" ", strip=True)


def assert_spanish_page(response) -> None:
    html = response.content.decode()
    assert '<html lang="es"' in html
    text = main_text(response)
    assert not ENGLISH_MARKERS.findall(text), (ENGLISH_MARKERS.findall(text), text[:2000])


def test_a_request_sent_from_the_spanish_pages_is_stored_as_spanish(client):
    response = post_screening(client, language="es")

    assert response.status_code == 302
    assert response["Location"] == "/es/screening/received/"
    assert ScreeningRequest.objects.get().language == "es"
    received = client.get(response["Location"])
    assert_spanish_page(received)
    assert "Gracias. Recibimos su solicitud." in main_text(received)


def test_the_confirmation_without_a_recent_request_is_spanish_too(client):
    response = client.get("/es/screening/received/")

    assert_spanish_page(response)
    assert "No encontramos una solicitud reciente" in main_text(response)
    link = BeautifulSoup(response.content.decode(), "html.parser").select_one("main p a")
    assert link["href"] == "/es/screening/"


def test_a_request_sent_from_the_english_pages_is_stored_as_english(client):
    response = post_screening(client)

    assert response["Location"] == "/screening/received/"
    assert ScreeningRequest.objects.get().language == "en"


def test_every_step_leads_to_the_next_under_es(client):
    data = walk_to_check(client, language="es")
    assert data["zip_code"]
    check = client.get("/es/screening/check/")
    assert check.status_code == 200
    assert_spanish_page(check)
    soup = BeautifulSoup(check.content.decode(), "html.parser")
    changes = [a["href"] for a in soup.select(".check-answers__change a")]
    assert changes and all(href.startswith("/es/screening/") for href in changes)
    assert soup.select_one("#screening-form")["action"] == "/es/screening/check/"


def test_every_spanish_step_reads_in_spanish_and_its_back_link_stays_in_spanish(client):
    pages = ["/es/screening/"]
    answers = walk_to_check(client, language="es")
    pages += [
        f"/es/screening/{slug}/"
        for slug in ("pain", "treatments", "health", "feelings", "about-you")
    ]
    assert answers
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_spanish_page(response)
        page = BeautifulSoup(response.content.decode(), "html.parser")
        back = page.select_one(".form-section__nav button[name=back]")
        assert back.get_text(strip=True) == "Volver"
        # Back is sent with the step's answers, to the Spanish page, which goes back in Spanish.
        assert page.select_one("#screening-form")["action"].startswith("/es/"), path


def test_mistakes_on_a_spanish_step_are_explained_in_spanish(client):
    response = client.post("/es/screening/", {"zip_code": "9840", "website": ""})

    assert response.status_code == 200
    assert_spanish_page(response)
    text = main_text(response)
    assert "Hay un problema" in text
    assert "Escriba un código postal (ZIP) de 5 dígitos, por ejemplo 98101." in text
    assert "<title>Error: Pida una evaluación" in response.content.decode()

    client.post("/es/screening/", {"zip_code": "98103", "website": ""})
    blank = client.post("/es/screening/pain/", {})
    assert "Elija desde hace cuánto tiempo tiene este dolor." in main_text(blank)
    assert_spanish_page(blank)


def test_a_crisis_yes_in_spanish_shows_the_spanish_crisis_panel_with_988_and_ayuda(client):
    walk_to_check(client, language="es", asq_wish_dead="yes", asq_now="no")

    check = client.get("/es/screening/check/")
    panel = BeautifulSoup(check.content.decode(), "html.parser").select_one(".crisis-callout")
    words = panel.get_text(" ", strip=True)
    assert "Por favor, busque apoyo ahora" in words
    assert "988 y marque 2" in words
    assert "AYUDA" in words
    assert_spanish_page(check)


def test_the_draft_survives_switching_language_mid_way(client):
    posts = walk_to_check(client)  # in English, up to the check page
    assert posts

    check = client.get("/es/screening/check/")
    assert check.status_code == 200
    assert PATIENT["first_name"] in main_text(check)
    response = client.post(
        "/es/screening/check/", {"consent_health_data": "on", "consent_not_emergency": "on"}
    )
    assert response["Location"] == "/es/screening/received/"
    assert ScreeningRequest.objects.get().language == "es"


def test_staff_read_the_stored_answers_in_english_whatever_the_patient_language(client):
    post_screening(client, language="es")

    stored = ScreeningRequest.objects.get()
    sections = [section["section"] for section in stored.answers["sections"]]
    assert "Your pain" in sections
    questions = [a["question"] for s in stored.answers["sections"] for a in s["answers"]]
    assert "How long have you had this pain?" in questions


def test_the_receipt_is_in_the_request_language_and_the_staff_notice_in_english(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    with django_capture_on_commit_callbacks(execute=True):
        post_screening(client, language="es", email_receipt="on", contact_method="email")
    run_queued_tasks()

    stored = ScreeningRequest.objects.get()
    (receipt,) = [m for m in mail.outbox if m.to == [PATIENT["email"]]]
    assert receipt.subject == f"AVYIA: recibimos su solicitud {stored.reference}"
    assert receipt.body.startswith("Hola:")
    assert "AVYIA recibió su solicitud." in receipt.body
    assert "Le escribiremos por correo electrónico en un plazo de un día hábil." in receipt.body
    assert not ENGLISH_MARKERS.findall(receipt.body), ENGLISH_MARKERS.findall(receipt.body)
    (notice,) = [m for m in mail.outbox if m.to == ["intake-desk@example.org"]]
    assert notice.subject.startswith("New screening request")
    assert "A new screening request has arrived." in notice.body


def test_an_english_receipt_stays_english(client, django_capture_on_commit_callbacks, locmem_mail):
    with django_capture_on_commit_callbacks(execute=True):
        post_screening(client, email_receipt="on")
    run_queued_tasks()

    (receipt,) = [m for m in mail.outbox if m.to == [PATIENT["email"]]]
    assert receipt.body.startswith("Hello,")
    assert "we received your request" in receipt.subject


# NIMH's Spanish ASQ ("Preguntas de detección del riesgo de suicidio"), word for word.
NIMH_SPANISH_ASQ = {
    "asq_wish_dead": "En las últimas semanas, ¿ha deseado estar muerto(a)?",
    "asq_better_off": (
        "En las últimas semanas, ¿ha sentido que usted o su familia estarían mejor si usted "
        "estuviera muerto(a)?"
    ),
    "asq_thoughts": "En la última semana, ¿ha estado pensando en suicidarse?",
    "asq_attempt": "¿Alguna vez ha intentado suicidarse?",
    "asq_now": "¿Está pensando en suicidarse en este momento?",
}


def test_the_suicide_questions_are_asked_in_nimh_s_spanish_words(client):
    walk_to_check(client, language="es", asq_wish_dead="declined", asq_now="declined")
    page = client.get("/es/screening/feelings/")
    text = main_text(page)

    for words in NIMH_SPANISH_ASQ.values():
        assert words in text
    assert text.count("Prefiero no contestar") == len(NIMH_SPANISH_ASQ)


# Wording a fluent reader corrected, and what they corrected it to.
CORRECTED = {
    "pare aquí": "deje el formulario",
    "nadie lee este formulario": "nadie revisa este formulario en tiempo real",
    "no espere nuestra llamada": "no espere a que nos comuniquemos con usted",
    "Igual leeremos": "De todos modos, leeremos",
    "envíe AYUDA al 988": "mensaje de texto con la palabra AYUDA al 988",
    "enviaré AYUDA por mensaje": "enviaré un mensaje de texto con la palabra AYUDA",
    "es en el futuro": "está en el futuro",
    "Siga donde se quedó": "Continúe donde lo dejó",
    "1 día hábil": "un día hábil",
    "profesional de salud": "profesional de la salud",
}


SPANISH_PAGES = ["/es/", "/es/faq/", "/es/at-home-ketamine-therapy/", "/es/cost/", "/es/screening/"]


def _catalogue_text() -> str:
    """Every Spanish string of the message file, each on one line."""
    po = (Path(settings.BASE_DIR) / "locale/es/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    return po.replace('"\n"', "")


def test_no_spanish_string_or_page_keeps_the_wording_a_fluent_reader_corrected(client):
    catalogue = _catalogue_text()
    templates = " ".join(
        path.read_text(encoding="utf-8")
        for path in (Path(settings.BASE_DIR) / "templates").rglob("es/*.html")
    )
    pages = " ".join(
        BeautifulSoup(client.get(path).content, "html.parser").get_text(" ", strip=True)
        for path in [
            "/es/",
            "/es/faq/",
            "/es/at-home-ketamine-therapy/",
            "/es/cost/",
            "/es/screening/",
        ]
    )
    for old in CORRECTED:
        for where, text in [("catalogue", catalogue), ("templates", templates), ("pages", pages)]:
            assert old not in text, (where, old)
    for new in CORRECTED.values():
        assert new in catalogue + templates + pages, new


def test_none_of_these_agrees_with_medicines_in_spanish():
    with translation.override("es"):
        none = [str(c.label) for c in SEDATING_MEDICINES.choices if c.exclusive]
        assert none == ["Ninguna de estas"]
        assert "Ninguna de estas" in str(SEDATING_MEDICINES.required_message)
