"""The screening questionnaire and a request's answers as FHIR R4 resources, for an EHR.

Built from the questionnaire definition and validated by `fhir.resources` (its R4B models, which
read and write R4 JSON for these resources) before anything leaves the site. Every canonical URL is
made from SITE_URL, never from the host a request came in on.
"""

from .bundle import TASK_PRIORITY, TASK_STATUS, answered_version, screening_request_bundle
from .common import FHIR_JSON, canonical_url, site_url
from .definitions import (
    clinic_code_systems,
    code_system_resource,
    naming_system_resource,
    questionnaire_resource,
)

__all__ = [
    "FHIR_JSON",
    "TASK_PRIORITY",
    "TASK_STATUS",
    "answered_version",
    "canonical_url",
    "clinic_code_systems",
    "code_system_resource",
    "naming_system_resource",
    "questionnaire_resource",
    "screening_request_bundle",
    "site_url",
]
