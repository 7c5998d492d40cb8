"""Periodic jobs of the assignments app (scheduled in egov.jobs.schedule): thin and idempotent."""

from __future__ import annotations

from egov.assignments.services import digest_send, escalate_overdue, recurring_spawn, reminders_due


def assignments_recurring() -> None:
    recurring_spawn()


def assignments_reminders() -> None:
    reminders_due()


def assignments_escalate() -> None:
    escalate_overdue()


def exchange_daily_digest() -> None:
    digest_send()
