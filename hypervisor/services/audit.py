"""Recording sensitive actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from hypervisor.models import AuditEntry


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: str,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; runs inside the caller's transaction so it commits with the action."""
    entry = AuditEntry(
        actor=actor if isinstance(actor, User) else None,
        action=action,
        target=target,
        summary=summary[:300],
        before=before,
        after=after,
    )
    entry.full_clean()
    entry.save()
    return entry
