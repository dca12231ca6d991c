from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Screening requests"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the encryption-key check)
        from .staff import unsaved  # noqa: F401  (keeps a review typed as the session ends)
