"""What the scheduled jobs keep between runs: which on-call alerts went out."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class OnCallAlert(models.Model):
    """One on-call e-mail about one request, for one repeat period.

    The unique constraint is what makes `alert_overdue` safe to run twice at once: each run claims
    a (request, kind, period) row before sending, and a second run finds it taken.
    """

    class Kind(models.TextChoices):
        NOT_REACHED = "not_reached", "Not reached in time"
        NOTICE_FAILED = "notice_failed", "Staff notice not sent"

    screening_request = models.ForeignKey(
        "intake.ScreeningRequest", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # 0 for the first alert, 1 for the one a repeat interval later, and so on.
    period = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening_request", "kind", "period"], name="one_alert_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.period}"
