"""The screening questionnaire: every section, question, answer code and what each answer means.

This is the one place the questions are written. The form, the page, triage, the crisis message,
the staff pages, the CSV and FHIR exports, the demo and the benchmarks all read it. Answer codes
are stored with every request and exported: add new ones, never change or reuse old ones.

LOINC codes were checked against published sources (see `codes.py`); a code that could not be
confirmed is left out rather than guessed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from intake import consent
from intake.models import ScreeningRequest

from . import codes
from .model import Choice, Flag, Instrument, Kind, Part, Priority, Question, Questionnaire, Section
from .model import When as AskedWhen

YES, NO, NOT_SURE = "yes", "no", "not_sure"
YES_NO = (Choice(YES, _("Yes"), codes.ANSWER_YES), Choice(NO, _("No"), codes.ANSWER_NO))
# NIMH's ASQ counts a refusal to answer as a positive screen: the patient may decline each item.
DECLINED = "declined"
ASQ_CHOICES = (*YES_NO, Choice(DECLINED, _("I'd rather not answer"), codes.ASQ_DECLINED))
YES_NO_NOT_SURE = (*YES_NO, Choice(NOT_SURE, _("Not sure")))
ZERO_TO_TEN = tuple(Choice(n, str(n)) for n in range(11))

# --- Flags --------------------------------------------------------------------------------------
# Flags, their notes and the instruments' titles are read by staff, whose pages stay in English:
# they are not marked for translation. Everything a patient reads is.

NONE = "none"


def _condition(code: str, label: str, short: str) -> Flag:
    return Flag(code, label, raises=Priority.NEEDS_REVIEW, short=short)


ASQ_POSITIVE = Flag(
    "asq_positive",
    "Suicide risk screen positive (ASQ)",
    Priority.URGENT,
    crisis=True,
    short="Suicide risk: screen positive",
)
ASQ_DECLINED_FLAG = Flag(
    "asq_declined",
    "Declined the suicide questions (ASQ): counted as a positive screen",
    Priority.URGENT,
    crisis=True,
    short="Suicide risk: declined the suicide questions",
)
ASQ_ACUTE = Flag(
    "asq_acute",
    "Thoughts of suicide right now",
    Priority.ACUTE,
    crisis=True,
    short="Suicide risk: thoughts right now",
)
PHQ2_POSITIVE = Flag(
    "phq2_positive",
    "Depression screen positive (PHQ-2 3 or more)",
    Priority.NEEDS_REVIEW,
    short="Depression screen positive",
)
PAIN_UNDER_3_MONTHS = Flag(
    "pain_under_3_months", "Pain for less than 3 months", short="Pain under 3 months"
)
OUT_OF_AREA = Flag(
    "out_of_area", "ZIP code likely outside the service area", short="Outside service area"
)
AREA_UNKNOWN = Flag(
    "area_unknown", "ZIP code not found; service area to confirm", short="Area to confirm"
)

# PHQ-2: a total of 3 or more is a positive screen (Kroenke 2003).
PHQ2_POSITIVE_AT = 3


# --- Section 1: your pain -----------------------------------------------------------------------

PAIN_DURATION = Question(
    name="pain_duration",
    summary=_("How long you have had this pain"),
    text=_("How long have you had this pain?"),
    kind=Kind.ONE,
    choices=(
        Choice("under_3_months", _("Less than 3 months")),
        Choice("3_to_6_months", _("3 to 6 months")),
        Choice("6_to_12_months", _("6 to 12 months")),
        Choice("over_1_year", _("More than a year")),
    ),
    required_message=_("Choose how long you have had this pain."),
    # Chronic pain means pain for 3 months or longer: shorter pain is noted for the clinician.
    flag=PAIN_UNDER_3_MONTHS,
    flag_on=frozenset({"under_3_months"}),
)
OTHER = "other"
PAIN_CONDITIONS = Question(
    name="pain_conditions",
    summary=_("What a doctor said causes your pain"),
    text=_("Has a doctor told you that your pain comes from any of these?"),
    help_text=_("Choose all that apply."),
    kind=Kind.MANY,
    choices=(
        Choice("crps", _("Complex regional pain syndrome (CRPS)")),
        Choice("fibromyalgia", _("Fibromyalgia")),
        Choice(
            "neuropathic",
            _(
                "Nerve pain (neuropathic pain), such as diabetic neuropathy, sciatica or "
                "trigeminal neuralgia"
            ),
        ),
        Choice("phantom_limb", _("Phantom limb pain")),
        Choice("after_shingles", _("Pain after shingles")),
        Choice("sickle_cell", _("Sickle cell disease")),
        Choice("spinal_cord_injury", _("Spinal cord injury")),
        Choice("cancer", _("Pain related to cancer")),
        Choice("arthritis", _("Arthritis")),
        Choice("headache", _("Headache or migraine")),
        Choice("back_neck", _("Back or neck pain")),
        Choice(NOT_SURE, _("I am not sure, or I do not have a diagnosis yet")),
        Choice(OTHER, _("Something else")),
    ),
    required_message=_(
        "Choose at least one cause of your pain. If you do not know, choose “I am not sure”."
    ),
)
PAIN_CONDITION_OTHER = Question(
    name="pain_condition_other",
    summary=_("Other cause"),
    text=_("If you chose “Something else”, what is it?"),
    kind=Kind.TEXT,
    max_length=300,
    asked_when=AskedWhen(("pain_conditions",), frozenset({OTHER})),
    required_message=_("Tell us what the other cause of your pain is."),
)
PAIN_FEELINGS = Question(
    name="pain_feelings",
    summary=_("How your pain feels"),
    text=_("How does your pain feel?"),
    help_text=_("Choose all that apply."),
    kind=Kind.MANY,
    optional=True,
    choices=(
        Choice("burning", _("Burning")),
        Choice("dull_ache", _("A dull ache")),
        # "Throbbing" and "Pulsing" read as one feeling: offered once; an answer given before
        # still reads as the patient chose it.
        Choice("throbbing", _("Throbbing or pulsing")),
        Choice("squeezing", _("Squeezing")),
        Choice("shooting", _("Shooting")),
        Choice("pulsing", _("Pulsing"), retired=True),
    ),
)
# PEG (Krebs 2009): three 0-10 items about the past week, in the instrument's own words.
PEG_PAIN = Question(
    name="peg_pain",
    summary=_("Your pain on average, past week"),
    # Translators: PEG item. No published Spanish PEG could be confirmed: a careful translation,
    # to be checked against a validated Spanish PEG.
    text=_("What number best describes your pain on average in the past week?"),
    help_text=_("0 means no pain. 10 means pain as bad as you can imagine."),
    kind=Kind.SCALE,
    choices=ZERO_TO_TEN,
    required_message=_("Choose a number from 0 to 10 for your pain on average in the past week."),
    coding=codes.PEG_PAIN,
)
PEG_ENJOYMENT = Question(
    name="peg_enjoyment",
    summary=_("How much pain got in the way of enjoying life, past week"),
    text=_(
        # Translators: PEG item. No published Spanish PEG could be confirmed: a careful translation,
        # to be checked against a validated Spanish PEG.
        "What number best describes how, during the past week, pain has interfered with your "
        "enjoyment of life?"
    ),
    help_text=_("0 means it does not interfere. 10 means it completely interferes."),
    kind=Kind.SCALE,
    choices=ZERO_TO_TEN,
    required_message=_(
        "Choose a number from 0 to 10 for how much pain interfered with your enjoyment of life."
    ),
    coding=codes.PEG_ENJOYMENT,
)
PEG_ACTIVITY = Question(
    name="peg_activity",
    summary=_("How much pain got in the way of general activity, past week"),
    text=_(
        # Translators: PEG item. No published Spanish PEG could be confirmed: a careful translation,
        # to be checked against a validated Spanish PEG.
        "What number best describes how, during the past week, pain has interfered with your "
        "general activity?"
    ),
    help_text=_("0 means it does not interfere. 10 means it completely interferes."),
    kind=Kind.SCALE,
    choices=ZERO_TO_TEN,
    required_message=_(
        "Choose a number from 0 to 10 for how much pain interfered with your general activity."
    ),
    coding=codes.PEG_ACTIVITY,
)
TREATMENTS_TRIED = Question(
    name="treatments_tried",
    summary=_("Treatments tried"),
    text=_("Which treatments have you tried for this pain?"),
    help_text=_("Choose all that apply. If you have not tried any, leave these empty."),
    kind=Kind.MANY,
    optional=True,
    choices=(
        Choice("medicines", _("Pain medicines, including opioids")),
        Choice(
            "nerve_pain_medicines",
            _(
                "Medicines for nerve pain or fibromyalgia, such as duloxetine (Cymbalta), "
                "pregabalin (Lyrica) or gabapentin"
            ),
        ),
        # First worded "Physical therapy": broader now, so earlier answers stay true.
        Choice("physical_therapy", _("Exercise or physical therapy")),
        Choice("cbt", _("Talking therapy for pain, such as cognitive behavioral therapy (CBT)")),
        Choice("acupuncture_massage", _("Acupuncture or massage")),
        Choice("injections", _("Injections or nerve blocks")),
        Choice("surgery", _("Surgery")),
        Choice(OTHER, _("Something else")),
    ),
)
TREATMENT_OTHER = Question(
    name="treatment_other",
    summary=_("Other treatment"),
    text=_("If you chose “Something else”, what did you try?"),
    kind=Kind.TEXT,
    max_length=300,
    asked_when=AskedWhen(("treatments_tried",), frozenset({OTHER})),
    required_message=_("Tell us what else you tried."),
)
TREATMENT_HELPED = Question(
    name="treatment_helped",
    summary=_("Did any treatment help"),
    text=_("Did any of these treatments help?"),
    kind=Kind.ONE,
    choices=(
        Choice("a_lot", _("Yes, a lot")),
        Choice("a_little", _("A little")),
        Choice("mixed", _("Some helped, others did not")),
        Choice("no", _("Not really")),
        Choice("none_tried", _("I have not tried any treatments yet")),
    ),
    required_message=_("Tell us whether any treatment helped."),
)
SURGERY_PLANNED = Question(
    name="surgery_planned",
    summary=_("Planning to have surgery"),
    text=_("Are you planning to have surgery?"),
    # Pain relief around an operation comes from the surgical team in hospital, not from home
    # infusions (SOURCES.md): a clinician plans a course around it.
    help_text=_(
        "Any operation in the coming months. Your surgical team treats pain around the "
        "operation; we plan home treatment to fit with it."
    ),
    kind=Kind.ONE,
    choices=YES_NO_NOT_SURE,
    required_message=_("Tell us whether you are planning to have surgery."),
)

# --- Section 2: your health ---------------------------------------------------------------------

# The conditions a clinician reviews before ketamine (SOURCES.md), in the patient's words and in
# staff's. Having one, or not being sure, flags it; never an automatic "no": a clinician decides.
CONDITIONS = (
    (
        # Any heart disease or high blood pressure, even treated: patients cannot judge "well
        # controlled", and an ECG is advised for anyone with or at high risk of heart disease
        # (Cohen 2018). Broader than the code's first wording, so earlier answers stay true.
        _condition(
            "heart",
            "Heart disease or high blood pressure (even if treated)",
            "Heart condition",
        ),
        _("Heart disease or high blood pressure, even if it is treated"),
    ),
    (
        _condition("psychosis", "Psychosis, schizophrenia or mania", "Psychosis or mania"),
        _("Psychosis, schizophrenia or mania, now or in the past"),
    ),
    (_condition("liver", "Severe liver disease", "Liver disease"), _("Severe liver disease")),
    (
        _condition(
            "pressure",
            "Raised pressure in the brain or eye (e.g. glaucoma)",
            "Brain or eye pressure",
        ),
        _("High pressure inside your head or in your eyes, such as glaucoma"),
    ),
    (
        _condition("substance_use", "Active substance use problem", "Substance use"),
        _("A problem with alcohol or drug use right now"),
    ),
    (
        _condition("pregnancy", "Pregnant or breastfeeding", "Pregnancy"),
        _("Pregnant or breastfeeding"),
    ),
    (
        _condition("ketamine_allergy", "Ketamine allergy", "Ketamine allergy"),
        _("An allergy to ketamine"),
    ),
    (_condition("seizures", "Seizures", "Seizures"), _("Seizures")),
    (
        _condition("breathing", "Severe breathing problems", "Breathing problems"),
        _("Severe breathing problems"),
    ),
)
HEALTH_CONDITIONS = Question(
    name="health_conditions",
    summary=_("Health conditions"),
    text=_("Do you have any of these health conditions?"),
    help_text=_(
        "Choose all that apply. Having one does not rule you out: a clinician will talk it "
        "through with you."
    ),
    kind=Kind.MANY,
    choices=(
        *(Choice(flag.code, words, flag=flag) for flag, words in CONDITIONS),
        Choice(NONE, _("None of these"), exclusive=True),
        Choice(NOT_SURE, _("I am not sure about one of these")),
    ),
    required_message=_("Choose the health conditions you have, or “None of these”."),
)
HEALTH_NOT_SURE = Question(
    name="health_not_sure",
    summary=_("Not sure about"),
    text=_("Which of these are you not sure about?"),
    help_text=_("Choose all that you are not sure about."),
    kind=Kind.MANY,
    choices=tuple(Choice(flag.code, words, flag=flag) for flag, words in CONDITIONS),
    asked_when=AskedWhen((HEALTH_CONDITIONS.name,), frozenset({NOT_SURE})),
    required_message=_("Choose the health conditions you are not sure about."),
    flag_note="not sure",
)
# Opioids, benzodiazepines and other sedatives with ketamine can slow breathing (the label's
# interaction): each one taken now is flagged for a clinician to plan around.
SEDATING_MEDICINES = Question(
    name="sedating_medicines",
    summary=_("Sedating medicines you take now"),
    text=_("Do you take any of these now?"),
    help_text=_(
        "Choose all that apply. With ketamine, these can slow your breathing, so a clinician "
        "plans for them."
    ),
    kind=Kind.MANY,
    choices=(
        Choice(
            "opioid",
            _("Opioid pain medicine, such as oxycodone, hydrocodone, morphine or tramadol"),
            flag=_condition(
                "opioid", "Takes opioid pain medicine (slowed breathing)", "Opioid pain medicine"
            ),
        ),
        Choice(
            "benzodiazepine",
            _("A benzodiazepine, such as alprazolam (Xanax), lorazepam (Ativan) or clonazepam"),
            flag=_condition(
                "benzodiazepine", "Takes a benzodiazepine (slowed breathing)", "Benzodiazepine"
            ),
        ),
        Choice(
            "sedative",
            _("Another sedative or a sleeping pill, such as zolpidem (Ambien)"),
            flag=_condition(
                "sedative",
                "Takes another sedative or sleeping pill (slowed breathing)",
                "Sedative or sleeping pill",
            ),
        ),
        Choice(NONE, pgettext_lazy("medicines", "None of these"), exclusive=True),
    ),
    required_message=pgettext_lazy(
        "medicines", "Choose the medicines you take now, or “None of these”."
    ),
)
CURRENT_MEDICINES = Question(
    name="current_medicines",
    summary=_("Medicines you take now"),
    text=_("Which medicines do you take now?"),
    help_text=_("Include the dose if you know it. You can also tell us later."),
    kind=Kind.LONG_TEXT,
    optional=True,
    max_length=2000,
)
# PHQ-2 (Kroenke 2003): each item 0-3 over the last 2 weeks.
PHQ2_CHOICES = (
    # Translators: the PHQ-2's answers, as in the published Spanish (USA) PHQ screeners.
    Choice(0, _("Not at all"), codes.PHQ_NOT_AT_ALL, ordinal=0),
    Choice(1, _("Several days"), codes.PHQ_SEVERAL_DAYS, ordinal=1),
    Choice(2, _("More than half the days"), codes.PHQ_MORE_THAN_HALF, ordinal=2),
    Choice(3, _("Nearly every day"), codes.PHQ_NEARLY_EVERY_DAY, ordinal=3),
)
# Translators: the PHQ-2's lead-in, as in the published Spanish (USA) PHQ screeners.
PHQ2_STEM = _(
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
PHQ2_INTEREST = Question(
    name="phq2_interest",
    # Translators: PHQ-2 item, as in the published Spanish (USA) PHQ screeners.
    text=_("Little interest or pleasure in doing things"),
    kind=Kind.ONE,
    choices=PHQ2_CHOICES,
    required_message=_("Tell us how often you had little interest or pleasure in doing things."),
    coding=codes.PHQ2_INTEREST,
)
PHQ2_DOWN = Question(
    name="phq2_down",
    # Translators: PHQ-2 item, as in the published Spanish (USA) PHQ screeners.
    text=_("Feeling down, depressed, or hopeless"),
    kind=Kind.ONE,
    choices=PHQ2_CHOICES,
    required_message=_("Tell us how often you felt down, depressed or hopeless."),
    coding=codes.PHQ2_DOWN,
)
# ASQ (NIMH Ask Suicide-Screening Questions), in its own words. Any "yes", or declining to answer,
# is a positive screen.
ASQ_WISH_DEAD = Question(
    name="asq_wish_dead",
    # Translators: ASQ item: NIMH's Spanish ASQ ("Preguntas de detección del riesgo de
    # suicidio"), word for word.
    text=_("In the past few weeks, have you wished you were dead?"),
    kind=Kind.ONE,
    choices=ASQ_CHOICES,
    required_message=_("Answer yes or no: in the past few weeks, have you wished you were dead?"),
    coding=codes.ASQ_WISH_DEAD,
)
ASQ_BETTER_OFF = Question(
    name="asq_better_off",
    text=_(
        # Translators: ASQ item: NIMH's Spanish ASQ ("Preguntas de detección del riesgo de
        # suicidio"), word for word.
        "In the past few weeks, have you felt that you or your family would be better off if you "
        "were dead?"
    ),
    kind=Kind.ONE,
    choices=ASQ_CHOICES,
    required_message=_(
        "Answer yes or no: have you felt that you or your family would be better off if you were "
        "dead?"
    ),
    coding=codes.ASQ_BETTER_OFF,
)
ASQ_THOUGHTS = Question(
    name="asq_thoughts",
    # Translators: ASQ item: NIMH's Spanish ASQ ("Preguntas de detección del riesgo de
    # suicidio"), word for word.
    text=_("In the past week, have you been having thoughts about killing yourself?"),
    kind=Kind.ONE,
    choices=ASQ_CHOICES,
    required_message=_(
        "Answer yes or no: in the past week, have you been having thoughts about killing yourself?"
    ),
    coding=codes.ASQ_THOUGHTS,
)
ASQ_ATTEMPT = Question(
    name="asq_attempt",
    # Translators: ASQ item: NIMH's Spanish ASQ ("Preguntas de detección del riesgo de
    # suicidio"), word for word.
    text=_("Have you ever tried to kill yourself?"),
    kind=Kind.ONE,
    choices=ASQ_CHOICES,
    required_message=_("Answer yes or no: have you ever tried to kill yourself?"),
    coding=codes.ASQ_ATTEMPT,
)
ASQ_ITEMS = (ASQ_WISH_DEAD, ASQ_BETTER_OFF, ASQ_THOUGHTS, ASQ_ATTEMPT)
# The acuity question, asked after any "yes"; "yes" here means the patient may be in danger now.
ASQ_NOW = Question(
    name="asq_now",
    # Translators: ASQ item: NIMH's Spanish ASQ ("Preguntas de detección del riesgo de
    # suicidio"), word for word.
    text=_("Are you having thoughts of killing yourself right now?"),
    kind=Kind.ONE,
    choices=ASQ_CHOICES,
    # Without JavaScript this question is on the page from the start.
    help_text=_(
        "Answer this only if you answered yes to any question above, or chose not to answer one."
    ),
    asked_when=AskedWhen(tuple(q.name for q in ASQ_ITEMS), frozenset({YES, DECLINED})),
    required_message=_("Answer yes or no: are you having thoughts of killing yourself right now?"),
    coding=codes.ASQ_NOW,
)

# --- Section 3: about you (each kept in its own encrypted column) -------------------------------


def _choices_of(model_choices: type) -> tuple[Choice, ...]:
    # The request's own columns keep their choices on the model; the form offers the same.
    return tuple(Choice(value, label) for value, label in model_choices.choices)


ZIP_CODE = Question(
    name="zip_code",
    summary=_("ZIP code"),
    text=_("What is your ZIP code?"),
    help_text=_("The ZIP code of the home where you would have your treatment."),
    kind=Kind.ZIP,
    max_length=10,
    autocomplete="postal-code",
    required_message=_("Please enter your ZIP code, for example 98101."),
    column="zip_code",
)
CONTACT_METHOD = Question(
    name="contact_method",
    summary=_("How to contact you"),
    text=_("How would you like us to contact you?"),
    kind=Kind.ONE,
    choices=_choices_of(ScreeningRequest.ContactMethod),
    required_message=_("Please choose how we should contact you."),
    column="contact_method",
)
EMAIL_RECEIPT = "email_receipt"
ABOUT_YOU = (
    CONTACT_METHOD,
    Question(
        name="first_name",
        text=_("First name"),
        kind=Kind.NAME,
        max_length=100,
        autocomplete="given-name",
        required_message=_("Please enter your first name."),
        column="first_name",
    ),
    Question(
        name="last_name",
        text=_("Last name"),
        kind=Kind.NAME,
        max_length=100,
        autocomplete="family-name",
        required_message=_("Please enter your last name."),
        column="last_name",
    ),
    Question(
        name="date_of_birth",
        text=_("Date of birth"),
        # Month, day and year in boxes of their own, in US order, as the hint shows them.
        help_text=_("For example, 3 27 1980."),
        kind=Kind.BIRTH_DATE,
        autocomplete="bday",
        required_message=_("Please enter your date of birth."),
        column="date_of_birth",
    ),
    Question(
        name="phone",
        text=_("Mobile phone number"),
        help_text=_("A US number, for example (206) 555-0123."),
        required_note=_("needed if we are to call or text you"),
        kind=Kind.PHONE,
        autocomplete="tel",
        optional=True,
        required_when=AskedWhen((CONTACT_METHOD.name,), frozenset({"phone", "text"})),
        required_message=_("Please enter your mobile phone number, so we can call or text you."),
        column="phone",
    ),
    Question(
        name="email",
        text=_("E-mail address"),
        required_note=_("needed if we are to e-mail you, or to send you a receipt"),
        kind=Kind.EMAIL,
        max_length=254,
        autocomplete="email",
        optional=True,
        required_when=AskedWhen((CONTACT_METHOD.name, EMAIL_RECEIPT), frozenset({"email", True})),
        required_message=_("Please enter your e-mail address, so we can e-mail you."),
        column="email",
    ),
    Question(
        name=EMAIL_RECEIPT,
        summary=_("E-mail me a receipt"),
        text=_("E-mail me a receipt with my reference number"),
        help_text=_(
            "It says what happens next and how to reach us. It holds none of your health answers."
        ),
        kind=Kind.AGREE,
        optional=True,
    ),
    Question(
        name="contact_time",
        summary=_("Best time to reach you"),
        text=_("When is the best time to reach you?"),
        help_text=_("Pacific time, Monday to Friday. If you leave this, we contact you any time."),
        kind=Kind.ONE,
        choices=_choices_of(ScreeningRequest.ContactTime),
        optional=True,
        default=ScreeningRequest.ContactTime.ANY.value,
        column="contact_time",
    ),
    Question(
        name="how_heard",
        summary=_("How you heard about us"),
        text=_("How did you hear about us?"),
        kind=Kind.SELECT,
        optional=True,
        choices=(
            Choice("doctor", _("A doctor or other health professional")),
            Choice("search", _("An internet search")),
            Choice("friend", _("A friend or family member")),
            Choice("social", _("Social media")),
            Choice(OTHER, _("Somewhere else")),
        ),
        column="how_heard",
    ),
)

# --- Section 4: consent (never ticked in advance) -----------------------------------------------

CONSENT = (
    Question(
        name="consent_health_data",
        text=consent.HEALTH_DATA_CONSENT,
        help_text=consent.HEALTH_DATA_CONSENT_HELP,
        kind=Kind.AGREE,
        required_message=_("Please check this box so we can read your answers."),
    ),
    Question(
        name="consent_not_emergency",
        text=consent.NOT_FOR_EMERGENCIES,
        kind=Kind.AGREE,
        required_message=_(
            "Please check this box to show you have read that this form is not for emergencies."
        ),
    ),
    Question(
        name="sms_reminders",
        text=consent.TEXT_REMINDERS,
        help_text=_("You can say no and still ask for a screening. You can stop them at any time."),
        kind=Kind.AGREE,
        optional=True,
    ),
)

# --- The questionnaire --------------------------------------------------------------------------

PEG = Instrument(
    key="peg",
    title="PEG pain scale",
    items=(PEG_PAIN.name, PEG_ENJOYMENT.name, PEG_ACTIVITY.name),
    coding=codes.PEG_PANEL,
    score_coding=codes.PEG_SCORE,
    citation="Krebs EE et al. J Gen Intern Med 2009;24(6):733-738",
)
PHQ2 = Instrument(
    key="phq2",
    title="PHQ-2 depression screen",
    items=(PHQ2_INTEREST.name, PHQ2_DOWN.name),
    coding=codes.PHQ2_PANEL,
    score_coding=codes.PHQ2_TOTAL,
    citation="Kroenke K, Spitzer RL, Williams JBW. Med Care 2003;41(11):1284-1292",
)
ASQ = Instrument(
    key="asq",
    title="ASQ suicide risk screen",
    items=tuple(q.name for q in ASQ_ITEMS),
    acuity_item=ASQ_NOW.name,
    coding=codes.ASQ_PANEL,
    citation="NIMH Ask Suicide-Screening Questions (ASQ) toolkit",
)

SCREENING = Questionnaire(
    url="/fhir/Questionnaire/screening",
    name="AvyiaScreeningRequest",
    title=_("Request a screening"),
    # A new version whenever a question, an answer or a code changes: stored answers keep theirs.
    # ("screening-consent-1" was the first, before the questionnaire had a version of its own.)
    version="3",
    sections=(
        Section(
            slug="where",
            title=_("Where we visit"),
            intro=_("We give treatment in your home, so we start with where you live."),
            parts=(Part((ZIP_CODE,)),),
        ),
        Section(
            slug="pain",
            title=_("Your pain"),
            intro=_(
                "These questions help a clinician understand your pain and what you have tried."
            ),
            parts=(Part((PAIN_DURATION, PAIN_CONDITIONS, PAIN_CONDITION_OTHER, PAIN_FEELINGS)),),
        ),
        Section(
            slug="treatments",
            title=_("Your pain in the past week, and what you have tried"),
            intro="",
            parts=(
                Part((PEG_PAIN, PEG_ENJOYMENT, PEG_ACTIVITY)),
                Part(
                    (TREATMENTS_TRIED, TREATMENT_OTHER, TREATMENT_HELPED),
                    heading=_("Treatments you have tried"),
                ),
            ),
        ),
        Section(
            slug="health",
            title=_("Your health"),
            intro="",
            parts=(
                Part(
                    (HEALTH_CONDITIONS, HEALTH_NOT_SURE),
                    intro=_("A clinician needs to know about these before ketamine treatment."),
                ),
                Part((SEDATING_MEDICINES, CURRENT_MEDICINES, SURGERY_PLANNED)),
            ),
        ),
        Section(
            slug="feelings",
            title=_("How you have been feeling"),
            intro="",
            parts=(
                Part((PHQ2_INTEREST, PHQ2_DOWN), stem=PHQ2_STEM),
                Part(
                    (*ASQ_ITEMS, ASQ_NOW),
                    heading=_("Thoughts of suicide"),
                    intro=_(
                        "We ask everyone these questions. Living with pain can be very hard, and "
                        "your safety matters to us."
                    ),
                    crisis=True,
                ),
            ),
        ),
        Section(
            slug="about-you",
            title=_("About you"),
            intro=_("We use these details only to contact you about your screening."),
            parts=(Part(ABOUT_YOU),),
        ),
        Section(
            slug="consent",
            title=_("Consent"),
            intro=_(
                "Please read these and check the boxes you agree with. Nothing is checked for you."
            ),
            parts=(Part(CONSENT),),
        ),
    ),
    instruments=(PEG, PHQ2, ASQ),
    rule_flags=(
        ASQ_POSITIVE,
        ASQ_DECLINED_FLAG,
        ASQ_ACUTE,
        PHQ2_POSITIVE,
        OUT_OF_AREA,
        AREA_UNKNOWN,
    ),
)
