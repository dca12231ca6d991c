from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class StaticFilesConfig(BaseStaticFilesConfig):
    # Bootstrap's package ships variants we never load; leaving them out keeps collectstatic quick.
    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.rtl.*",
        "*.esm.*",
        "jquery*",
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
