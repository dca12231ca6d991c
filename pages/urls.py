from django.urls import path

from . import views

# Content pages: a new page is one line here, its template and its entry in page_info.PAGES (title
# and review date). The sitemap lists these names.
CONTENT_PAGES = [
    ("", "home", "pages/home.html"),
    ("chronic-pain/", "chronic_pain", "pages/chronic_pain.html"),
    ("ketamine-for-chronic-pain/", "ketamine", "pages/ketamine.html"),
    ("at-home-ketamine-therapy/", "at_home", "pages/at_home.html"),
    ("cost/", "cost", "pages/cost.html"),
    ("faq/", "faq", "pages/faq.html"),
    ("privacy/", "privacy", "pages/privacy.html"),
    ("consumer-health-data-privacy/", "health_data_privacy", "pages/health_data_privacy.html"),
    ("terms/", "terms", "pages/terms.html"),
    ("language-assistance/", "language_assistance", "pages/language_assistance.html"),
]

# Pages that show more than their template and page info.
PAGE_VIEWS = {
    "faq": views.FaqPageView,
    "home": views.CaringPageView,
    "at_home": views.CaringPageView,
    "language_assistance": views.LanguageHelpPageView,
}

app_name = "pages"
urlpatterns = [
    path(
        route,
        PAGE_VIEWS.get(name, views.ContentPageView).as_view(template_name=template, page_name=name),
        name=name,
    )
    for route, name, template in CONTENT_PAGES
]
