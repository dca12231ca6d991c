from django.urls import path

from . import views

# Content pages: a new page is one line here plus its template; the sitemap lists these names.
CONTENT_PAGES = [
    ("", "home", "pages/home.html"),
    ("chronic-pain/", "chronic_pain", "pages/chronic_pain.html"),
    ("ketamine-for-chronic-pain/", "ketamine", "pages/ketamine.html"),
    ("at-home-ketamine-therapy/", "at_home", "pages/at_home.html"),
    ("faq/", "faq", "pages/faq.html"),
    ("privacy/", "privacy", "pages/privacy.html"),
    ("consumer-health-data-privacy/", "health_data_privacy", "pages/health_data_privacy.html"),
    ("terms/", "terms", "pages/terms.html"),
]

app_name = "pages"
urlpatterns = [
    path(route, views.ContentPageView.as_view(template_name=template), name=name)
    for route, name, template in CONTENT_PAGES
]
