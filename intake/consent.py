"""The consent wording patients agree to, and its version (stored with every request).

Change the version whenever the wording changes, so each request records what was agreed to.
"""

CONSENT_VERSION = "screening-consent-1"

HEALTH_DATA_CONSENT = (
    "I agree that AVYIA may collect and use the health information in this form to find out "
    "whether at-home ketamine therapy may suit me, and to contact me about it."
)
NOT_FOR_EMERGENCIES = (
    "I understand that nobody watches this form in real time, so it is not for emergencies. "
    "In a crisis I will call or text 988, or call 911."
)
TEXT_REMINDERS = "Send me reminders about appointments by text message."
