"""The site's URLs plus shared content pages in places the cache must refuse (tests only)."""

from django.conf import settings
from django.urls import path

from avyia_site.urls import urlpatterns as site_urlpatterns
from pages.views import ContentPageView


class CookieSettingPrivacyPage(ContentPageView):
    """An opted-in page whose response sets a cookie: it must never be stored and replayed."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response.set_cookie("seen_privacy", "1")
        return response


privacy_page = ContentPageView.as_view(template_name="pages/privacy.html", page_name="privacy")
cookie_setting_page = CookieSettingPrivacyPage.as_view(
    template_name="pages/privacy.html", page_name="privacy"
)

urlpatterns = [
    path("screening/privacy-copy/", privacy_page),
    path("es/screening/privacy-copy/", privacy_page),
    path(settings.ADMIN_URL + "privacy-copy/", privacy_page),
    path("privacy-with-cookie/", cookie_setting_page),
    *site_urlpatterns,
]
