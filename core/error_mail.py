"""Server errors e-mailed to ADMINS without the request's data.

Django's AdminEmailHandler attaches the request (POST fields, cookies, headers) and its error
report can show local values: patient answers and session keys. This handler sends the log line
(for a failed request, "Internal Server Error: /path"; paths carry no patient data), the exception
class and the code lines of the traceback, and nothing else.
"""

from __future__ import annotations

import logging
import traceback

from django.conf import settings
from django.core.mail import mail_admins


class ErrorMailHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if not settings.ADMINS:
            return
        try:
            summary = record.getMessage().splitlines()[0][:150]
            lines = [f"{record.levelname} in {record.name}: {summary}"]
            if record.exc_info and record.exc_info[0]:
                exc_type, _exc, tb = record.exc_info
                # Frames only: the exception's own message may quote stored values.
                lines += ["", f"{exc_type.__module__}.{exc_type.__qualname__}", ""]
                lines += traceback.format_tb(tb)
            mail_admins(f"{record.levelname}: {summary}", "\n".join(lines), fail_silently=True)
        except Exception:  # a broken mail set-up must never turn one error into two
            self.handleError(record)
