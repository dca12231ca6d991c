"""Helpers for the content page tests: the pages, and what a page's HTML says."""

from __future__ import annotations

import json

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
