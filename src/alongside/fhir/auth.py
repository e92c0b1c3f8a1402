"""Who is asking, and with which SMART scopes.

A request to the FHIR API carries either an OAuth 2.0 bearer token issued by django-oauth-toolkit
(SMART App Launch or Backend Services) or the browser session. Either way it acts for one user and
never sees more than that user would: the scopes narrow, the access layer decides.

- ``patient/...`` scopes act for one person's record only: the person a staff user chose at
  launch (the token's ``LaunchContext``), else the person whose own login authorised the app;
  the access layer still decides what of it the user sees;
- ``user/...`` scopes act for everything the user may see;
- ``system/...`` scopes (Backend Services, client credentials) act for the user the client is
  registered to, for example a municipality's service account.

The browser session reads like ``user/*.read`` and never writes (writes need a token, so no
cross-site request can make one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from alongside.accounts.models import User
from alongside.people.models import Person


@dataclass(frozen=True)
class Grant:
    user: User
    scopes: frozenset[str]
    patient: Person | None
    client: str

    def _has(self, kind: str, mode: str) -> bool:
        levels = ["user", "system"] + (["patient"] if self.patient is not None else [])
        return any(
            f"{level}/{name}.{access}" in self.scopes
            for level in levels
            for name in (kind, "*")
            for access in (mode, "*")
        )

    def reads(self, kind: str) -> bool:
        return self._has(kind, "read")

    def writes(self, kind: str) -> bool:
        return self._has(kind, "write")

    @property
    def patient_only(self) -> bool:
        """Only patient-level scopes: the token sees its patient's record and nothing else."""
        return not any(s.startswith(("user/", "system/")) for s in self.scopes)


def _own_person(user: User) -> Person | None:
    return Person.objects.filter(user=user).first()


def grant_for(request: HttpRequest) -> Grant | None:
    """The grant this request carries, or ``None`` (answered 401)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Bearer "):
        token_model = get_access_token_model()
        token = (
            token_model.objects.filter(
                token_checksum=hashlib.sha256(header[7:].strip().encode()).hexdigest(),
                expires__gt=timezone.now(),
            )
            .select_related("user", "application__user", "launch_context__person")
            .first()
        )
        if token is None:
            return None
        user = token.user or (token.application.user if token.application else None)
        if not isinstance(user, User) or not user.is_active:
            return None
        scopes = frozenset(str(token.scope).split())
        patient = None
        if any(s.startswith("patient/") for s in scopes):
            # The person the user chose at launch, else their own record.
            launched = getattr(token, "launch_context", None)
            patient = launched.person if launched is not None else _own_person(user)
        name = token.application.name if token.application else "token"
        return Grant(user=user, scopes=scopes, patient=patient, client=str(name))
    user = request.user
    if isinstance(user, User) and user.is_active:
        return Grant(user=user, scopes=frozenset({"user/*.read"}), patient=None, client="session")
    return None
