"""The site's WSGI application, naming in a header the worker process that answered.

Tests only: it lets a test against real gunicorn workers tell which worker served each response.
"""

from __future__ import annotations

import os

from avyia_site.wsgi import application as site_application


def application(environ, start_response):
    def start_response_with_pid(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return site_application(environ, start_response_with_pid)
