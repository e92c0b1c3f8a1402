"""What the server can do: the CapabilityStatement at ``metadata`` and the SMART configuration at
``.well-known/smart-configuration``, both built from the same tables the API runs on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from alongside.fhir.extensions import structure_definitions
from alongside.fhir.search import KINDS, RESULT_PARAMS

JSON = dict[str, Any]
SMART_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service"
SEARCH_TYPES = {
    "_id": "token",
    "_lastUpdated": "date",
    "patient": "reference",
    "subject": "reference",
    "status": "token",
    "date": "date",
    "category": "token",
}
WRITES = {"Goal": ["create", "update"], "QuestionnaireResponse": ["create"]}
SOFTWARE_DATE = "2026-11-29"


def _oauth_base(base: str) -> str:
    return base.split("/fhir/R4/")[0] + "/oauth/"


def capability_statement(base: str) -> JSON:
    oauth = _oauth_base(base)
    resources = []
    for name, kind in sorted(KINDS.items()):
        entry: JSON = {
            "type": name,
            "profile": f"http://hl7.org/fhir/StructureDefinition/{name}",
            "interaction": [
                {"code": code} for code in ["read", "search-type", *WRITES.get(name, [])]
            ],
            "versioning": "versioned" if name in WRITES else "no-version",
            "readHistory": False,
            "updateCreate": False,
            "searchParam": [
                {
                    "name": param,
                    "type": SEARCH_TYPES[param],
                    "documentation": "Patient/<id> or <id>"
                    if param in ("patient", "subject")
                    else param,
                }
                for param in kind.params
            ],
        }
        if name == "Goal":
            entry["conditionalUpdate"] = False
            entry["supportedProfile"] = [sd["url"] for sd in structure_definitions()]
        if name == "CarePlan":
            entry["searchInclude"] = ["CarePlan:goal"]
        resources.append(entry)
    resources.append(
        {
            "type": "StructureDefinition",
            "interaction": [{"code": "read"}, {"code": "search-type"}],
        }
    )
    return {
        "resourceType": "CapabilityStatement",
        "id": "alongside",
        "url": f"{base}metadata",
        "name": "AlongsideFHIR",
        "title": "Alongside FHIR R4 API",
        "status": "active",
        "date": SOFTWARE_DATE,
        "publisher": "Alongside",
        "kind": "instance",
        "software": {"name": "Alongside", "version": "0.1.0"},
        "implementation": {"description": "Alongside", "url": base.rstrip("/")},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Result parameters: "
                + ", ".join(sorted(RESULT_PARAMS - {"_offset"})),
                "security": {
                    "cors": False,
                    "service": [
                        {"coding": [{"system": SECURITY_SERVICE, "code": "SMART-on-FHIR"}]}
                    ],
                    "extension": [
                        {
                            "url": SMART_OAUTH_URIS,
                            "extension": [
                                {"url": "authorize", "valueUri": f"{oauth}authorize/"},
                                {"url": "token", "valueUri": f"{oauth}token/"},
                                {"url": "revoke", "valueUri": f"{oauth}revoke_token/"},
                            ],
                        }
                    ],
                    "description": "OAuth 2.0: SMART App Launch and SMART Backend Services",
                },
                "resource": resources,
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                    },
                    {
                        "name": "group-export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
                    },
                ],
            }
        ],
    }


def smart_configuration(request: HttpRequest) -> JSON:
    oauth = request.build_absolute_uri("/oauth/")
    provider: dict[str, Any] = settings.OAUTH2_PROVIDER
    scopes = [str(scope) for scope in provider["SCOPES"]]
    configuration: JSON = {
        "issuer": request.build_absolute_uri("/fhir/R4").rstrip("/"),
        "authorization_endpoint": f"{oauth}authorize/",
        "token_endpoint": f"{oauth}token/",
        "revocation_endpoint": f"{oauth}revoke_token/",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "context-standalone-patient",
            "permission-patient",
            "permission-user",
            "permission-v1",
        ],
    }
    if provider.get("OIDC_ENABLED"):
        configuration["jwks_uri"] = f"{oauth}.well-known/jwks.json"
        configuration["capabilities"] += ["sso-openid-connect"]
    return configuration
