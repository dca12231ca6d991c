"""The site's settings with one more address, for audits only: a page that fails, so an audit can
see the 500 page exactly as a patient would. Never used to serve patients.
"""

from avyia_site.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.audit_urls"
