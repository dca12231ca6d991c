"""Spanish at /es/: each page's twin, the language link and alternates, no English left, the cache
and the FAQ's Spanish, and the message files fully translated."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

from core.phones import phone_e164
from pages.models import FaqEntry
from pages.services import faq_entry_save

from .content_helpers import (
    CONTENT_PATHS,
    LANGUAGE_HELP_PATH,
    SPANISH_PATHS,
    english_sentences,
    in_spanish,
    of_type,
    soup_of,
)
from .test_cache import get

pytestmark = pytest.mark.django_db

PATHS = [*CONTENT_PATHS.values(), LANGUAGE_HELP_PATH]
ROOT = Path(settings.BASE_DIR)


def alternates(soup) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in soup.select('head link[rel="alternate"][hreflang]')
    }


@pytest.mark.parametrize("path", PATHS)
def test_each_page_has_a_spanish_twin_with_its_own_title_and_the_hreflang_pair(client, path):
    english = soup_of(client.get(path))
    response = client.get(in_spanish(path))
    spanish = soup_of(response)

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert spanish.html["lang"] == "es"
    assert english.html["lang"] == "en"
    assert spanish.title.string != english.title.string
    description = spanish.find("meta", attrs={"name": "description"})["content"]
    assert description != english.find("meta", attrs={"name": "description"})["content"]
    assert spanish.find("link", rel="canonical")["href"] == settings.SITE_URL + in_spanish(path)

    pair = {
        "en": settings.SITE_URL + path,
        "es": settings.SITE_URL + in_spanish(path),
        "x-default": settings.SITE_URL + path,
    }
    assert alternates(spanish) == alternates(english) == pair

    to_english = spanish.select_one("header a.site-language")
    assert (to_english["href"], to_english["hreflang"], to_english["lang"]) == (path, "en", "en")
    to_spanish = english.select_one("header a.site-language")
    assert (to_spanish["href"], to_spanish["hreflang"]) == (in_spanish(path), "es")


@pytest.mark.parametrize("path", PATHS)
def test_a_spanish_page_has_no_english_sentence(client, path):
    found = english_sentences(soup_of(client.get(in_spanish(path))))

    assert found == []


def test_the_english_check_finds_english_sentences(client):
    # The English page read as if it were Spanish: the check must see its sentences.
    found = english_sentences(soup_of(client.get("/chronic-pain/")))

    assert len(found) > 20


def test_accept_language_and_a_language_cookie_never_change_or_redirect_a_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get("/faq/", headers={"accept-language": "es-US,es;q=0.9"})

    assert response.status_code == 200
    assert soup_of(response).html["lang"] == "en"


def test_choosing_spanish_sets_no_cookie(client):
    response = client.get("/es/")

    assert response.status_code == 200
    assert not response.cookies


def test_staff_pages_stay_in_english(client):
    response = client.get("/" + settings.ADMIN_URL + "login/", headers={"accept-language": "es"})

    assert soup_of(response).html["lang"] == "en"
    assert client.get("/es/" + settings.ADMIN_URL + "login/").status_code == 404


def test_structured_data_names_the_page_language(client):
    assert of_type(client.get("/es/chronic-pain/"), "MedicalWebPage")["inLanguage"] == "es-US"
    assert of_type(client.get("/chronic-pain/"), "MedicalWebPage")["inLanguage"] == "en-US"
    assert of_type(client.get("/es/faq/"), "FAQPage")["inLanguage"] == "es-US"


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client):
    sitemap = client.get("/sitemap.xml").content.decode()

    for path in PATHS:
        assert f"<loc>{settings.SITE_URL}{in_spanish(path)}</loc>" in sitemap
        assert f'hreflang="es" href="{settings.SITE_URL}{in_spanish(path)}"' in sitemap
        assert f'hreflang="x-default" href="{settings.SITE_URL}{path}"' in sitemap


def test_the_whole_page_cache_keeps_each_language_apart(client):
    english, english_templates = get(client, "/faq/")
    spanish, spanish_templates = get(client, "/es/faq/")
    english_again, english_hit = get(client, "/faq/")
    spanish_again, spanish_hit = get(client, "/es/faq/")

    assert english_templates and spanish_templates, "each language is rendered once"
    assert english_hit == spanish_hit == [], "then each comes from the cache"
    assert english_again.content == english.content
    assert spanish_again.content == spanish.content
    assert soup_of(spanish_again).html["lang"] == "es"


def test_an_faq_answer_without_spanish_shows_in_english_marked_as_english(client):
    entry = FaqEntry.objects.filter(published=True).first()
    entry.question_es = entry.answer_es = ""
    faq_entry_save(entry=entry)

    shown = soup_of(client.get("/es/faq/")).select_one(f"#question-{entry.pk}")
    assert shown.summary["lang"] == "en"
    assert shown.summary.get_text(strip=True) == entry.question
    assert shown.select_one(".faq__answer > div")["lang"] == "en"
    assert "Fuentes" in shown.get_text() or not entry.references.exists()

    entry.question_es = "¿Qué es la ketamina?"
    entry.answer_es = "<p>Es un medicamento.</p>"
    faq_entry_save(entry=entry)

    shown = soup_of(client.get("/es/faq/")).select_one(f"#question-{entry.pk}")
    assert not shown.select("[lang]")
    assert shown.summary.get_text(strip=True) == "¿Qué es la ketamina?"
    assert "Es un medicamento." in shown.get_text()
    english = soup_of(client.get("/faq/")).select_one(f"#question-{entry.pk}")
    assert english.summary.get_text(strip=True) == entry.question


@pytest.mark.parametrize("path", ["/es/", "/es/terms/", "/es/screening/"])
def test_every_crisis_message_in_spanish_says_press_2_and_texts_ayuda(client, path):
    notices = soup_of(client.get(path)).select(".crisis-notice, .crisis-note")

    assert len(notices) >= 2  # the header's bar and the footer's notice at least
    for notice in notices:
        words = notice.get_text(" ", strip=True)
        assert "marque 2" in words and "AYUDA" in words and "911" in words, words


def test_the_clinic_s_own_rules_show_in_spanish_or_not_at_all(client, set_clinic_facts):
    set_clinic_facts(
        fasting_rule="Do not eat for 6 hours before a session.",
        opening_hours="Monday to Friday, 8 am to 6 pm",
    )

    english = soup_of(client.get("/at-home-ketamine-therapy/")).get_text()
    untranslated = soup_of(client.get("/es/at-home-ketamine-therapy/")).get_text()
    set_clinic_facts(fasting_rule_es="No coma nada durante 6 horas antes de la sesión.")
    translated = soup_of(client.get("/es/at-home-ketamine-therapy/")).get_text()

    assert "Do not eat for 6 hours" in english
    assert "Do not eat" not in untranslated and "Monday to Friday" not in untranslated
    assert "No coma nada durante 6 horas" in translated


def test_the_taglines_page_speaks_each_language_in_its_own_script(client, example_clinic):
    soup = soup_of(client.get(LANGUAGE_HELP_PATH))
    taglines = {item["lang"]: item for item in soup.select(".taglines__item")}

    assert set(taglines) >= {"es", "zh-Hant", "vi", "ru", "so", "ko", "tl", "uk", "am", "ar"}
    assert taglines["ar"]["dir"] == "rtl"
    assert "العربية" in taglines["ar"].get_text()
    assert "繁體中文" in taglines["zh-Hant"].get_text()
    for item in taglines.values():
        phone = item.select_one("a[href^='tel:']")
        assert phone["href"] == f"tel:{phone_e164(example_clinic.phone)}"
        assert phone.get_text() == example_clinic.phone
    footer_link = soup.select_one(f'footer a[href="{LANGUAGE_HELP_PATH}"]')
    assert footer_link is not None


@pytest.mark.parametrize("path", ["/", "/es/", "/es/faq/", "/es/screening/"])
def test_every_page_footer_links_to_language_help(client, path):
    language_help = "/es" + LANGUAGE_HELP_PATH if path.startswith("/es/") else LANGUAGE_HELP_PATH

    assert soup_of(client.get(path)).select_one(f'footer a[href="{language_help}"]')


def test_the_promised_reply_time_reads_in_spanish(client, settings):
    settings.SCREENING_RESPONSE_TIME = "two business days"

    assert "2 días hábiles" in soup_of(client.get("/es/")).get_text()
    assert "two business days" in soup_of(client.get("/")).get_text()


# --- The message files -----------------------------------------------------------------------


def test_every_message_is_translated_and_none_is_fuzzy(tmp_path):
    """makemessages on a copy of the tree: a string added to the code and not translated fails."""
    tree = tmp_path / "tree"
    ignore = shutil.ignore_patterns(".venv", "node_modules", "var", "__pycache__", "*.mo", ".git")
    ours = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == ROOT]
    for name in ("avyia_site", *(path.name for path in ours), "templates", "locale"):
        shutil.copytree(ROOT / name, tree / name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", tree / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES_ARGS],
        cwd=tree,
        check=True,
        capture_output=True,
    )

    catalog = polib.pofile(str(tree / "locale/es/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


# As `make messages-update` runs it (the copy holds no .venv, node_modules or var to ignore):
# staff pages (the admin's templates) stay English.
MAKEMESSAGES_ARGS = [
    "--locale=es",
    "--ignore=templates/admin",
    "--no-obsolete",
]


def test_every_seeded_faq_entry_shows_in_spanish_after_the_migrations(client):
    entries = list(FaqEntry.objects.filter(published=True))
    faq = soup_of(client.get("/es/faq/")).select_one(".faq")

    assert len(entries) == 10
    assert faq.select('[lang="en"]') == []
    for entry in entries:
        shown = faq.select_one(f"#question-{entry.pk}")
        assert shown.summary.get_text(strip=True) == entry.question_es != ""
        assert entry.answer_es


@pytest.mark.parametrize("path", [*SPANISH_PATHS.values(), "/es/screening/"])
def test_spanish_pages_say_profesional_de_la_salud(client, example_clinic, path):
    text = soup_of(client.get(path)).get_text(" ", strip=True)

    assert "profesional de salud" not in text
