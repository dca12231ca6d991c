"""Language of parts (WCAG 3.1.2): a part carries `lang` only where its language differs from the
text around it, and never an empty one, on every content page in both languages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from pages.templatetags.citations import SOURCES_LANGUAGE

from .content_helpers import CONTENT_PATHS, LANGUAGE_HELP_PATH, soup_of

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
PAGES = [
    (code, path if code == settings.LANGUAGE_CODE else f"/{code}{path}")
    for code in LANGUAGE_CODES
    for path in [*CONTENT_PATHS.values(), LANGUAGE_HELP_PATH]
]


def surrounding_language(element) -> str | None:
    for ancestor in element.parents:
        if ancestor.has_attr("lang"):
            return ancestor["lang"]
    return None


@pytest.mark.parametrize(("language", "path"), PAGES)
def test_every_lang_names_a_language_other_than_the_text_around_it(client, language, path):
    soup = soup_of(client.get(path))

    assert soup.html["lang"] == language
    marked = soup.body.select("[lang]")
    assert [element for element in marked if not element["lang"].strip()] == []
    redundant = [element for element in marked if element["lang"] == surrounding_language(element)]
    assert redundant == []


@pytest.mark.parametrize(("language", "path"), PAGES)
def test_the_sources_list_marks_only_the_sources_and_only_off_their_language(
    client, language, path
):
    soup = soup_of(client.get(path))
    sources = soup.select(".sources__list li")
    if not sources:
        pytest.skip(f"{path} cites no source")

    for entry in sources:
        assert not entry.select_one("a.sources__back").has_attr("lang")
        details = entry.select("[lang]")
        if language == SOURCES_LANGUAGE:
            assert details == []
        else:
            assert [element["lang"] for element in details] == [SOURCES_LANGUAGE]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_source_missing_from_the_database_is_listed_in_the_page_language(language):
    template = Template('{% load citations %}{% cite "no-such-source" %}{% references %}')
    with translation.override(language):
        soup = BeautifulSoup(template.render(Context()), "html.parser")

    assert soup.select(".sources [lang]") == []
    assert soup.select_one("#source-1 a.sources__back")["href"] == "#cite-1"


# What a screen reader says for citation 1, in each language of the site.
CITATION_READ_ALOUD = {"en": "source [1]", "es": "fuente [1]"}


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_citation_is_read_aloud_in_the_page_language(language):
    assert set(CITATION_READ_ALOUD) == set(LANGUAGE_CODES)
    template = Template('{% load citations %}{% cite "hoy-2014" %}{% cite "hoy-2014" %}')
    with translation.override(language):
        soup = BeautifulSoup(template.render(Context()), "html.parser")

    read_aloud = [sup.a.get_text(" ", strip=True) for sup in soup.select("sup.cite")]
    assert read_aloud == [CITATION_READ_ALOUD[language]] * 2


@pytest.mark.parametrize(("language", "path"), PAGES)
def test_the_note_that_sources_are_in_english_shows_only_on_other_pages(client, language, path):
    sources = soup_of(client.get(path)).select_one(".sources")
    if sources is None:
        pytest.skip(f"{path} cites no source")

    note = [p for p in sources.find_all("p") if "english" in p.get_text().lower()]
    note += [p for p in sources.find_all("p") if "inglés" in p.get_text()]
    assert bool(note) == (language != SOURCES_LANGUAGE)
