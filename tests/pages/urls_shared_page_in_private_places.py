"""The site's URLs plus a shared content page mounted where patient data lives (tests only)."""

from django.conf import settings
from django.urls import path

from avyia_site.urls import urlpatterns as site_urlpatterns
from pages.views import ContentPageView

privacy_page = ContentPageView.as_view(template_name="pages/privacy.html", page_name="privacy")

urlpatterns = [
    path("screening/privacy-copy/", privacy_page),
    path(settings.ADMIN_URL + "privacy-copy/", privacy_page),
    *site_urlpatterns,
]
