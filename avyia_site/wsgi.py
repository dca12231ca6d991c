import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "avyia_site.settings")

application = get_wsgi_application()

# A production server with a wrong or missing patient-data key must not start at all, rather than
# fail on the first request that reads patient data.
from django.conf import settings  # noqa: E402

if settings.PRODUCTION:
    from intake.staff.keys import encryption_keys_verify

    encryption_keys_verify()
