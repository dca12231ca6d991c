import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "avyia_site.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

from pages.service_area import service_area_preload  # noqa: E402

# A production server with a wrong or missing patient-data key must not start at all, rather than
# fail on the first request that reads patient data.
if settings.PRODUCTION:
    from intake.staff.keys import encryption_keys_verify

    encryption_keys_verify()

# gunicorn loads this module once and forks its workers from it (preload_app): what is loaded here
# is shared by all of them, and no worker may inherit the database connection used above.
service_area_preload()
connections.close_all()
