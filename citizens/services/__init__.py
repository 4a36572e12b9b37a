"""Writes on citizen reports, their notifications, the phone portal and moderation."""

from citizens.photos import PhotoRefused
from citizens.services.moderation import (
    contacts_purge_expired,
    report_contact_hide,
    report_photo_hide,
    staged_photos_sweep,
)
from citizens.services.notifications import (
    citizen_message_deliver,
    citizens_notify_status_change,
)
from citizens.services.portal import call_log, quick_answer_ensure
from citizens.services.reports import (
    FixAnswerRefused,
    incident_follow,
    photos_stage,
    report_confirm_fix,
    report_reopen,
    report_submit,
)

__all__ = [
    "FixAnswerRefused",
    "PhotoRefused",
    "call_log",
    "citizen_message_deliver",
    "citizens_notify_status_change",
    "contacts_purge_expired",
    "incident_follow",
    "photos_stage",
    "quick_answer_ensure",
    "report_confirm_fix",
    "report_contact_hide",
    "report_photo_hide",
    "report_reopen",
    "report_submit",
    "staged_photos_sweep",
]
