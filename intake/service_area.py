"""Whether a ZIP code is likely inside the counties the clinic visits.

ZIP codes come from the `zipcodes` package's data. A ZIP code can straddle a county line, so the
answer is "likely in area", for staff to confirm with the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ServiceArea:
    county: str  # e.g. "King"; empty when the ZIP code is not in the data
    state: str
    in_area: bool | None  # None: ZIP code not found, staff confirm the address

    @property
    def known(self) -> bool:
        return self.in_area is not None


def _county_name(name: str) -> str:
    name = name.strip()
    return name.removesuffix(" County").strip().casefold()


@lru_cache(maxsize=1)
def _zip_index() -> dict[str, tuple[str, str]]:
    """ZIP code -> (state, county), built once per process from the package's data."""
    return {
        entry["zip_code"]: (entry["state"], entry["county"].removesuffix(" County"))
        for entry in zipcodes.list_all()
    }


def service_area_preload() -> None:
    """Build the ZIP code index now rather than on the first patient's request."""
    _zip_index()


def service_area_for_zip(zip_code: str) -> ServiceArea:
    """The county for a 5-digit (or ZIP+4) code and whether it is in SERVICE_AREA_COUNTIES."""
    found = _zip_index().get(zip_code.strip()[:5])
    if found is None:
        return ServiceArea(county="", state="", in_area=None)
    state, county = found
    served = {_county_name(c) for c in settings.SERVICE_AREA_COUNTIES}
    in_area = state == settings.SERVICE_AREA_STATE and _county_name(county) in served
    return ServiceArea(county=county, state=state, in_area=in_area)


def service_area_name() -> str:
    """The area served in words, e.g. "King, Pierce and Snohomish counties, Washington"."""
    counties = list(settings.SERVICE_AREA_COUNTIES)
    names = {"state": settings.SERVICE_AREA_STATE_NAME, "last": counties[-1]}
    if len(counties) == 1:
        return _("%(last)s County, %(state)s") % names
    names["listed"] = ", ".join(counties[:-1])
    return _("%(listed)s and %(last)s counties, %(state)s") % names
