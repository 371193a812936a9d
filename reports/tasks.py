"""Celery tasks of the reports app."""

from celery import shared_task
from django.utils import timezone

from .services import dashboard_refresh


@shared_task(name="reports.tasks.refresh_dashboard")
def refresh_dashboard() -> int:
    """Work out today's dashboard snapshot (beat, every day just after midnight)."""
    return dashboard_refresh(day=timezone.localdate()).pk
