"""Permission changes are audited wherever they are made (admin, shell, migrations).

The acting user is known to the request only; a middleware keeps it in a context variable
for the signal handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models.signals import m2m_changed
from django.http import HttpRequest, HttpResponse

current_actor: ContextVar[Any] = ContextVar("current_actor", default=None)
_batch: ContextVar[list[str] | None] = ContextVar("audit_batch", default=None)


@contextmanager
def recorded_as_one(*, action: str, target: str, summary: str) -> Iterator[None]:
    """Setting up roles or demo users changes hundreds of memberships: one entry says so.

    Inside the block, permission changes are counted instead of recorded one by one, so
    the first page a supervisor reads is people's actions, not the installation's.
    """
    changes: list[str] = []
    token = _batch.set(changes)
    try:
        yield
    finally:
        _batch.reset(token)
    if changes:
        from hypervisor.services import audit_record

        audit_record(
            actor=current_actor.get(),
            action=action,
            target=target,
            summary=summary,
            after={"changes": len(changes)},
        )


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = current_actor.set(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(token)


def _names(model: type[models.Model], pks: set[int] | None) -> list[str]:
    if not pks:
        return []
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
        return sorted(f"{app}.{codename}" for app, codename in rows)
    return sorted(
        str(name)
        for name in model._default_manager.filter(pk__in=pks).values_list("name", flat=True)
    )


def _record(
    sender: Any, instance: Any, action: str, model: type, pk_set: set[int] | None, **_: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from hypervisor.services import audit_record

    field = "groups" if model is Group else "permissions"
    change = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    batch = _batch.get()
    if batch is not None:
        batch.append(f"{instance}: {field} {change}")
        return
    audit_record(
        actor=current_actor.get(),
        action="permissions.change",
        target=f"{type(instance).__name__.lower()}:{instance.pk}",
        summary=f"{instance}: {field} {change}",
        after={change: _names(model, pk_set)},
    )


def connect() -> None:
    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_record, sender=through, dispatch_uid=f"audit-{through.__name__}")
