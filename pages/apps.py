from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site content"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment check)
