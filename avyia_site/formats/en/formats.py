# One date format for staff and patients (see intake/staff/dates.py): "Mon, Nov 30, 2026, 9:05 AM".
DATETIME_FORMAT = "D, M j, Y, g:i A"
SHORT_DATETIME_FORMAT = "D, M j, Y, g:i A"
