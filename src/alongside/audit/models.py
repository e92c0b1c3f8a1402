"""The audit log. Rows are only ever inserted: the model refuses updates and deletes, and database
triggers (see the migrations) refuse them too, on SQLite and PostgreSQL alike.

Actor and person are plain ids with a name snapshot rather than foreign keys, so the log stays
intact and readable whatever happens to the rows it mentions.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    END = "end", _("Ended")
    BREAK_GLASS = "break_glass", _("Emergency access")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk changes are refused here too, before any SQL: on SQLite no trigger refuses a DELETE
    (the test flush needs it), so this is where a stray ``filter(...).delete()`` is stopped."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def _raw_delete(self, using: Any) -> int:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=64)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    why = models.TextField(blank=True)
    path = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person_id", "-at"]),
            models.Index(fields=["actor_id", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class PrivacyContact(models.Model):
    """Who answers for an organisation when a person asks about an access to their record."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="privacy_contact"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Privacy contact of {self.organisation}: {self.user}"


class AccessFlag(models.Model):
    """The person says "I don't recognise this" about one entry of her access log. Kept until
    the organisation's privacy contact answers it, and after."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")
    person_id = models.BigIntegerField(db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    words = models.TextField(blank=True)
    flagged_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-flagged_at", "-pk"]

    def __str__(self) -> str:
        return f"Flag on audit event {self.event_id}"
