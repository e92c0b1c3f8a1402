"""What the FHIR room keeps: the installation's own namespace, and Bulk Data export jobs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from oauth2_provider.settings import oauth2_settings


class Installation(models.Model):
    """One row: a random UUID made when this installation was set up. Ids derived from rows
    that have no logical id of their own (audit events) are UUIDv5 in this namespace, so they
    never repeat across installations and never reveal a database key."""

    namespace = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.namespace)


class ExportStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(models.Model):
    """A Bulk Data ``$export`` kick-off; polled at its status URL until it is done.

    Kicked off as ``queued``; a reminder worker claims it (``claimed_by`` until
    ``claimed_until``, taken over by another worker when that lease runs out), writes one
    resource type after another (``progress``) and marks it ``done``. Each job keeps its own
    output: nothing is shared between jobs."""

    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=16)  # "system" or "group"
    group = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    types = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=ExportStatus.choices)
    request_url = models.CharField(max_length=500)
    output = models.JSONField(default=dict)  # resource type -> NDJSON text
    progress = models.CharField(max_length=100, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="fhir_export_queue")]

    def __str__(self) -> str:
        return f"$export {self.level} {self.fhir_id} ({self.status})"


class BackendClient(models.Model):
    """A SMART Backend Services client (a municipality's system): the public keys (JWKS) it signs
    its client assertions with. The OAuth application itself is django-oauth-toolkit's, and its
    ``user`` is the account the system acts for."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="backend_client",
    )
    jwks = models.JSONField(help_text="{'keys': [...]} public keys, RS384 or ES384")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"backend client {self.application_id}"


class UsedAssertion(models.Model):
    """A client assertion's ``jti`` seen once; a replay is refused until it would have expired."""

    jti = models.CharField(max_length=255, unique=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.jti


class LaunchContext(models.Model):
    """The person a SMART launch works with, when the user chose one on the consent page (a
    practitioner launch with ``launch/patient``). Held by the authorization code until it is
    exchanged, then by the access token it became. The token still reads only what the access
    layer lets its user see of this person."""

    grant = models.OneToOneField(
        oauth2_settings.GRANT_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="launch_context",
    )
    access_token = models.OneToOneField(
        oauth2_settings.ACCESS_TOKEN_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="launch_context",
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"launch context {self.pk}"
