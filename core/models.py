"""The audit trail's record: who looked at or did what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who did what to which request, and when: append-only, and never any patient data.

    A small model of our own rather than django-auditlog, which stores changed field values and so
    would copy decrypted answers into the log. Requests are named by reference code only, so an
    event outlives the request it describes.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        NOTE = "note", "Added a note"
        CONTACT = "contact", "Logged a contact attempt"
        PROTOCOL = "protocol", "Confirmed the suicide-risk protocol"
        EXPORT = "export", "Exported"
        DELETE = "delete", "Deleted"
        PURGE = "purge", "Purged"
        LINK = "link", "Linked requests of one person"
        ACCOUNT = "account", "Changed a staff account"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Kept as text as well, so the record still names the person if the account ever goes.
    actor_username = models.CharField("by", max_length=150, editable=False)
    action = models.CharField(max_length=10, choices=Action.choices, db_index=True, editable=False)
    reference = models.CharField(
        "request reference", max_length=9, blank=True, db_index=True, editable=False
    )
    detail = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        # The table the trail has always been kept in, from before it had an app of its own.
        db_table = "intake_auditevent"
        ordering = ["-occurred_at", "-pk"]
        verbose_name = "audit event"

    def __str__(self) -> str:
        return f"{self.actor_username} {self.get_action_display().lower()} {self.reference}".strip()

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Audit events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only: they cannot be deleted one by one.")
