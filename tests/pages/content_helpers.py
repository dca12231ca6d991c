"""Helpers for the content page tests: the pages, and what a page's HTML says."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

CONTENT_PATHS = {
    "home": "/",
    "chronic_pain": "/chronic-pain/",
    "ketamine": "/ketamine-for-chronic-pain/",
    "at_home": "/at-home-ketamine-therapy/",
    "cost": "/cost/",
    "faq": "/faq/",
    "privacy": "/privacy/",
    "health_data_privacy": "/consumer-health-data-privacy/",
    "terms": "/terms/",
}
MEDICAL_PAGES = ["home", "chronic_pain", "ketamine", "at_home", "faq"]


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def structured_data(response) -> list[dict]:
    """Every JSON-LD block on the page, parsed."""
    blocks = soup_of(response).find_all("script", type="application/ld+json")
    return [json.loads(block.string) for block in blocks]


def of_type(response, schema_type: str) -> dict:
    matches = [item for item in structured_data(response) if item["@type"] == schema_type]
    assert len(matches) == 1, f"expected one {schema_type}, found {len(matches)}"
    return matches[0]


def main_text(response) -> str:
    return soup_of(response).find("main").get_text(" ", strip=True)


LANGUAGE_HELP_PATH = "/language-assistance/"


def in_spanish(path: str) -> str:
    return "/es" + path


SPANISH_PATHS = {name: in_spanish(path) for name, path in CONTENT_PATHS.items()}

# Words that mark a sentence as English: none of them is a Spanish word.
_ENGLISH_WORDS = frozenset(
    (
        "the",
        "and",
        "you",
        "your",
        "with",
        "this",
        "that",
        "for",
        "are",
        "is",
        "of",
        "to",
        "we",
        "our",
        "what",
        "when",
        "how",
        "not",
        "will",
        "can",
        "please",
        "call",
        "text",
        "if",
        "it",
        "be",
        "have",
        "has",
        "from",
        "by",
        "or",
        "an",
    )
)
# Names that stay as they are in Spanish text.
PROPER_NAMES = ("My Health My Data", "Good Faith Estimate", "Suicide & Crisis Lifeline")


def english_sentences(soup: BeautifulSoup, language: str = "es") -> list[str]:
    """Sentences of the page's visible text with two or more English words.

    Text inside an element marked with another language (a source as published, an FAQ answer
    not yet translated, a tagline) is meant to be in that language, so it is left out.
    """
    body = soup.find("body")
    for element in body.select("script, style, template, [hidden]"):
        element.decompose()
    for element in body.select("[lang]"):
        if not element.decomposed and element.get("lang") != language:
            element.decompose()
    text = body.get_text(" ", strip=True)
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    found = []
    for sentence in re.split(r"(?<=[.!?:])\s+", text):
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", sentence)}
        if len(words & _ENGLISH_WORDS) >= 2:
            found.append(sentence)
    return found
