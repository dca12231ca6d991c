"""The citation tags: numbered in order of first use, one reference list, links both ways."""

from __future__ import annotations

import logging

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError

from pages.models import Reference
from pages.services import reference_save

pytestmark = pytest.mark.django_db


def render(body: str) -> BeautifulSoup:
    html = Template("{% load citations %}" + body).render(Context())
    return BeautifulSoup(html, "html.parser")


def citation_numbers(soup: BeautifulSoup) -> list[str]:
    return [sup.a.get_text(" ", strip=True) for sup in soup.select("sup.cite")]


def test_sources_are_numbered_in_order_of_first_citation():
    soup = render(
        '<p>A{% cite "hoy-2014" %} B{% cite "yong-2022" %} C{% cite "scholl-2019" %}</p>'
        "{% references %}"
    )

    assert citation_numbers(soup) == ["source [1]", "source [2]", "source [3]"]
    listed = [li["id"] for li in soup.select(".sources__list li")]
    assert listed == ["source-1", "source-2", "source-3"]
    assert soup.select_one("#source-1").get_text().strip().startswith("Hoy D")
    assert soup.select_one("#source-2").get_text().strip().startswith("Yong RJ")
    assert soup.select_one("#source-3").get_text().strip().startswith("Scholl L")


def test_a_source_cited_again_keeps_its_number_and_is_listed_once():
    soup = render(
        '<p>A{% cite "yong-2022" %} B{% cite "hoy-2014" %} C{% cite "yong-2022" %}</p>'
        "{% references %}"
    )

    links = soup.select("sup.cite a")
    assert [a["href"] for a in links] == ["#source-1", "#source-2", "#source-1"]
    # Only the first citation is the place the list links back to, so ids stay unique.
    assert [a.get("id") for a in links] == ["cite-1", "cite-2", None]
    assert len(soup.select(".sources__list li")) == 2


def test_each_listed_source_links_back_to_its_first_citation():
    soup = render('<p>A{% cite "yong-2022" %} B{% cite "hoy-2014" %}</p>{% references %}')

    for number in ("1", "2"):
        back = soup.select_one(f"#source-{number} a.sources__back")
        assert back["href"] == f"#cite-{number}"
        assert soup.select_one(f"#cite-{number}") is not None


def test_listed_source_shows_authors_journal_volume_pages_and_identifier_links():
    soup = render('<p>A{% cite "niesters-2014" %}</p>{% references %}')

    entry = soup.select_one("#source-1")
    text = " ".join(entry.get_text(" ", strip=True).split())
    assert "Niesters M, Martini C, Dahan A. Ketamine for chronic pain: risks and benefits." in text
    assert "British Journal of Clinical Pharmacology" in text
    assert "2014;77(2):357-367." in text
    hrefs = [a["href"] for a in entry.find_all("a")]
    assert "https://doi.org/10.1111/bcp.12094" in hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/23432384/" in hrefs
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC4014022/" in hrefs


def test_source_without_a_doi_links_its_web_address():
    soup = render('<p>A{% cite "rcw-19-373" %}</p>{% references %}')

    hrefs = [a["href"] for a in soup.select("#source-1 a")]
    assert "https://app.leg.wa.gov/RCW/default.aspx?cite=19.373" in hrefs
    assert not any(href.startswith("https://doi.org/") for href in hrefs)


def test_the_reference_list_takes_one_query_however_many_citations(
    django_assert_num_queries,
):
    template = Template(
        "{% load citations %}"
        + "".join(f'{{% cite "{key}" %}}' for key in ["hoy-2014", "yong-2022", "bair-2003"] * 3)
        + "{% references %}"
    )
    with django_assert_num_queries(1):
        template.render(Context())


def test_a_page_without_citations_has_no_reference_list_and_no_query(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        soup = render("<p>Nothing cited.</p>{% references %}")

    assert soup.select(".sources") == []


def test_numbering_starts_afresh_for_every_render():
    template = Template('{% load citations %}{% cite "hoy-2014" %}{% references %}')
    first = BeautifulSoup(template.render(Context()), "html.parser")
    second = BeautifulSoup(template.render(Context()), "html.parser")

    assert citation_numbers(first) == citation_numbers(second) == ["source [1]"]


def test_a_key_passed_as_a_variable_is_cited_like_a_literal():
    html = Template(
        "{% load citations %}{% for key in keys %}{% cite key %}{% endfor %}{% references %}"
    ).render(Context({"keys": ["yong-2022", "hoy-2014", "yong-2022"]}))
    soup = BeautifulSoup(html, "html.parser")

    assert [a["href"] for a in soup.select("sup.cite a")] == ["#source-1", "#source-2", "#source-1"]


def test_a_missing_reference_is_logged_and_the_page_still_renders(caplog):
    with caplog.at_level(logging.ERROR, logger="pages.templatetags.citations"):
        soup = render('<p>A{% cite "no-such-source" %}</p>{% references %}')

    assert "no-such-source" in caplog.text
    assert "being updated" in soup.select_one("#source-1").get_text()


def test_citing_after_the_reference_list_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        render('{% cite "hoy-2014" %}{% references %}{% cite "yong-2022" %}')


@pytest.mark.parametrize(
    ("field", "value"),
    [("doi", "doi:10.1/x"), ("pmid", "PMID123"), ("pmcid", "4014022"), ("url", "not a url")],
)
def test_reference_identifiers_are_validated(field, value):
    reference = Reference.objects.get(key="hoy-2014")
    setattr(reference, field, value)

    with pytest.raises(ValidationError) as error:
        reference_save(reference=reference)

    assert field in error.value.message_dict
