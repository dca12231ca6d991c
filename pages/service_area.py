"""Whether a ZIP code is likely inside the counties the clinic visits (its profile's counties).

ZIP codes come from the `zipcodes` package's data. A ZIP code can straddle a county line, so the
answer is "likely in area", for staff to confirm with the patient. The counties are named in the
clinic profile; the state is a setting.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    return name.strip().casefold().removesuffix(" county").strip()


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


def counties_in_state() -> frozenset[str]:
    """The counties of the clinic's state, as the ZIP code data names them ("King")."""
    return _counties_of(settings.SERVICE_AREA_STATE)


@lru_cache(maxsize=4)
def _counties_of(state: str) -> frozenset[str]:
    # Every page names the area: one pass over the ZIP code data per process, not per request.
    return frozenset(county for zip_state, county in _zip_index().values() if zip_state == state)


def county_names(text: str) -> list[str]:
    """ "King, Pierce County,snohomish" -> ["King", "Pierce", "Snohomish"], spelled as the data."""
    spelled = {_county_name(county): county for county in counties_in_state()}
    names = [_county_name(part) for part in text.split(",") if part.strip()]
    return [spelled.get(name, name.title()) for name in names]


def counties_unknown(text: str) -> list[str]:
    """The names in `text` that are not counties of the clinic's state."""
    known = {_county_name(county) for county in counties_in_state()}
    return [name for name in county_names(text) if _county_name(name) not in known]


def service_area_for_zip(zip_code: str, counties: Sequence[str]) -> ServiceArea:
    """The county for a 5-digit (or ZIP+4) code and whether it is one of `counties`.

    With no counties (the clinic profile names none), nobody can say: staff confirm it.
    """
    found = _zip_index().get(zip_code.strip()[:5])
    served = {_county_name(county) for county in counties}
    if found is None:
        return ServiceArea(county="", state="", in_area=None)
    state, county = found
    if not served:
        return ServiceArea(county=county, state=state, in_area=None)
    in_area = state == settings.SERVICE_AREA_STATE and _county_name(county) in served
    return ServiceArea(county=county, state=state, in_area=in_area)


def service_area_name(counties: Sequence[str]) -> str:
    """The area in words, e.g. "King, Pierce and Snohomish counties, Washington"; empty for none."""
    if not counties:
        return ""
    names = {"state": settings.SERVICE_AREA_STATE_NAME, "last": counties[-1]}
    if len(counties) == 1:
        return _("%(last)s County, %(state)s") % names
    names["listed"] = ", ".join(counties[:-1])
    return _("%(listed)s and %(last)s counties, %(state)s") % names


def counties_words(counties: Sequence[str]) -> str:
    """ "King, Pierce and Snohomish" (Spanish: "King, Pierce y Snohomish")."""
    if len(counties) < 2:
        return "".join(counties)
    return _("%(some)s and %(last)s") % {"some": ", ".join(counties[:-1]), "last": counties[-1]}
