"""What each content page is about and when its content was last checked: the one place for both.

A medical page's `reviewed` date is when its content was last checked against its sources; change
it only after such a check. The page calls it a review, naming who did it, only when the clinic sets
MEDICAL_REVIEWER; otherwise it is shown as the date the page was last updated. A policy page's date
is when its text last changed. The FAQ's answers carry their own dates (staff keep them in the
admin), so its page has none here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .clinic import clinic_facts


@dataclass(frozen=True)
class PageInfo:
    title: str  # lazy translations: read in the language of the request
    description: str
    kind: Literal["medical", "policy"]
    reviewed: date | None
    # What the page is about, for structured data (schema.org `about`).
    about: str = ""


def _home_description() -> str:
    """The home page's description, naming the area when the clinic profile names counties."""
    area = clinic_facts().area_name
    if not area:
        return gettext(
            "IV ketamine therapy for chronic pain in your own home. "
            "Plain facts, honest evidence, a clinician with you throughout."
        )
    return gettext(
        "IV ketamine therapy for chronic pain in your own home in {area}. "
        "Plain facts, honest evidence, a clinician with you throughout."
    ).format(area=area)


PAGES: dict[str, PageInfo] = {
    "home": PageInfo(
        title=_("At-home ketamine therapy for chronic pain in the Seattle area"),
        description=lazy(_home_description, str)(),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about=_("Chronic pain"),
    ),
    "chronic_pain": PageInfo(
        title=_("What is chronic pain?"),
        description=_(
            "Chronic pain explained plainly: how it differs from acute pain, how common it is, "
            "what causes it and how it can feel."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about=_("Chronic pain"),
    ),
    "ketamine": PageInfo(
        title=_("Ketamine for chronic pain"),
        description=_(
            "How ketamine may ease pain, what the evidence shows for each condition, who may "
            "benefit, the risks, and why its use for chronic pain is off-label."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about=_("Ketamine"),
    ),
    "at_home": PageInfo(
        title=_("At-home ketamine therapy: what to expect"),
        description=_(
            "What happens before, during and after at-home IV ketamine therapy: screening, "
            "a session step by step, the course, boosters, safety checks and when it stops."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about=_("Ketamine infusion therapy"),
    ),
    "cost": PageInfo(
        title=_("What ketamine therapy costs"),
        description=_(
            "What at-home ketamine therapy costs, whether insurance pays, paying with an HSA or "
            "FSA, superbills, and your right to a Good Faith Estimate."
        ),
        kind="policy",
        reviewed=date(2026, 11, 30),
    ),
    "faq": PageInfo(
        title=_("Questions and answers"),
        description=_(
            "Plain answers about chronic pain and ketamine therapy: treatments, addiction, safety, "
            "who gives it, long-term effects and what happens after the first course."
        ),
        kind="medical",
        reviewed=None,
        about=_("Ketamine for chronic pain"),
    ),
    "privacy": PageInfo(
        title=_("Privacy notice"),
        description=_(
            "How this website handles your information: no trackers, no third-party requests, "
            "few cookies, and how long we keep what you send us."
        ),
        kind="policy",
        reviewed=date(2026, 11, 25),
    ),
    "health_data_privacy": PageInfo(
        title=_("Consumer Health Data Privacy Policy"),
        description=_(
            "Our policy under Washington's My Health My Data Act: the health data we collect, why, "
            "who sees it, and how to see, delete or withdraw consent for it."
        ),
        kind="policy",
        reviewed=date(2026, 11, 25),
    ),
    "language_assistance": PageInfo(
        title=_("Language help"),
        description=_(
            "Help in your language is free. How to ask for an interpreter, in Spanish, Chinese, "
            "Vietnamese, Russian, Somali, Korean, Tagalog, Ukrainian, Amharic and Arabic."
        ),
        kind="policy",
        reviewed=date(2026, 11, 30),
    ),
    "terms": PageInfo(
        title=_("Terms of use and medical disclaimer"),
        description=_(
            "The terms of using this website: general information, not medical advice; not for "
            "emergencies; and your right to a Good Faith Estimate."
        ),
        kind="policy",
        reviewed=date(2026, 11, 30),
    ),
}
