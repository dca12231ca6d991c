"""Finding a request: by reference, or by an exact e-mail address or phone number through its
keyed blind index, so that no patient data is ever searched in the clear or put in a URL.

Two searches forgive: a surname alone is found by how it sounds (its Double Metaphone codes, also
with each vowel typed differently, the commonest slip in a name heard on the phone), and the last
four or more digits of a phone number by the blind index of its last four."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Q

from ..crypto import (
    PHONE_TAIL_DIGITS,
    email_blind_index,
    name_birth_blind_index,
    phone_blind_index,
    phone_tail_blind_index,
    surname_sound_blind_index,
    surname_sounds,
)
from ..models import REFERENCE_ALPHABET, normalise_reference

# The queue's search never puts an e-mail address or phone number in a URL: the search form posts
# the term, and the queue is searched by its blind index, `?q=idx:<hex digest>`.
INDEX_SEARCH_PREFIX = "idx:"
# Last name and date of birth, `?q=name:<hex digest>`.
NAME_SEARCH_PREFIX = "name:"
# A surname by how it sounds, `?q=sound:<digest>,<digest>...` (the typed spelling's codes first).
SOUND_SEARCH_PREFIX = "sound:"
SOUND_SEPARATOR = ","
# The last digits of a phone number, `?q=tail:<digest>`.
TAIL_SEARCH_PREFIX = "tail:"
BIRTH_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y")
BLIND_INDEX_SHAPE = re.compile(r"[0-9a-f]{64}")
# A surname as staff type it: letters, with spaces, hyphens, apostrophes or dots between them.
SURNAME_SHAPE = re.compile(r"[^\W\d_]+(?:[ '\u2019.-]+[^\W\d_]+)*")
# Part of a phone number: digits with the usual separators, at least PHONE_TAIL_DIGITS digits.
PHONE_PART_SHAPE = re.compile(r"[\d ().-]+")
VOWELS = "aeiouy"
# Enough for every vowel slip of a long surname; more would only widen the search.
MOST_SOUNDS = 12
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


def _vowel_slips(name: str) -> list[str]:
    """The name with one vowel typed as another: "patiant" gives "patient", "potiant"..."""
    slips = []
    for position, letter in enumerate(name):
        if letter in VOWELS:
            slips.extend(name[:position] + other + name[position + 1 :] for other in VOWELS)
    return slips


def surname_sound_search_indexes(term: str) -> list[str] | None:
    """Blind indexes of the sounds a typed surname may stand for, the typed spelling's first;
    None when the term is not a surname."""
    term = term.strip()
    if not SURNAME_SHAPE.fullmatch(term):
        return None
    codes = list(surname_sounds(term))
    for slip in _vowel_slips(term.casefold()):
        codes.extend(code for code in surname_sounds(slip) if code not in codes)
    if not codes:
        return None
    return [surname_sound_blind_index(code) for code in codes[:MOST_SOUNDS]]


def phone_tail_search_index(term: str) -> str | None:
    """The blind index of the last PHONE_TAIL_DIGITS digits of a partial phone number, else None.

    A complete number is searched exactly (contact_search_index); this is for part of one.
    """
    digits = "".join(ch for ch in term if ch.isdigit())
    if not PHONE_PART_SHAPE.fullmatch(term.strip()) or len(digits) < PHONE_TAIL_DIGITS:
        return None
    return phone_tail_blind_index(digits)


def search_query(term: str) -> str:
    """The queue's `q` for a typed term: a reference as it is stored, else a kind of search and
    its blind indexes; "" when the term is none of what "Find" takes."""
    term = term.strip()
    if not term:
        return ""
    if REFERENCE_SHAPE.fullmatch(term):
        return normalise_reference(term)
    name_index = name_birth_search_index(term)
    if name_index is not None:
        return NAME_SEARCH_PREFIX + name_index
    if "@" in term or contact_search_index(term) != email_blind_index(term):
        return INDEX_SEARCH_PREFIX + contact_search_index(term)
    tail_index = phone_tail_search_index(term)
    if tail_index is not None:
        return TAIL_SEARCH_PREFIX + tail_index
    sound_indexes = surname_sound_search_indexes(term)
    if sound_indexes is not None:
        return SOUND_SEARCH_PREFIX + SOUND_SEPARATOR.join(sound_indexes)
    return ""


# What each kind of search matches, given its digests.
INDEX_SEARCH_FILTERS: dict[str, Callable[[list[str]], Q]] = {
    INDEX_SEARCH_PREFIX: lambda digests: Q(email_index=digests[0]) | Q(phone_index=digests[0]),
    NAME_SEARCH_PREFIX: lambda digests: Q(name_birth_index=digests[0]),
    TAIL_SEARCH_PREFIX: lambda digests: Q(phone_tail_index=digests[0]),
    SOUND_SEARCH_PREFIX: lambda digests: (
        Q(surname_sound_index__in=digests)
        | Q(surname_sound_alt_index__in=digests)
        | Q(surname_first_part_sound_index__in=digests)
        | Q(surname_second_part_sound_index__in=digests)
    ),
}


def parse_index_search(query: str) -> tuple[str | None, list[str]]:
    """The kind of a blind-index search in the queue's `q` and its well-formed digests.

    (None, []) for a search that is not by blind index (a reference); (kind, []) for one whose
    digests are malformed (typed into the address bar), which finds nothing.
    """
    for prefix in INDEX_SEARCH_FILTERS:
        if query.startswith(prefix):
            digests = query.removeprefix(prefix).split(SOUND_SEPARATOR)
            if prefix != SOUND_SEARCH_PREFIX and len(digests) != 1:
                return prefix, []
            if len(digests) > MOST_SOUNDS or not all(
                BLIND_INDEX_SHAPE.fullmatch(d) for d in digests
            ):
                return prefix, []
            return prefix, digests
    return None, []
