from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .safe_html import clean_answer_html


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
