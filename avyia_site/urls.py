from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from intake import fhir_views as intake_fhir_views
from intake import views as intake_views
from pages import views as pages_views
from pages.sitemaps import ContentPageSitemap

# What patients read and fill in: English at these paths, Spanish under /es/.
urlpatterns = [
    *i18n_patterns(
        path("", include("pages.urls")),
        path("screening/", include("intake.urls")),
        prefix_default_language=False,
    ),
    path(
        "fhir/Questionnaire/screening",
        intake_views.fhir_questionnaire,
        name="fhir_questionnaire",
    ),
    path(
        "fhir/CodeSystem/<slug:system_id>",
        intake_fhir_views.fhir_code_system,
        name="fhir_code_system",
    ),
    path(
        "fhir/NamingSystem/screening-request",
        intake_fhir_views.fhir_request_naming_system,
        name="fhir_request_naming_system",
    ),
    # One address per photo, whatever the page's language. Only names pages.photos makes; anything
    # else is a 404 without touching the disk.
    re_path(
        r"^media/clinicians/(?P<name>[0-9a-f]{32}\.webp)$",
        pages_views.clinician_photo,
        name="clinician_photo",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": ContentPageSitemap}}, name="sitemap"),
    path("robots.txt", pages_views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", pages_views.security_txt, name="security_txt"),
]

# Django's own 400 view reads the request body again (for its CSRF check); this one never does.
handler400 = "core.middleware.bad_request"
handler403 = "core.middleware.permission_denied"
