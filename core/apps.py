from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class CoreConfig(AppConfig):
    """What every app of ours shares: the audit trail, the staff admin site and sessions, phone
    numbers, client addresses, business hours. It imports no other app of ours."""

    name = "core"
    verbose_name = "Audit trail"


class StaffAdminConfig(AdminConfig):
    """Django's admin app with our site, which requires a second factor, as `admin.site`."""

    default_site = "core.admin_site.StaffAdminSite"

    def ready(self) -> None:
        super().ready()
        from . import staff_sessions  # noqa: F401  (connects the sign-in time receiver)


class StaticFilesConfig(BaseStaticFilesConfig):
    # Bootstrap's package ships variants we never load; leaving them out keeps collectstatic quick.
    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.rtl.*",
        "*.esm.*",
        # Bootstrap's copy only: the admin needs its own jQuery.
        "bootstrap/js/jquery*",
        "bootstrap-grid*",
        "bootstrap-reboot*",
        "bootstrap-utilities*",
        "bootstrap.css",
        "bootstrap.css.map",
        "bootstrap.js",
        "bootstrap.js.map",
        "bootstrap.min.js*",
        "bootstrap.bundle.js*",
    ]
