"""SMART on FHIR on top of django-oauth-toolkit.

- **App Launch**: authorization code with PKCE (required in settings). The token response carries
  ``patient`` (the person's logical id) when the app asked for ``launch/patient`` and the person
  logged in themselves (standalone patient launch).
- **Backend Services**: client credentials where the client authenticates with a JWT signed with
  its private key (``client_assertion_type`` ``urn:ietf:params:oauth:client-assertion-type:
  jwt-bearer``, RS384 or ES384). The JWT's ``iss`` and ``sub`` are the client id, ``aud`` is the
  token endpoint, ``exp`` at most five minutes ahead, and its ``jti`` is used once.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk, jws
from jwcrypto.common import JWException
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from alongside.fhir.models import BackendClient, UsedAssertion
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


class SmartValidator(OAuth2Validator):  # type: ignore[misc]
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
        super().save_bearer_token(token, request, *args, **kwargs)
        scopes = str(token.get("scope", "")).split()
        user = getattr(request, "user", None)
        if "launch/patient" in scopes and user is not None and getattr(user, "pk", None):
            person = Person.objects.filter(user_id=user.pk).first()
            if person is not None:
                token["patient"] = str(person.fhir_id)
