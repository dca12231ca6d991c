from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.phones import validate_us_phone

from .safe_html import clean_answer_html
from .service_area import counties_unknown


class Reference(models.Model):
    """A published source that pages cite by key: `{% cite "cohen-2018" %}`."""

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text='Short name used by the pages, e.g. "cohen-2018". Changing it breaks citations.',
    )
    authors = models.CharField(max_length=500, help_text="As printed, e.g. “Cohen SP, Bhatia A”.")
    title = models.CharField(max_length=500)
    journal = models.CharField(
        max_length=300, blank=True, help_text="Journal, report series or publisher."
    )
    year = models.PositiveSmallIntegerField()
    volume = models.CharField(max_length=40, blank=True, help_text="With the issue, e.g. 77(2).")
    pages = models.CharField(max_length=40, blank=True, help_text="e.g. 357-367.")
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\S+/\S+$", "A DOI starts with 10. and has no spaces.")],
        help_text="Without https://doi.org/, e.g. 10.1111/bcp.12094.",
    )
    pmid = models.CharField(
        "PMID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d+$", "A PubMed ID is digits only.")],
    )
    pmcid = models.CharField(
        "PMCID",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^PMC\d+$", "A PubMed Central ID looks like PMC4014022.")],
    )
    url = models.URLField(
        "URL", blank=True, help_text="For sources without a DOI, such as laws and reports."
    )

    class Meta:
        ordering = ("key",)

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self) -> str:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""


ANSWER_HELP = (
    "Plain paragraphs. Allowed formatting: paragraphs, bold, italics, lists and links. "
    "Anything else is removed when the page is shown."
)


class FaqEntry(models.Model):
    """A question and answer on /faq/, written and kept up to date by clinic staff."""

    question = models.CharField(max_length=300)
    answer = models.TextField(help_text=ANSWER_HELP)
    # Two languages, so two plain fields side by side in the admin; an entry without its Spanish
    # is shown in English (marked lang="en") on the Spanish page, never blank.
    question_es = models.CharField("question in Spanish", max_length=300, blank=True)
    answer_es = models.TextField("answer in Spanish", blank=True, help_text=ANSWER_HELP)
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    published = models.BooleanField(default=True)
    references = models.ManyToManyField(
        Reference,
        blank=True,
        related_name="faq_entries",
        help_text="The sources behind this answer; they are listed under the questions.",
    )
    last_reviewed = models.DateField(
        default=timezone.localdate,
        help_text="When a clinician last checked this answer against its sources.",
    )

    class Meta:
        ordering = ("order", "id")
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self) -> str:
        return self.question

    def language_shown(self) -> str:
        """The reader's language when the entry has it, English otherwise."""
        if get_language() == "es" and self.question_es and self.answer_es:
            return "es"
        return settings.LANGUAGE_CODE

    def question_shown(self) -> str:
        return self.question_es if self.language_shown() == "es" else self.question

    def answer_html(self) -> SafeString:
        """The answer shown, with everything but simple formatting removed, safe to show."""
        return clean_answer_html(self.answer_es if self.language_shown() == "es" else self.answer)


# schema.org's openingHours short form: days (Mo-Fr, or Mo,We,Fr) and a span of 24-hour times.
_DAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_OPENING_HOURS = re.compile(
    rf"^{_DAY}(?:[-,]{_DAY})* [0-2]\d:[0-5]\d-[0-2]\d:[0-5]\d"
    rf"(?:, {_DAY}(?:[-,]{_DAY})* [0-2]\d:[0-5]\d-[0-2]\d:[0-5]\d)*$"
)


def validate_opening_hours_schema(text: str) -> None:
    if not _OPENING_HOURS.match(text):
        raise ValidationError(
            "Write the hours as days and 24-hour times, e.g. “Mo-Fr 08:00-18:00” (several "
            "separated by a comma and a space).",
            code="opening_hours",
        )


def validate_licence_number(text: str) -> None:
    """Washington's credential numbers: the credential's letters, then digits (MD60012345)."""
    if not re.fullmatch(r"[A-Za-z]{2,5}\d{5,10}", text):
        raise ValidationError(
            "Write the licence number as on the state's lookup: letters, then digits, e.g. "
            "MD60012345.",
            code="licence_number",
        )


class Clinician(models.Model):
    """A person who cares for patients, shown under "Who cares for you" once staff add them.

    Nobody is listed until the clinic enters real people; the section stays hidden while empty.
    """

    name = models.CharField(max_length=200)
    credentials = models.CharField(
        max_length=100, help_text="As the person signs, e.g. “MD”, “DNP, ARNP” or “RN”."
    )
    role = models.CharField(
        max_length=200, help_text="What they do for patients, e.g. “Gives infusions at home”."
    )
    licence_number = models.CharField(
        "Washington licence number",
        max_length=40,
        blank=True,
        validators=[validate_licence_number],
        help_text="As on the state's public licence lookup, e.g. RN60123456.",
    )
    role_es = models.CharField(
        "role in Spanish",
        max_length=200,
        blank=True,
        help_text="e.g. “Pone las infusiones en su casa”. Empty: the English shows.",
    )
    # The name of a re-encoded WebP file under MEDIA_ROOT/clinicians/ (pages.photos), never a
    # file as uploaded. Set through the admin's photo upload.
    photo = models.CharField(max_length=64, blank=True, editable=False)
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ("order", "id")

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}"

    def role_language(self) -> str:
        return "es" if get_language() == "es" and self.role_es else settings.LANGUAGE_CODE

    def role_shown(self) -> str:
        return self.role_es if self.role_language() == "es" else self.role

    @property
    def initials(self) -> str:
        """Shown in place of a photo: the first letters of the first and last names."""
        words = self.name.split()
        return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()

    @property
    def photo_url(self) -> str:
        return reverse("clinician_photo", args=[self.photo]) if self.photo else ""


# The state's public licence lookup (Washington State Department of Health, provider credential
# search), where anyone can check a clinician's licence by name or number.
WA_LICENCE_LOOKUP_URL = "https://fortress.wa.gov/doh/providercredentialsearch/"

SENTENCE_HELP = "One or two plain sentences a patient reads on the site."


def _sentence(label: str, help_text: str = SENTENCE_HELP) -> tuple[models.TextField, ...]:
    """A sentence the site shows and its Spanish, side by side in the admin."""
    return (
        models.TextField(label, blank=True, help_text=help_text),
        models.TextField(f"{label} in Spanish", blank=True, help_text="The same, in Spanish."),
    )


def _price(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="In US dollars, e.g. 650. Empty: no figure is shown.",
    )


# The clinic's own area (DESIGN.md), where a new profile starts; not an example value.
COUNTIES_SERVED = "King, Pierce, Snohomish"


def validate_counties(text: str) -> None:
    unknown = counties_unknown(text)
    if unknown:
        raise ValidationError(
            "Not a county of %(state)s: %(names)s. Check the spelling; separate counties with "
            "commas.",
            params={"state": settings.SERVICE_AREA_STATE_NAME, "names": ", ".join(unknown)},
            code="unknown_county",
        )


class ClinicProfile(models.Model):
    """The clinic's own facts, kept by managers in the admin: one record for the whole site.

    Every field may be empty: a page hides the sentence or section whose fact is missing, and
    `manage.py clinic_check` lists what is still missing or an example before the site goes live.
    Sentences come in pairs: English, and Spanish for the Spanish pages (without it, the English
    shows there, marked as English).
    """

    legal_name = models.CharField(
        "legal name", max_length=200, blank=True, help_text="As registered, e.g. “AVYIA PLLC”."
    )
    phone = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_us_phone],
        help_text="The number patients call, e.g. (206) 555-0142.",
    )
    email = models.EmailField("e-mail", blank=True)
    street_address = models.CharField(
        "office street address", max_length=200, blank=True, help_text="e.g. 1234 5th Ave"
    )
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(
        "ZIP code",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(r"^\d{5}(-\d{4})?$", "Enter a 5-digit ZIP code, e.g. 98101.", "zip")
        ],
    )
    opening_hours, opening_hours_es = _sentence(
        "opening hours", "When someone answers the phone: “Monday to Friday, 8 am to 6 pm”."
    )
    opening_hours_schema = models.CharField(
        "opening hours for search engines",
        max_length=100,
        blank=True,
        validators=[validate_opening_hours_schema],
        help_text="The same hours in schema.org's short form, e.g. “Mo-Fr 08:00-18:00” or "
        "“Mo-Fr 08:00-18:00, Sa 09:00-12:00”.",
    )
    counties_served = models.CharField(
        "counties served",
        max_length=300,
        blank=True,
        default=COUNTIES_SERVED,
        validators=[validate_counties],
        help_text="The counties the clinicians visit, separated by commas: “King, Pierce, "
        "Snohomish”. ZIP codes in them count as in the area.",
    )
    medical_specialty = models.CharField(
        "medical specialty",
        max_length=40,
        blank=True,
        help_text="A schema.org MedicalSpecialty for search engines, e.g. “Anesthesia”.",
    )

    price_consultation = _price("price of the first consultation")
    consultation_includes, consultation_includes_es = _sentence("what the consultation includes")
    price_per_session = _price("price of one session")
    session_includes, session_includes_es = _sentence("what a session's price includes")
    price_per_course = _price("price of a course of 6 sessions")
    course_includes, course_includes_es = _sentence("what the course's price includes")
    hsa_fsa, hsa_fsa_es = _sentence(
        "HSA and FSA", "Whether patients can pay from a health savings or spending account."
    )
    superbill, superbill_es = _sentence(
        "superbill", "Whether and when the clinic gives a superbill for out-of-network claims."
    )

    session_duration, session_duration_es = _sentence(
        "how long a session takes", "As the page says it after “A session takes”: “about 2 hours”."
    )
    fasting_rule, fasting_rule_es = _sentence("eating and drinking before a session")
    companion_rule, companion_rule_es = _sentence(
        "someone at home", "Whether someone must be at home with the patient during and after."
    )
    driving_rule, driving_rule_es = _sentence("driving after a session")

    visiting_clinician, visiting_clinician_es = _sentence(
        "who comes to the home", "Who gives the infusion, and their licence (e.g. RN)."
    )
    prescriber, prescriber_es = _sentence("who prescribes", "Who decides on and prescribes it.")
    monitoring, monitoring_es = _sentence(
        "what is monitored", "What the clinician checks during a session, and how often."
    )
    emergency_equipment, emergency_equipment_es = _sentence(
        "emergency equipment and medicines", "What the clinician brings in case of trouble."
    )
    emergency_plan, emergency_plan_es = _sentence(
        "if something goes wrong at home",
        "What the clinician does: when they call 911, and which emergency department is nearest.",
    )

    director_name = models.CharField("medical director's name", max_length=200, blank=True)
    director_credentials = models.CharField(
        "medical director's credentials", max_length=100, blank=True, help_text="e.g. “MD”."
    )
    director_licence_number = models.CharField(
        "medical director's Washington licence number",
        max_length=40,
        blank=True,
        validators=[validate_licence_number],
        help_text="As on the state's licence lookup, e.g. MD60012345.",
    )
    director_licence_url = models.URLField(
        "licence lookup link",
        blank=True,
        default=WA_LICENCE_LOOKUP_URL,
        help_text="Where patients can check the licence: the state's public lookup.",
    )
    # A re-encoded WebP under MEDIA_ROOT/clinicians/ (pages.photos), set through the admin.
    director_photo = models.CharField(max_length=64, blank=True, editable=False)
    # The fields `manage.py seed_example_clinic` filled and nobody has changed or confirmed since.
    example_field_names = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "clinic profile"
        verbose_name_plural = "clinic profile"

    def __str__(self) -> str:
        return "Clinic profile"

    @property
    def director_photo_url(self) -> str:
        return reverse("clinician_photo", args=[self.director_photo]) if self.director_photo else ""
