"""The site's addresses plus one that fails as any view might, for audits only."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from avyia_site.urls import urlpatterns as site_urlpatterns

AUDIT_SERVER_ERROR_PATH = "audit/server-error/"


class AuditServerError(RuntimeError):
    """Raised on purpose: the audit looks at the 500 page it produces."""


def server_error_raised(request: HttpRequest) -> HttpResponse:
    raise AuditServerError("The audit asked for the 500 page.")


urlpatterns = [
    # In both languages, as every patient page: /es/ gets the Spanish 500 page.
    *i18n_patterns(
        path(AUDIT_SERVER_ERROR_PATH, server_error_raised), prefix_default_language=False
    ),
    *site_urlpatterns,
]
