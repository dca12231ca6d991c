"""Finding a request: by reference, or by an exact e-mail address or phone number through its
keyed blind index, so that no patient data is ever searched in the clear or put in a URL."""

from __future__ import annotations

import re
from datetime import date, datetime

from ..crypto import email_blind_index, name_birth_blind_index, phone_blind_index
from ..models import REFERENCE_ALPHABET

# The queue's search never puts an e-mail address or phone number in a URL: the search form posts
# the term, and the queue is searched by its blind index, `?q=idx:<hex digest>`.
INDEX_SEARCH_PREFIX = "idx:"
# Last name and date of birth, `?q=name:<hex digest>`.
NAME_SEARCH_PREFIX = "name:"
BIRTH_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y")
BLIND_INDEX_SHAPE = re.compile(r"[0-9a-f]{64}")
# A reference as staff type it: "K7QX-4M2P", "k7qx 4m2p", "K7QX4M2P".
REFERENCE_SHAPE = re.compile(rf"[{REFERENCE_ALPHABET}]{{4}}[ -]?[{REFERENCE_ALPHABET}]{{4}}", re.I)


def contact_search_index(term: str) -> str:
    """The blind index to find an exact e-mail address or phone number (any US spelling) by.

    Whatever is not a valid phone number is looked up as an e-mail address, so a part of an
    address or number finds nothing.
    """
    if "@" not in term:
        phone_index = phone_blind_index(term)
        if phone_index is not None:
            return phone_index
    return email_blind_index(term)


def _birth_date(text: str) -> date | None:
    for pattern in BIRTH_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def name_birth_search_index(term: str) -> str | None:
    """The blind index for "<last name> <date of birth>" (e.g. "Rivera 03/27/1980"), else None."""
    name, _, birth = term.strip().rpartition(" ")
    born = _birth_date(birth)
    if not name.strip() or born is None:
        return None
    return name_birth_blind_index(name, born)
