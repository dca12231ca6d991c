from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from intake import views as intake_views
from pages import views as pages_views
from pages.sitemaps import ContentPageSitemap

urlpatterns = [
    path("", include("pages.urls")),
    path("screening/", include("intake.urls")),
    path(
        "fhir/Questionnaire/screening",
        intake_views.fhir_questionnaire,
        name="fhir_questionnaire",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": ContentPageSitemap}}, name="sitemap"),
    path("robots.txt", pages_views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", pages_views.security_txt, name="security_txt"),
]
