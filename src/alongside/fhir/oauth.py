"""SMART on FHIR on top of django-oauth-toolkit.

- **App Launch**: authorization code with PKCE (required in settings). The token response carries
  ``patient`` (the person's logical id) when the app asked for ``launch/patient``: the person
  themselves when they logged in (standalone patient launch), or the person a staff user chose
  on the consent page among those the access layer lets them see (practitioner launch with a
  patient picker; the choice is a ``LaunchContext`` held by the code, then by the token, and
  carried over when a refresh token makes a new one). With the ``fhirUser`` scope the token
  response, and the id_token (scope ``openid``), carry ``fhirUser``: the absolute URL of
  ``Patient/<id>`` for a person, ``Practitioner/<id>`` for staff. id_tokens are signed RS256
  with the server's key (settings: ``OIDC_RSA_PRIVATE_KEY``, made locally outside production),
  verifiable with the keys at ``/oauth/.well-known/jwks.json``.
- **Backend Services**: client credentials where the client authenticates with a JWT signed with
  its private key (``client_assertion_type`` ``urn:ietf:params:oauth:client-assertion-type:
  jwt-bearer``, RS384 or ES384). The JWT's ``iss`` and ``sub`` are the client id, ``aud`` is the
  token endpoint, ``exp`` at most five minutes ahead, and its ``jti`` is used once.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk, jws
from jwcrypto.common import JWException
from oauth2_provider.models import get_access_token_model, get_application_model, get_grant_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from alongside.accounts.models import User
from alongside.fhir.models import BackendClient, LaunchContext, UsedAssertion
from alongside.organisations.models import StaffRole
from alongside.people.models import Person

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ("RS384", "ES384")
MAX_LIFETIME = timedelta(minutes=5)


def _claims(assertion: str, keys: dict[str, Any]) -> dict[str, Any] | None:
    """The verified claims of a client assertion, or ``None``."""
    try:
        token = jws.JWS()
        token.deserialize(assertion)
        header = token.jose_header
        if header.get("alg") not in ALGORITHMS:
            return None
        key_set = jwk.JWKSet.from_json(json.dumps(keys))
        kid = header.get("kid")
        candidates = [k for k in key_set["keys"] if kid is None or k.get("kid") == kid]
        for key in candidates:
            try:
                token.verify(key, alg=header["alg"])
            except JWException:
                continue
            claims: dict[str, Any] = json.loads(token.payload)
            return claims
    except (JWException, ValueError, KeyError, TypeError):
        return None
    return None


def _token_urls(request: Any) -> set[str]:
    """The token endpoint's absolute URL as the client may name it in ``aud`` (the host was
    checked against ALLOWED_HOSTS by Django already; behind TLS termination the scheme seen here
    may be http, so https is accepted too)."""
    headers = request.headers or {}
    host = headers.get("HTTP_HOST") or headers.get("SERVER_NAME", "")
    path = str(request.uri).split("?")[0]
    schemes = {str(headers.get("wsgi.url_scheme", "https")), "https"}
    return {f"{scheme}://{host}{path}" for scheme in schemes}


def fhir_user(user: object, base: str) -> str | None:
    """The user as a FHIR resource URL (SMART's ``fhirUser``): the person's own Patient, or
    the Practitioner of someone with a staff role; ``None`` for anyone else."""
    if not isinstance(user, User):
        return None
    own = Person.objects.filter(user=user).values_list("fhir_id", flat=True).first()
    if own is not None:
        return f"{base}Patient/{own}"
    if StaffRole.objects.filter(user=user).exists():
        return f"{base}Practitioner/{user.fhir_id}"
    return None


def _fhir_base(request: Any) -> str:
    headers = request.headers or {}
    host = headers.get("HTTP_HOST") or headers.get("SERVER_NAME", "")
    scheme = str(headers.get("wsgi.url_scheme", "https"))
    return f"{scheme}://{host}/fhir/R4/"


def _launched_person(request: Any) -> Person | None:
    """The person chosen for this token request: held by the code, or by the access token the
    refresh token belongs to."""
    if getattr(request, "grant_type", None) == "authorization_code" and request.code:
        found = LaunchContext.objects.filter(grant__code=request.code).select_related("person")
        context = found.first()
        return context.person if context else None
    refresh = getattr(request, "refresh_token_instance", None)
    if refresh is not None:
        context = (
            LaunchContext.objects.filter(access_token__source_refresh_token=refresh)
            .select_related("person")
            .first()
        ) or (
            LaunchContext.objects.filter(access_token_id=refresh.access_token_id)
            .select_related("person")
            .first()
        )
        return context.person if context else None
    return None


class SmartValidator(OAuth2Validator):  # type: ignore[misc]
    # ``fhirUser`` is released in the id_token only when its scope was granted.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "fhirUser": "fhirUser"}

    def save_authorization_code(
        self, client_id: str, code: dict[str, Any], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        super().save_authorization_code(client_id, code, request, *args, **kwargs)
        chosen = getattr(request, "smart_patient", None)
        if chosen is not None:
            grant = get_grant_model().objects.get(code=code["code"], application=request.client)
            LaunchContext.objects.create(grant=grant, person_id=int(chosen))

    def finalize_id_token(
        self, id_token: dict[str, Any], token: dict[str, Any], token_handler: Any, request: Any
    ) -> str:
        """An app registered without a signing algorithm gets its id_token signed RS256 with the
        server's key (the one the JWKS publishes), rather than an error."""
        client = request.client
        if client.algorithm != get_application_model().NO_ALGORITHM:
            signed: str = super().finalize_id_token(id_token, token, token_handler, request)
            return signed
        client.algorithm = get_application_model().RS256_ALGORITHM
        try:
            signed = super().finalize_id_token(id_token, token, token_handler, request)
        finally:
            client.algorithm = get_application_model().NO_ALGORITHM
        return signed

    def _get_client_by_audience(self, audience: str | list[str]) -> Any:
        """The app an id_token was issued to, for the key that verifies it (the hook
        django-oauth-toolkit leaves for this): RS256 for an app without an algorithm, as
        ``finalize_id_token`` signed it. In memory only."""
        application = super()._get_client_by_audience(audience)
        if application is not None and application.algorithm == application.NO_ALGORITHM:
            application.algorithm = application.RS256_ALGORITHM
        return application

    def get_oidc_issuer_endpoint(self, request: Any) -> str:
        """The issuer the SMART configuration names (the FHIR base), not a discovery URL."""
        return _fhir_base(request).rstrip("/")

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        found = fhir_user(getattr(request, "user", None), _fhir_base(request))
        return {"fhirUser": found} if found else {}

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if getattr(request, "client_assertion_type", None) == JWT_BEARER or (
            request.body
            and dict(request.decoded_body or []).get("client_assertion_type") == JWT_BEARER
        ):
            return self._authenticate_assertion(request)
        authenticated: bool = super().authenticate_client(request, *args, **kwargs)
        return authenticated

    def _authenticate_assertion(self, request: Any) -> bool:
        body = dict(request.decoded_body or [])
        assertion = str(body.get("client_assertion", ""))
        if not assertion or assertion.count(".") != 2:
            return False
        # The client id is in the assertion; trust it only once the signature checks out.
        try:
            unverified = json.loads(jws.base64url_decode(assertion.split(".")[1]))
        except (ValueError, TypeError):
            return False
        client_id = str(unverified.get("iss", ""))
        application = get_application_model().objects.filter(client_id=client_id).first()
        backend = (
            BackendClient.objects.filter(application=application).first() if application else None
        )
        if application is None or backend is None:
            return False
        claims = _claims(assertion, backend.jwks)
        if claims is None or claims.get("iss") != client_id or claims.get("sub") != client_id:
            return False
        audiences = claims.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if not set(audiences) & _token_urls(request):
            return False
        now = timezone.now()
        try:
            expires = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
        except (KeyError, ValueError, TypeError):
            return False
        if expires <= now or expires > now + MAX_LIFETIME or not claims.get("jti"):
            return False
        try:
            with transaction.atomic():
                UsedAssertion.objects.filter(expires_at__lt=now).delete()
                UsedAssertion.objects.create(jti=str(claims["jti"])[:255], expires_at=expires)
        except IntegrityError:
            return False  # a replayed assertion
        request.client = application
        request.client_id = client_id
        return True

    def save_bearer_token(
        self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        chosen = _launched_person(request)
        super().save_bearer_token(token, request, *args, **kwargs)
        scopes = str(token.get("scope", "")).split()
        user = getattr(request, "user", None)
        if not isinstance(user, User):
            return
        if "launch/patient" in scopes:
            person = Person.objects.filter(user_id=user.pk).first() or chosen
            if chosen is not None and person == chosen:
                checksum = hashlib.sha256(str(token["access_token"]).encode()).hexdigest()
                saved = get_access_token_model().objects.get(token_checksum=checksum)
                LaunchContext.objects.update_or_create(
                    access_token=saved, defaults={"person": chosen, "grant": None}
                )
            if person is not None:
                token["patient"] = str(person.fhir_id)
        if "fhirUser" in scopes:
            found = fhir_user(user, _fhir_base(request))
            if found:
                token["fhirUser"] = found
