"""Periodic jobs (registered in wagtail_hooks through ``cong_periodic_jobs``)."""

from __future__ import annotations

from . import services


def consultations_close() -> int:
    return services.consultations_close_due()


def questions_remind() -> int:
    return services.questions_remind()


def contacts_erase() -> int:
    return services.contacts_erase_expired()
