"""The consent wording patients agree to, and its version (stored with every request).

Change the version whenever the wording changes, so each request records what was agreed to.
"""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "screening-consent-2"

HEALTH_DATA_CONSENT = _(
    "I agree that AVYIA may collect and use the health information in this form to find out "
    "whether at-home ketamine therapy may suit me, and to contact me about it."
)
NOT_FOR_EMERGENCIES = _(
    "I understand that nobody watches this form in real time, so it is not for emergencies. "
    "In a crisis I will call or text 988, or call 911."
)
TEXT_REMINDERS = _("Send me reminders about appointments by text message.")


def _health_data_consent_help() -> str:
    return format_html(
        gettext(
            'Read how we look after it in our <a href="{}">consumer health data privacy policy</a>.'
        ),
        reverse("pages:health_data_privacy"),
    )


HEALTH_DATA_CONSENT_HELP = lazy(_health_data_consent_help, str)()
