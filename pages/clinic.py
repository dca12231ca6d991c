"""The clinic's own facts as the site shows them, read from the one clinic profile.

Pages never show a fact the clinic has not entered: each missing fact hides its sentence. The
profile is read once per content version in each process (saving it bumps the version), so a page
costs no query for it, and an edit shows on every worker as FAQ edits do.

What a complete profile needs, and which values are still examples, is decided here too, for
`manage.py clinic_check`, the staff home page and the deployment check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from functools import cached_property

from django.conf import settings
from django.utils.translation import get_language

from .cache import content_version
from .models import Clinician, ClinicProfile
from .service_area import ServiceArea, county_names, service_area_for_zip, service_area_name

# Fields in pairs: the English sentence and its Spanish.
SENTENCES = (
    "opening_hours",
    "consultation_includes",
    "session_includes",
    "course_includes",
    "hsa_fsa",
    "superbill",
    "session_duration",
    "fasting_rule",
    "companion_rule",
    "driving_rule",
    "visiting_clinician",
    "prescriber",
    "monitoring",
    "emergency_equipment",
    "emergency_plan",
)
PRICES = ("price_consultation", "price_per_session", "price_per_course")
# Every fact a live site needs; the photo is welcome but optional.
REQUIRED = (
    "legal_name",
    "phone",
    "email",
    "street_address",
    "city",
    "postal_code",
    "opening_hours_schema",
    "counties_served",
    "medical_specialty",
    *PRICES,
    *(name for sentence in SENTENCES for name in (sentence, f"{sentence}_es")),
    "director_name",
    "director_credentials",
    "director_licence_number",
    "director_licence_url",
)
# Facts a new database holds already: the state's licence lookup, and the counties the clinic's
# settings named before the profile held them (migration 0012).
FILLED_ON_A_NEW_DATABASE = ("director_licence_url", "counties_served")
# The number of sessions in the clinic's standard course, as the pages describe it.
COURSE_SESSIONS = 6

# Phone numbers 555-0100 to 555-0199 are reserved for fiction; example.org/.com/.net for examples.
_FICTIONAL_PHONE = re.compile(r"555\D*01\d\d\D*$")
_EXAMPLE_EMAIL = re.compile(r"@(.+\.)?example\.(org|com|net)$", re.IGNORECASE)


_HOUR_AND_HALF_DAY = re.compile(r"(\d) +(am|pm|a\. ?m\.|p\. ?m\.)", re.IGNORECASE)


def price_words(amount: Decimal | None) -> str:
    """ "$650" or "$1,234.50": how US prices are written in English and in US Spanish."""
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return f"${int(amount):,}"
    return f"${amount:,.2f}"


@dataclass(frozen=True)
class ClinicFacts:
    """The profile as pages read it: sentences in the page's language, prices as words."""

    profile: ClinicProfile

    def __getattr__(self, name: str) -> object:
        if name in SENTENCES:
            return self.sentence(name)
        if name in PRICES:
            return price_words(getattr(self.profile, name))
        return getattr(self.profile, name)

    def sentence(self, name: str) -> str:
        """The sentence in the page's language; empty (so hidden) where the clinic has not
        written it in that language, never the English on a Spanish page."""
        language = get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE:
            text = getattr(self.profile, name)
        else:
            text = getattr(self.profile, f"{name}_{language}", "")
        # "8 am" never breaks between the hour and its "am".
        return _HOUR_AND_HALF_DAY.sub("\\1\u00a0\\2", text) if name == "opening_hours" else text

    @cached_property
    def counties(self) -> list[str]:
        """The counties served, as the ZIP code data spells them: ["King", "Pierce"]."""
        return county_names(self.profile.counties_served)

    @property
    def area_name(self) -> str:
        return service_area_name(self.counties)

    def area_for_zip(self, zip_code: str) -> ServiceArea:
        return service_area_for_zip(zip_code, self.counties)

    @property
    def six_sessions(self) -> str:
        """What six single sessions cost: the worked example beside the course price."""
        if self.profile.price_per_session is None:
            return ""
        return price_words(self.profile.price_per_session * COURSE_SESSIONS)

    @property
    def has_address(self) -> bool:
        return bool(self.profile.street_address and self.profile.city)

    @property
    def has_director(self) -> bool:
        return bool(self.profile.director_name and self.profile.director_credentials)

    @property
    def has_prices(self) -> bool:
        return any(getattr(self.profile, name) is not None for name in PRICES)

    @property
    def has_example_values(self) -> bool:
        return bool(example_fields(self.profile))

    @property
    def lowest_price(self) -> str:
        """The "from $X a session" figure: a single session, or a session of the course where
        that is less (to the cent below); nothing without a session's price."""
        single = self.profile.price_per_session
        if single is None:
            return ""
        course = self.profile.price_per_course
        if course is None:
            return price_words(single)
        in_a_course = (course / COURSE_SESSIONS).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        return price_words(min(single, in_a_course))

    @property
    def consultation_free(self) -> bool:
        return self.profile.price_consultation == 0


_read: tuple[str, ClinicFacts] | None = None


def clinic_facts() -> ClinicFacts:
    """The clinic profile, read at most once per content version in this process.

    Without the shared cache (an outage) the version is unknown: the profile is then read afresh
    for each request, as the pages themselves are served uncached.
    """
    global _read
    try:
        version = content_version()
    except Exception:
        return _facts_from_database()
    if _read is not None and _read[0] == version:
        return _read[1]
    facts = _facts_from_database()
    _read = (version, facts)
    return facts


def _facts_from_database() -> ClinicFacts:
    return ClinicFacts(clinic_profile_get())


def clinic_profile_get() -> ClinicProfile:
    """The one clinic profile, or an unsaved new one when there is none yet."""
    return ClinicProfile.objects.first() or ClinicProfile()


# --- Ready to go live? ---------------------------------------------------------------------------


def missing_fields(profile: ClinicProfile) -> list[str]:
    """The required facts still empty, in the order the admin shows them."""
    return [
        name for name in REQUIRED if getattr(profile, name) in (None, "") or _blank(profile, name)
    ]


def _blank(profile: ClinicProfile, name: str) -> bool:
    value = getattr(profile, name)
    return isinstance(value, str) and not value.strip()


def example_fields(profile: ClinicProfile) -> list[str]:
    """Fields still holding an example: loaded by seed_example_clinic and not changed or
    confirmed since, or a phone number or e-mail address reserved for examples."""
    seeded = set(profile.example_field_names)
    return [
        field.name
        for field in ClinicProfile._meta.concrete_fields
        if getattr(profile, field.name) not in (None, "")
        and (field.name in seeded or _is_fictional(field.name, getattr(profile, field.name)))
    ]


def _is_fictional(name: str, value: object) -> bool:
    if name == "phone":
        return bool(_FICTIONAL_PHONE.search(str(value)))
    if name == "email":
        return bool(_EXAMPLE_EMAIL.search(str(value)))
    return False


def field_label(name: str) -> str:
    return str(ClinicProfile._meta.get_field(name).verbose_name)


def clinic_profile_problems(profile: ClinicProfile | None = None) -> list[str]:
    """Each missing fact and each example value, in words for a manager; empty when ready.

    A published clinician without a licence number counts: patients are told they can check it.
    """
    if profile is None:
        profile = clinic_profile_get()
    examples = set(example_fields(profile))
    problems = [f"Missing: {field_label(name)}" for name in missing_fields(profile)]
    problems += [
        f"Still an example: {field_label(name)}"
        for name in (f.name for f in ClinicProfile._meta.concrete_fields)
        if name in examples
    ]
    problems += [
        f"Missing: {name}'s Washington licence number (Clinicians)"
        for name in Clinician.objects.filter(published=True, licence_number="").values_list(
            "name", flat=True
        )
    ]
    return problems


def clinic_profile_suggestions(profile: ClinicProfile | None = None) -> list[str]:
    """Welcome but optional: the photos of the medical director and each published clinician."""
    if profile is None:
        profile = clinic_profile_get()
    suggestions = []
    if profile.director_name and not profile.director_photo:
        suggestions.append("No photo yet: the medical director")
    suggestions += [
        f"No photo yet: {name} (Clinicians)"
        for name in Clinician.objects.filter(published=True, photo="").values_list(
            "name", flat=True
        )
    ]
    return suggestions
