"""An independent FHIR R4 validator for the tests, besides fhir.resources.

Four checks, each of which can fail on its own:

0. HL7's own R4 JSON Schema, ``fhir.schema.json`` as HL7 published it with R4 4.0.0 (vendored
   unchanged in ``tests/data/hl7-fhir-r4/``, see its README; the FHIRVersion codes gain
   ``4.0.1`` in memory): the whole document against the schema's root
   (a Bundle's entries through its ``ResourceList``), then each resource against its own
   definition for messages that name the property at fault; this one also knows the codes of
   required bindings (``Goal.lifecycleStatus``, ``Bundle.type``, ...);
1. the JSON Schema built from HL7's R4 (4.0.1) StructureDefinitions (``alongside/fhir/spec``):
   structure, types, primitive formats (the spec's regexes), cardinality, no empty arrays;
2. every FHIRPath invariant of the StructureDefinitions (``ele-1``, ``dom-2``, ``dom-3``,
   ``ref-1``, ``per-1``, ``con-3``, ``que-1``, ``bdl-7``, ...), evaluated with fhirpathpy on each
   element of the instance it applies to, the data type's own invariants included;
3. the fhir.resources (R4B) models; and our own extensions against the StructureDefinitions we
   publish (known URL, the value type they allow).

``validate(resource)`` returns the list of errors (empty when valid); ``assert_valid`` fails a
test with all of them. Warnings (``dom-6``: a resource should have a narrative) are kept apart.
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fhirpathpy
import jsonschema
import jsonschema_rs
from fhir.resources.R4B import get_fhir_model_class
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models as fhirpath_models

SPEC = Path(__file__).resolve().parents[1] / "src" / "alongside" / "fhir" / "spec"
HL7_SCHEMA = Path(__file__).resolve().parent / "data" / "hl7-fhir-r4" / "fhir.schema.json.gz"
# sha256 of HL7's fhir.schema.json (uncompressed) as vendored; see the README beside it.
HL7_SCHEMA_SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"


@functools.cache
def hl7_schema_text() -> bytes:
    return gzip.decompress(HL7_SCHEMA.read_bytes())


@functools.cache
def _hl7_schema() -> dict[str, Any]:
    """HL7's R4 schema as published with R4 4.0.0, plus the one change the 4.0.1 technical
    correction made that our resources meet: the FHIRVersion codes gained ``4.0.1`` (our
    CapabilityStatement and StructureDefinitions declare it). Made here, in memory; the file
    stays as HL7 published it."""
    text = hl7_schema_text()
    assert hashlib.sha256(text).hexdigest() == HL7_SCHEMA_SHA256, "HL7's schema file changed"
    data: dict[str, Any] = json.loads(text)
    for definition in data["definitions"].values():
        wanted = definition.get("properties", {}).get("fhirVersion")
        if wanted is None:
            continue
        codes = wanted["items"]["enum"] if "items" in wanted else wanted["enum"]
        assert codes[-1] == "4.0.0", codes  # the R4 4.0.0 schema, as vendored
        codes.append("4.0.1")
    return data


@functools.cache
def _hl7_validator(kind: str | None) -> Any:
    """HL7's schema as published (``None``), or rooted at one resource type's definition."""
    schema = _hl7_schema()
    if kind is None:
        return jsonschema_rs.Draft6Validator(schema)
    return jsonschema_rs.Draft6Validator(
        {"$ref": f"#/definitions/{kind}", "definitions": schema["definitions"]}
    )


@functools.cache
def _definitions() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SPEC / "r4-definitions.json").read_text())
    return data


@functools.cache
def _validator(kind: str) -> jsonschema.Draft7Validator:
    """The schema for one resource type (errors then name the property at fault)."""
    schema = json.loads((SPEC / "r4.schema.json").read_text())
    if kind not in schema["definitions"]:
        kind = "ResourceList"
    root = {"$ref": f"#/definitions/{kind}", "definitions": schema["definitions"]}
    return jsonschema.Draft7Validator(root, format_checker=jsonschema.FormatChecker())


@functools.cache
def _elements(type_name: str) -> dict[str, dict[str, Any]]:
    return {e["path"]: e for e in _definitions()[type_name]["elements"]}


# References resolvable in the instance being checked (a Bundle's fullUrls), set by ``inspect``.
_RESOLVABLE: dict[str, dict[str, Any]] = {}


def _has_value(inputs: list[Any]) -> list[bool]:
    """FHIRPath ``hasValue()`` (fhirpathpy lacks it): a single primitive with a value."""
    return [len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], dict | list)]


def _resolve(inputs: list[Any]) -> list[ResourceNode]:
    """FHIRPath ``resolve()`` (fhirpathpy lacks it): Bundle entries by fullUrl, and relative
    references ``Type/id`` as a resource of that type (enough for type tests like ``ctm-1``)."""
    out: list[ResourceNode] = []
    for item in inputs:
        reference = item.get("reference") if isinstance(item, dict) else item
        if not isinstance(reference, str):
            continue
        if reference in _RESOLVABLE:
            out.append(ResourceNode.create_node(_RESOLVABLE[reference]))
        elif "/" in reference and not reference.startswith(("urn:", "http", "#")):
            kind, _, ident = reference.partition("/")
            out.append(ResourceNode.create_node({"resourceType": kind, "id": ident}))
    return out


_FUNCTIONS = {
    "hasValue": {"fn": _has_value, "arity": {0: []}},
    "resolve": {"fn": _resolve, "arity": {0: []}},
}


@functools.cache
def _compiled(expression: str) -> Any:
    return fhirpathpy.compile(
        expression,
        fhirpath_models["r4"],
        {"userInvocationTable": _FUNCTIONS, "traceFn": lambda *args: None},
    )


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)


def _element_for(type_name: str, path: str, key: str) -> tuple[dict[str, Any], str] | None:
    """The element definition a JSON key names, and the type code its value has."""
    elements = _elements(type_name)
    direct = elements.get(f"{path}.{key}")
    if direct is not None:
        return direct, ""
    for candidate_path, element in elements.items():
        if not candidate_path.endswith("[x]") or candidate_path.rpartition(".")[0] != path:
            continue
        stem = candidate_path.rpartition(".")[2][:-3]
        if key.startswith(stem):
            suffix = key[len(stem) :]
            for kind in element["types"]:
                code = kind[1] if isinstance(kind, list) else kind
                if code[:1].upper() + code[1:] == suffix:
                    return element, code
    return None


def _collect(
    found: dict[tuple[str, str], tuple[str, str, str]],
    node: Any,
    type_name: str,
    path: str,
    fhirpath: str,
) -> None:
    """Gather (FHIRPath of the node, invariant) for every complex element in ``node``."""
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "resourceType" or key.startswith("_"):
            continue
        located = _element_for(type_name, path, key)
        if located is None:
            continue  # the schema reports unknown properties
        element, choice = located
        if choice:
            stem = element["path"].rpartition(".")[2][:-3]
            here = f"{fhirpath}.{stem}.ofType({choice})"
        else:
            here = f"{fhirpath}.{key}"
        code = choice or next((k for k in element["types"] if isinstance(k, str)), "")
        items = value if isinstance(value, list) else [value]
        if not any(isinstance(item, dict) for item in items):
            continue  # primitives: format and emptiness are the schema's
        for key_, severity, expression in element["constraints"]:
            found[(here, expression)] = (key_, severity, expression)
        for item in items:
            if "ref" in element:
                _collect(found, item, type_name, element["ref"], here)
            elif code in ("BackboneElement", "Element"):
                _collect(found, item, type_name, element["path"], here)
            elif code in _definitions() and _definitions()[code]["kind"] == "complex-type":
                for key_, severity, expression in _definitions()[code]["elements"][0][
                    "constraints"
                ]:
                    found[(here, expression)] = (key_, severity, expression)
                _collect(found, item, code, code, here)


def _resource(report: Report, resource: dict[str, Any], where: str) -> None:
    """Evaluate every invariant that applies to this resource's elements, from its root."""
    kind = resource.get("resourceType", "")
    if kind not in _definitions():
        report.errors.append(f"{where}: no definition for resourceType {kind!r}")
        return
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for key, severity, expression in _definitions()[kind]["elements"][0]["constraints"]:
        found[(kind, expression)] = (key, severity, expression)
    inner = []
    if kind == "Bundle":  # entries are checked as resources of their own (%resource is theirs)
        inner = [e["resource"] for e in resource.get("entry", []) if "resource" in e]
    _collect(found, resource, kind, kind, kind)
    for (fhirpath, _), (key, severity, expression) in found.items():
        report.checked.add(key)
        try:
            # An invariant holds where it is true, and where it says nothing (empty): a
            # Reference with only a display has no reference to test for ref-1.
            result = _compiled(f"{fhirpath}.all(({expression}).empty() or ({expression}))")(
                resource, {"resource": resource, "rootResource": resource}
            )
        except Exception as failure:  # an invariant that cannot be evaluated is a failure
            report.errors.append(f"{where} {fhirpath}: {key} could not be evaluated: {failure}")
            continue
        if result != [True]:
            message = f"{where} {fhirpath}: {key} failed ({expression})"
            (report.errors if severity == "error" else report.warnings).append(message)
    for index, entry in enumerate(inner):
        _resource(report, entry, f"{where}.entry[{index}]")


def _extensions(report: Report, data: Any, where: str, known: dict[str, set[str]]) -> None:
    if isinstance(data, list):
        for index, item in enumerate(data):
            _extensions(report, item, f"{where}[{index}]", known)
        return
    if not isinstance(data, dict):
        return
    for extension in data.get("extension", []):
        url = extension.get("url", "")
        if url.startswith("urn:") or "alongside" in url:
            if url not in known:
                report.errors.append(f"{where}: extension {url} has no StructureDefinition")
                continue
            values = {k[len("value") :] for k in extension if k.startswith("value")}
            allowed = known[url]
            if not values or not values <= allowed:
                report.errors.append(f"{where}: extension {url} value {values} not in {allowed}")
    for key, value in data.items():
        if key != "extension":
            _extensions(report, value, f"{where}.{key}", known)


def published_extensions() -> dict[str, set[str]]:
    """Our extensions' URLs and value types, read from the StructureDefinitions we publish."""
    from alongside.fhir.extensions import structure_definitions

    known: dict[str, set[str]] = {}
    for definition in structure_definitions():
        value = next(
            e for e in definition["differential"]["element"] if e["path"] == "Extension.value[x]"
        )
        known[definition["url"]] = {t["code"][:1].upper() + t["code"][1:] for t in value["type"]}
    return known


def _hl7(report: Report, resource: dict[str, Any], where: str) -> None:
    """HL7's ``fhir.schema.json``: the document as a whole, then each resource on its own."""
    if not _hl7_validator(None).is_valid(resource):
        report.errors.append(f"hl7 schema {where or '/'}: not valid against fhir.schema.json")
    kind = str(resource.get("resourceType"))
    if kind not in _hl7_schema()["definitions"]:
        report.errors.append(f"hl7 schema {where}: no definition for resourceType {kind!r}")
        return
    for error in _hl7_validator(kind).iter_errors(resource):
        location = "/".join(str(p) for p in error.instance_path)
        report.errors.append(f"hl7 schema {where}/{location}: {error.message[:300]}")
    if kind == "Bundle":
        for index, entry in enumerate(resource.get("entry", [])):
            if isinstance(entry.get("resource"), dict):
                inner = entry["resource"]
                if not _hl7_validator(None).is_valid(inner):
                    _hl7(report, inner, f"{where}/entry/{index}/resource")


def _schema(report: Report, resource: dict[str, Any], where: str) -> None:
    for error in _validator(str(resource.get("resourceType"))).iter_errors(resource):
        location = "/".join(str(p) for p in error.absolute_path)
        report.errors.append(f"schema {where}/{location}: {error.message[:300]}")
    if resource.get("resourceType") == "Bundle":
        for index, entry in enumerate(resource.get("entry", [])):
            if isinstance(entry.get("resource"), dict):
                _schema(report, entry["resource"], f"{where}/entry/{index}/resource")


def inspect(resource: dict[str, Any]) -> Report:
    report = Report()
    _RESOLVABLE.clear()
    for entry in resource.get("entry", []) if resource.get("resourceType") == "Bundle" else []:
        if "fullUrl" in entry and isinstance(entry.get("resource"), dict):
            _RESOLVABLE[entry["fullUrl"]] = copy.deepcopy(entry["resource"])
    _hl7(report, copy.deepcopy(resource), "")
    _schema(report, copy.deepcopy(resource), "")
    _resource(report, copy.deepcopy(resource), resource.get("resourceType", "?"))
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(copy.deepcopy(resource))
    except (ValueError, KeyError) as invalid:
        report.errors.append(f"fhir.resources: {invalid}")
    _extensions(report, resource, resource.get("resourceType", "?"), published_extensions())
    return report


def validate(resource: dict[str, Any]) -> list[str]:
    return inspect(resource).errors


def assert_valid(resource: dict[str, Any]) -> Report:
    report = inspect(resource)
    assert not report.errors, "\n".join(report.errors[:40])
    return report
