"""Reading level: the body prose of every page at Flesch-Kincaid grade 8 or below in English, and
at Fernández-Huerta 70 or more ("fairly easy" or easier) in Spanish."""

from __future__ import annotations

import re

import pytest
import textstat

from .content_helpers import CONTENT_PATHS, SPANISH_PATHS, soup_of

pytestmark = pytest.mark.django_db

MAX_GRADE = 8.0
MIN_FERNANDEZ_HUERTA = 70.0


def body_prose(response) -> str:
    """The visible paragraphs of <main> in the page's language: no lists, headings, tables or
    reference list.

    Citation marks and text only screen readers hear are not prose, so they are left out.
    """
    soup = soup_of(response)
    main = soup.find("main")
    for hidden in main.select("sup.cite, .visually-hidden, .sources, ul, ol, table"):
        hidden.decompose()
    # Text in another language than the page's (an FAQ answer not yet translated) is not its prose.
    for other in main.select("[lang]"):
        if not other.decomposed and other["lang"] != soup.html["lang"]:
            other.decompose()
    paragraphs = [p.get_text(" ", strip=True) for p in main.find_all("p")]
    return " ".join(p for p in paragraphs if p)


@pytest.mark.parametrize("path", list(CONTENT_PATHS.values()))
def test_page_prose_reads_at_grade_8_or_below(client, path):
    prose = body_prose(client.get(path))
    words = len(prose.split())
    grade = textstat.flesch_kincaid_grade(prose)

    print(f"{path}: Flesch-Kincaid grade {grade:.1f} over {words} words")
    assert words > 100, "too little prose to judge"
    assert grade <= MAX_GRADE


def test_the_prose_measured_is_the_pages_own_sentences_and_nothing_else(client):
    page = client.get(CONTENT_PATHS["ketamine"])
    prose = body_prose(page)
    listed = [li.get_text(" ", strip=True) for li in soup_of(page).select("main li")]

    # A paragraph of the page, whole, without its citation mark or what only screen readers hear.
    assert "relief lasted up to 3 months." in prose
    assert not re.search(r"\[\d+\]", prose)
    assert "source" not in prose.lower()
    # Lists and the reference list are not prose.
    assert listed and not any(item in prose for item in listed if len(item) > 30)


@pytest.mark.parametrize("path", list(SPANISH_PATHS.values()))
def test_spanish_page_prose_is_fairly_easy_or_easier(client, path):
    prose = body_prose(client.get(path))
    words = len(prose.split())
    textstat.set_lang("es")
    try:
        score = textstat.fernandez_huerta(prose)
    finally:
        textstat.set_lang("en")

    print(f"{path}: Fernández-Huerta {score:.1f} over {words} words")
    assert words > 100, "too little prose to judge"
    assert score >= MIN_FERNANDEZ_HUERTA
