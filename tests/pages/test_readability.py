"""Reading level: the body prose of every page at Flesch-Kincaid grade 8 or below."""

from __future__ import annotations

import pytest
import textstat

from .content_helpers import CONTENT_PATHS, soup_of

pytestmark = pytest.mark.django_db

MAX_GRADE = 8.0


def body_prose(response) -> str:
    """The visible paragraphs of <main>: no lists, headings, tables or reference list.

    Citation marks and text only screen readers hear are not prose, so they are left out.
    """
    main = soup_of(response).find("main")
    for hidden in main.select("sup.cite, .visually-hidden, .sources, ul, ol, table"):
        hidden.decompose()
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


def test_the_measure_fails_dense_prose():
    # The seed's own sentences, to show the test can tell the difference.
    seed = (
        "Patients experiencing chronic pain may develop psychological disorders, including "
        "anxiety, depression, and mood changes that can impact their social functionality. "
        "Ketamine functions as an anesthetic agent and in lower doses, has demonstrated efficacy "
        "in treating chronic pain."
    )
    assert textstat.flesch_kincaid_grade(seed) > MAX_GRADE
