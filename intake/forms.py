"""The eligibility-screening request form.

Four sections, in the order the patient sees them. Validation happens here (and only here); the
spam checks (honeypot, one-time token, minimum fill time) live in `clean()`, so a rejected form
comes back with every answer the patient typed.
"""

from __future__ import annotations

import datetime
import secrets
import time
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from . import consent
from .models import Flag, ScreeningRequest

YES, NO, NOT_SURE = "yes", "no", "not_sure"
YES_NO = [(YES, "Yes"), (NO, "No")]
YES_NO_NOT_SURE = [(YES, "Yes"), (NO, "No"), (NOT_SURE, "Not sure")]

PAIN_UNDER_3_MONTHS = "under_3_months"
PAIN_DURATIONS = [
    (PAIN_UNDER_3_MONTHS, "Less than 3 months"),
    ("3_to_6_months", "3 to 6 months"),
    ("6_to_12_months", "6 to 12 months"),
    ("over_1_year", "More than a year"),
]
PAIN_CONDITIONS = [
    ("crps", "Complex regional pain syndrome (CRPS)"),
    ("fibromyalgia", "Fibromyalgia"),
    (
        "neuropathic",
        "Nerve pain (neuropathic pain), such as diabetic neuropathy, sciatica or trigeminal "
        "neuralgia",
    ),
    ("phantom_limb", "Phantom limb pain"),
    ("after_shingles", "Pain after shingles"),
    ("sickle_cell", "Sickle cell disease"),
    ("spinal_cord_injury", "Spinal cord injury"),
    ("cancer", "Pain related to cancer"),
    ("arthritis", "Arthritis"),
    ("headache", "Headache or migraine"),
    ("back_neck", "Back or neck pain"),
    ("not_sure", "I am not sure, or I do not have a diagnosis yet"),
    ("other", "Something else"),
]
PAIN_FEELINGS = [
    ("burning", "Burning"),
    ("dull_ache", "A dull ache"),
    ("throbbing", "Throbbing"),
    ("squeezing", "Squeezing"),
    ("shooting", "Shooting"),
    ("pulsing", "Pulsing"),
]
TREATMENTS = [
    ("medicines", "Pain medicines, including opioids"),
    ("physical_therapy", "Physical therapy"),
    ("injections", "Injections or nerve blocks"),
    ("surgery", "Surgery"),
    ("other", "Something else"),
]
TREATMENT_HELPED = [
    ("a_lot", "Yes, a lot"),
    ("a_little", "A little"),
    ("no", "Not really"),
    ("none_tried", "I have not tried any treatments yet"),
]
ZERO_TO_TEN = [(n, str(n)) for n in range(11)]
PHQ2_CHOICES = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]
HOW_HEARD = [
    ("", "Choose one (optional)"),
    ("doctor", "A doctor or other health professional"),
    ("search", "An internet search"),
    ("friend", "A friend or family member"),
    ("social", "Social media"),
    ("other", "Somewhere else"),
]

# Each health condition from SOURCES.md that a clinician reviews before ketamine, in plain words.
HEALTH_QUESTIONS = [
    (Flag.HEART, "Do you have high blood pressure or heart disease that is not well controlled?"),
    (Flag.PSYCHOSIS, "Have you ever had psychosis, schizophrenia or mania?"),
    (Flag.LIVER, "Do you have severe liver disease?"),
    (Flag.PRESSURE, "Do you have raised pressure in your brain or your eyes, such as glaucoma?"),
    (Flag.SUBSTANCE_USE, "Do you have a problem with alcohol or drug use right now?"),
    (Flag.PREGNANCY, "Are you pregnant or breastfeeding?"),
    (Flag.KETAMINE_ALLERGY, "Are you allergic to ketamine?"),
    (Flag.SEIZURES, "Do you have seizures?"),
    (Flag.BREATHING, "Do you have severe breathing problems?"),
]
ASQ_QUESTIONS = [
    ("asq_wish_dead", "In the past few weeks, have you wished you were dead?"),
    (
        "asq_better_off",
        "In the past few weeks, have you felt that you or your family would be better off if "
        "you were dead?",
    ),
    ("asq_thoughts", "In the past week, have you been having thoughts about killing yourself?"),
    ("asq_attempt", "Have you ever tried to kill yourself?"),
]
ASQ_NOW = "asq_now"

MIN_AGE = 18
OLDEST_BIRTH_YEAR = 1900
# Long enough for a patient who leaves the form open overnight and comes back to it.
TOKEN_MAX_AGE = datetime.timedelta(days=3)
SIGNING_SALT = "intake.screening-form"


def health_field_name(flag: Flag) -> str:
    return f"health_{flag.value}"


# --- The one-time form token ------------------------------------------------------------------


@dataclass(frozen=True)
class FormToken:
    token_id: str
    served_at: float


def form_token_issue() -> str:
    """A signed token for one rendering of the form: a random id and the time it was served."""
    return signing.dumps(
        {"id": secrets.token_urlsafe(18), "t": round(time.time(), 3)}, salt=SIGNING_SALT
    )


class TokenProblem(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def form_token_read(value: str) -> FormToken:
    """The token's id and time; TokenProblem("expired"/"invalid") when it cannot be trusted."""
    try:
        data = signing.loads(value, salt=SIGNING_SALT)
    except signing.BadSignature as exc:
        raise TokenProblem("invalid") from exc
    if not (
        isinstance(data, dict)
        and isinstance(data.get("id"), str)
        and 16 <= len(data["id"]) <= 64
        and isinstance(data.get("t"), int | float)
    ):
        raise TokenProblem("invalid")
    age = time.time() - data["t"]
    if age < -60:  # served in the future: not a token we issued
        raise TokenProblem("invalid")
    if age > TOKEN_MAX_AGE.total_seconds():
        raise TokenProblem("expired")
    return FormToken(token_id=data["id"], served_at=float(data["t"]))


# --- Widgets ------------------------------------------------------------------------------------


class InlineRadioSelect(forms.RadioSelect):
    """Radio buttons laid out in a row (the 0 to 10 scales)."""


def _text(autocomplete: str | None = None, **attrs: Any) -> forms.TextInput:
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _radios(inline: bool = False) -> forms.RadioSelect:
    widget_class = InlineRadioSelect if inline else forms.RadioSelect
    return widget_class(attrs={"class": "form-check-input"})


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


GENERIC_REQUIRED = "Please answer this question."


def _answer_required(what: str = GENERIC_REQUIRED) -> dict[str, str]:
    return {"required": what, "invalid_choice": "Please choose one of the answers shown."}


# --- The form ----------------------------------------------------------------------------------


class ScreeningRequestForm(forms.Form):
    """Everything a patient tells us when asking to be screened."""

    SECTIONS = [
        (
            "Your pain",
            [
                "pain_duration",
                "pain_conditions",
                "pain_condition_other",
                "pain_feelings",
                "peg_pain",
                "peg_enjoyment",
                "peg_activity",
                "treatments_tried",
                "treatment_other",
                "treatment_helped",
                "surgery_planned",
            ],
        ),
        (
            "Your health",
            [
                *(health_field_name(flag) for flag, _ in HEALTH_QUESTIONS),
                "current_medicines",
                "phq2_interest",
                "phq2_down",
                *(name for name, _ in ASQ_QUESTIONS),
                ASQ_NOW,
            ],
        ),
        (
            "About you",
            [
                "first_name",
                "last_name",
                "date_of_birth",
                "email",
                "phone",
                "zip_code",
                "contact_method",
                "contact_time",
                "how_heard",
            ],
        ),
        ("Consent", ["consent_health_data", "consent_not_emergency", "sms_reminders"]),
    ]
    OPTIONAL_FIELDS = {"pain_feelings", "current_medicines", "how_heard", "sms_reminders"}

    # Section 1: Your pain
    pain_duration = forms.ChoiceField(
        label="How long have you had this pain?",
        choices=PAIN_DURATIONS,
        widget=_radios(),
        error_messages=_answer_required("Please tell us how long you have had this pain."),
    )
    pain_conditions = forms.MultipleChoiceField(
        label="Has a doctor told you that your pain comes from any of these?",
        help_text="Choose all that apply.",
        choices=PAIN_CONDITIONS,
        widget=_checkboxes(),
        error_messages=_answer_required(
            "Please choose at least one. If you do not know, choose “I am not sure”."
        ),
    )
    pain_condition_other = forms.CharField(
        label="If something else, what is it?",
        required=False,
        max_length=300,
        widget=_text(),
    )
    pain_feelings = forms.MultipleChoiceField(
        label="How does your pain feel?",
        help_text="Choose all that apply.",
        choices=PAIN_FEELINGS,
        widget=_checkboxes(),
        required=False,
    )
    peg_pain = forms.TypedChoiceField(
        label="In the past week, what number best describes your pain on average?",
        help_text="0 means no pain. 10 means pain as bad as you can imagine.",
        choices=ZERO_TO_TEN,
        coerce=int,
        widget=_radios(inline=True),
        error_messages=_answer_required("Please choose a number from 0 to 10."),
    )
    peg_enjoyment = forms.TypedChoiceField(
        label="In the past week, how much has pain got in the way of your enjoyment of life?",
        help_text="0 means not at all. 10 means completely.",
        choices=ZERO_TO_TEN,
        coerce=int,
        widget=_radios(inline=True),
        error_messages=_answer_required("Please choose a number from 0 to 10."),
    )
    peg_activity = forms.TypedChoiceField(
        label="In the past week, how much has pain got in the way of your general activity?",
        help_text="0 means not at all. 10 means completely.",
        choices=ZERO_TO_TEN,
        coerce=int,
        widget=_radios(inline=True),
        error_messages=_answer_required("Please choose a number from 0 to 10."),
    )
    treatments_tried = forms.MultipleChoiceField(
        label="Which treatments have you tried for this pain?",
        help_text="Choose all that apply. If you have not tried any, leave these empty.",
        choices=TREATMENTS,
        widget=_checkboxes(),
        required=False,
    )
    treatment_other = forms.CharField(
        label="If something else, what did you try?",
        required=False,
        max_length=300,
        widget=_text(),
    )
    treatment_helped = forms.ChoiceField(
        label="Did any of these treatments help?",
        choices=TREATMENT_HELPED,
        widget=_radios(),
        error_messages=_answer_required(),
    )
    surgery_planned = forms.ChoiceField(
        label="Are you planning to have surgery?",
        choices=YES_NO_NOT_SURE,
        widget=_radios(),
        error_messages=_answer_required(),
    )

    # Section 2: Your health (condition questions are added in __init__)
    current_medicines = forms.CharField(
        label="Which medicines do you take now?",
        help_text="Include the dose if you know it. You can also tell us later.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    phq2_interest = forms.TypedChoiceField(
        label="Over the last 2 weeks, how often have you had little interest or pleasure in "
        "doing things?",
        choices=PHQ2_CHOICES,
        coerce=int,
        widget=_radios(),
        error_messages=_answer_required(),
    )
    phq2_down = forms.TypedChoiceField(
        label="Over the last 2 weeks, how often have you felt down, depressed or hopeless?",
        choices=PHQ2_CHOICES,
        coerce=int,
        widget=_radios(),
        error_messages=_answer_required(),
    )
    # (ASQ questions are added in __init__)
    asq_now = forms.ChoiceField(
        label="If you answered yes to any of these: are you having thoughts of killing yourself "
        "right now?",
        choices=YES_NO,
        widget=_radios(),
        required=False,
        error_messages=_answer_required(),
    )

    # Section 3: About you
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=_text("given-name"),
        error_messages={"required": "Please enter your first name."},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=_text("family-name"),
        error_messages={"required": "Please enter your last name."},
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example, 03/27/1980.",
        input_formats=["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"],
        widget=forms.DateInput(
            attrs={"class": "form-control", "type": "date", "autocomplete": "bday"},
            format="%Y-%m-%d",
        ),
        error_messages={
            "required": "Please enter your date of birth.",
            "invalid": "Please enter your date of birth as month, day and year, for example "
            "03/27/1980.",
        },
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
        error_messages={
            "required": "Please enter your e-mail address.",
            "invalid": "Please enter an e-mail address like name@example.com.",
        },
    )
    phone = PhoneNumberField(
        label="Mobile phone number",
        help_text="A US number, for example (206) 555-0123.",
        region="US",
        widget=RegionalPhoneNumberWidget(
            region="US", attrs={"class": "form-control", "autocomplete": "tel"}
        ),
        error_messages={
            "required": "Please enter your mobile phone number.",
            "invalid": "Please enter a US phone number, for example (206) 555-0123.",
        },
    )
    zip_code = forms.RegexField(
        label="ZIP code",
        help_text="Of the home where you would have your treatment.",
        regex=r"^\d{5}(-\d{4})?$",
        max_length=10,
        widget=_text("postal-code", inputmode="numeric"),
        error_messages={
            "required": "Please enter your ZIP code.",
            "invalid": "Please enter a 5-digit ZIP code, for example 98101.",
        },
    )
    contact_method = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=ScreeningRequest.ContactMethod.choices,
        widget=_radios(),
        error_messages=_answer_required("Please choose how we should contact you."),
    )
    contact_time = forms.ChoiceField(
        label="When is the best time to reach you?",
        help_text="Pacific time, Monday to Friday.",
        choices=ScreeningRequest.ContactTime.choices,
        widget=_radios(),
        error_messages=_answer_required("Please choose a time."),
    )
    how_heard = forms.ChoiceField(
        label="How did you hear about us?",
        choices=HOW_HEARD,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    # Section 4: Consent (never ticked in advance)
    consent_health_data = forms.BooleanField(
        label=consent.HEALTH_DATA_CONSENT,
        error_messages={"required": "Please tick this box so we can read your answers."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    consent_not_emergency = forms.BooleanField(
        label=consent.NOT_FOR_EMERGENCIES,
        error_messages={"required": "Please tick this box to show you have read it."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    sms_reminders = forms.BooleanField(
        label=consent.TEXT_REMINDERS,
        help_text="You can say no and still ask for a screening. You can stop them at any time.",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    # Not shown to people: the one-time token and the honeypot (rendered by the template).
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.token: FormToken | None = None
        for flag, question in HEALTH_QUESTIONS:
            self.fields[health_field_name(flag)] = forms.ChoiceField(
                label=question,
                choices=YES_NO_NOT_SURE,
                widget=_radios(),
                error_messages=_answer_required(),
            )
        for name, question in ASQ_QUESTIONS:
            self.fields[name] = forms.ChoiceField(
                label=question, choices=YES_NO, widget=_radios(), error_messages=_answer_required()
            )
        self.order_fields([name for _, names in self.SECTIONS for name in names])
        self.fields["consent_health_data"].help_text = format_html(
            'Read how we look after it in our <a href="{}">consumer health data privacy '
            "policy</a>.",
            reverse("pages:health_data_privacy"),
        )
        today = timezone.localdate()
        self.fields["date_of_birth"].widget.attrs.update(
            {"min": f"{OLDEST_BIRTH_YEAR}-01-01", "max": today.isoformat()}
        )
        for name in self.OPTIONAL_FIELDS:
            self.fields[name].optional_label = True
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    "Please shorten this to %(limit_value)d characters or fewer "
                    "(it has %(show_value)d)."
                )

    # --- Field checks -------------------------------------------------------------------------

    def clean_date_of_birth(self) -> datetime.date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(
                "This date is in the future. Please check your date of birth.", code="future"
            )
        if born.year < OLDEST_BIRTH_YEAR:
            raise forms.ValidationError("Please check the year of your birth.", code="too_old")
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < MIN_AGE:
            raise forms.ValidationError(
                "You need to be 18 or older to ask for a screening. If you are younger, please "
                "ask a parent or your doctor to call us.",
                code="under_18",
            )
        return born

    def clean_phone(self) -> str:
        number = self.cleaned_data["phone"]
        if phonenumbers.region_code_for_number(number) != "US":
            raise forms.ValidationError(
                "Please enter a US phone number, for example (206) 555-0123.", code="not_us"
            )
        return number.as_e164

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_conditional_answers(cleaned)
        self._check_not_a_bot(cleaned)
        return cleaned

    def _check_conditional_answers(self, cleaned: dict[str, Any]) -> None:
        if (
            "other" in cleaned.get("pain_conditions", [])
            and not cleaned.get("pain_condition_other", "").strip()
        ):
            self.add_error("pain_condition_other", "Please tell us what the other condition is.")
        if (
            "other" in cleaned.get("treatments_tried", [])
            and not cleaned.get("treatment_other", "").strip()
        ):
            self.add_error("treatment_other", "Please tell us what else you tried.")
        any_asq_yes = any(cleaned.get(name) == YES for name, _ in ASQ_QUESTIONS)
        if any_asq_yes and not cleaned.get(ASQ_NOW):
            self.add_error(ASQ_NOW, GENERIC_REQUIRED)

    def _check_not_a_bot(self, cleaned: dict[str, Any]) -> None:
        if cleaned.get("website"):
            raise forms.ValidationError(
                "We could not send your request. Please check your answers and send it again.",
                code="trap",
            )
        try:
            self.token = form_token_read(self.data.get("form_token", ""))
        except TokenProblem as problem:
            if problem.code == "expired":
                raise forms.ValidationError(
                    "This form was open for a long time, so we need you to send it again. "
                    "Your answers are still here.",
                    code="token_expired",
                ) from None
            raise forms.ValidationError(
                "We could not check that this form came from our website. Your answers are "
                "still here: please send it again.",
                code="token_invalid",
            ) from None
        waited = time.time() - self.token.served_at
        if waited < settings.SCREENING_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                "That was quicker than we expected. Please check your answers and send the form "
                "again.",
                code="too_fast",
            )

    def full_clean(self) -> None:
        super().full_clean()
        # Django marks single inputs itself; radio and checkbox groups need it on every option.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    widget.attrs["aria-invalid"] = "true"

    # --- What the templates and the service need ---------------------------------------------

    def asq_answered_yes(self) -> bool:
        """Whether any suicide-risk question was answered yes, as posted (valid or not)."""
        return self.is_bound and any(
            self.data.get(name) == YES for name, _ in [*ASQ_QUESTIONS, (ASQ_NOW, "")]
        )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def error_summary(self) -> list[dict[str, str]]:
        """Every error, in page order, with the id of the input it belongs to."""
        items = [{"message": message, "anchor": ""} for message in self.non_field_errors()]
        for _title, names in self.SECTIONS:
            for name in names:
                if name not in self.errors:
                    continue
                field = self[name]
                anchor = field.auto_id
                if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{field.auto_id}_0"  # the first option of the group
                for message in self.errors[name]:
                    if message == GENERIC_REQUIRED:
                        # In a list of errors the question itself says what is missing.
                        message = f"Please answer: {field.label}"
                    items.append({"message": message, "anchor": anchor})
        return items

    def answers_as_seen(self) -> list[dict[str, Any]]:
        """Every question and answer as the patient saw them, grouped by section."""
        sections = []
        for title, names in self.SECTIONS:
            answers = []
            for name in names:
                if name == ASQ_NOW and not self.cleaned_data.get(ASQ_NOW):
                    continue
                if name in {
                    "pain_condition_other",
                    "treatment_other",
                } and not self.cleaned_data.get(name):
                    continue
                answers.append(
                    {"question": str(self.fields[name].label), "answer": self._shown(name)}
                )
            sections.append({"section": title, "answers": answers})
        return sections

    def _shown(self, name: str) -> str:
        field = self.fields[name]
        value = self.cleaned_data.get(name)
        if isinstance(field, forms.BooleanField):
            return "Yes" if value else "No"
        if isinstance(field, forms.ChoiceField):
            labels = {str(code): str(label) for code, label in field.choices}
            values = value if isinstance(value, list) else [value]
            shown = [labels.get(str(v), str(v)) for v in values if v not in (None, "")]
            return "; ".join(shown) if shown else "Not answered"
        if isinstance(value, datetime.date):
            return value.strftime("%m/%d/%Y")
        return str(value) if value not in (None, "") else "Not answered"
