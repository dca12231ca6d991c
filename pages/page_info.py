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

from intake.service_area import service_area_name


@dataclass(frozen=True)
class PageInfo:
    title: str
    description: str
    kind: Literal["medical", "policy"]
    reviewed: date | None
    # What the page is about, for structured data (schema.org `about`).
    about: str = ""


PAGES: dict[str, PageInfo] = {
    "home": PageInfo(
        title="At-home ketamine therapy for chronic pain in the Seattle area",
        description=(
            f"IV ketamine therapy for chronic pain in your own home in {service_area_name()}. "
            "Plain facts, honest evidence, a clinician with you throughout."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about="Chronic pain",
    ),
    "chronic_pain": PageInfo(
        title="What is chronic pain?",
        description=(
            "Chronic pain explained plainly: how it differs from acute pain, how common it is, "
            "what causes it and how it can feel."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about="Chronic pain",
    ),
    "ketamine": PageInfo(
        title="Ketamine for chronic pain",
        description=(
            "How ketamine eases pain, what the evidence shows for each condition, who may benefit, "
            "the risks, and why its use for chronic pain is off-label."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about="Ketamine",
    ),
    "at_home": PageInfo(
        title="At-home ketamine therapy: what to expect",
        description=(
            "What happens before, during and after at-home IV ketamine therapy: screening, "
            "a session step by step, the course, boosters, safety checks and when it stops."
        ),
        kind="medical",
        reviewed=date(2026, 11, 30),
        about="Ketamine infusion therapy",
    ),
    "cost": PageInfo(
        title="What ketamine therapy costs",
        description=(
            "What at-home ketamine therapy costs, whether insurance pays, paying with an HSA or "
            "FSA, superbills, and your right to a Good Faith Estimate."
        ),
        kind="policy",
        reviewed=date(2026, 11, 30),
    ),
    "faq": PageInfo(
        title="Questions and answers",
        description=(
            "Plain answers about chronic pain and ketamine therapy: treatments, addiction, safety, "
            "who gives it, long-term effects and what happens after the first course."
        ),
        kind="medical",
        reviewed=None,
        about="Ketamine for chronic pain",
    ),
    "privacy": PageInfo(
        title="Privacy notice",
        description=(
            "How this website handles your information: no trackers, no third-party requests, "
            "few cookies, and how long we keep what you send us."
        ),
        kind="policy",
        reviewed=date(2026, 11, 25),
    ),
    "health_data_privacy": PageInfo(
        title="Consumer Health Data Privacy Policy",
        description=(
            "Our policy under Washington's My Health My Data Act: the health data we collect, why, "
            "who sees it, and how to see, delete or withdraw consent for it."
        ),
        kind="policy",
        reviewed=date(2026, 11, 25),
    ),
    "terms": PageInfo(
        title="Terms of use and medical disclaimer",
        description=(
            "The terms of using this website: general information, not medical advice; not for "
            "emergencies; and your right to a Good Faith Estimate."
        ),
        kind="policy",
        reviewed=date(2026, 11, 30),
    ),
}
