# One date format for staff and patients (see core/dates.py): "Mon, Nov 30, 2026, 9:05 AM".
DATETIME_FORMAT = "D, M j, Y, g:i A"
SHORT_DATETIME_FORMAT = "D, M j, Y, g:i A"
# A day on the patient pages: "November 30, 2026" (Spanish: Django's "30 de noviembre de 2026").
DATE_FORMAT = "F j, Y"
