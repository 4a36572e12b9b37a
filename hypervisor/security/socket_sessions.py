"""A live socket lasts no longer than the session and the rights it was opened with.

Each staff socket joins its user's session group. Logging out closes the sockets of that
session; deactivating the user, or changing their roles or permissions, makes each of the
user's sockets check again and close if it may no longer be used. A periodic check closes a
socket whose session expired (idle or too old) or was deleted, even without any event.
Closing uses code 4401; the page then reconnects and is refused until the user logs in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from hypervisor.security.sessions import now, session_problem

logger = logging.getLogger(__name__)
SESSION_ENDED = 4401


def session_group(user_id: int) -> str:
    return f"sessions.user.{user_id}"


def _session_still_valid(
    user_id: int, session_key: str | None, allowed: Callable[[Any], bool]
) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    if session_key is not None:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
        if not store.exists(session_key):
            return False  # logged out, or flushed by an administrator
        if session_problem(user=user, session=store, at=now()):
            return False
    return allowed(user)


class SessionBoundSocket:
    """Mixin for a staff consumer: call `bind_session()` once accepted, `unbind_session()` on
    disconnect, and give `still_allowed(user)` (a fresh user from the database)."""

    _session_watch: asyncio.Task[None] | None = None
    _session_group: str | None = None

    def still_allowed(self, user: Any) -> bool:
        """Whether `user` (read again from the database) may still hold this socket.

        Each consumer answers with its own access rule, the one it checked on connecting;
        a consumer that forgot to would otherwise keep every socket open.
        """
        raise TypeError(f"{type(self).__name__} must say who may keep its socket open")

    def _session_key(self) -> str | None:
        session = self.scope.get("session")  # type: ignore[attr-defined]
        return getattr(session, "session_key", None) if session is not None else None

    async def bind_session(self) -> None:
        user = self.scope["user"]  # type: ignore[attr-defined]
        self._session_group = session_group(user.pk)
        await self.channel_layer.group_add(self._session_group, self.channel_name)  # type: ignore[attr-defined]
        self._session_watch = asyncio.create_task(self._watch_session())

    async def unbind_session(self) -> None:
        if self._session_watch is not None:
            self._session_watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._session_watch
            self._session_watch = None
        if self._session_group is not None:
            await self.channel_layer.group_discard(self._session_group, self.channel_name)  # type: ignore[attr-defined]
            self._session_group = None

    async def _watch_session(self) -> None:
        while True:
            await asyncio.sleep(settings.SOCKET_SESSION_CHECK_SECONDS)
            try:
                if not await self._recheck():
                    return
            except Exception:
                # The database briefly unreachable: keep the socket, check again next time.
                logger.warning("Could not check a socket's session; retrying", exc_info=True)

    async def _recheck(self) -> bool:
        user = self.scope["user"]  # type: ignore[attr-defined]
        valid = await database_sync_to_async(_session_still_valid)(
            user.pk, self._session_key(), self.still_allowed
        )
        if not valid:
            await self.close(code=SESSION_ENDED)  # type: ignore[attr-defined]
        return valid

    async def session_end(self, event: dict[str, Any]) -> None:
        """Logout: the sockets opened with that session close at once."""
        if event.get("session_key") in (None, self._session_key()):
            await self.close(code=SESSION_ENDED)  # type: ignore[attr-defined]

    async def session_recheck(self, event: dict[str, Any]) -> None:
        """The user's account or rights changed: is this socket still allowed?"""
        await self._recheck()


def _send(user_ids: Iterable[int], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for user_id in set(user_ids):
        try:
            async_to_sync(layer.group_send)(session_group(user_id), message)
        except Exception:
            # The periodic check still closes the socket; a missing layer must not fail a save.
            logger.exception("Could not tell the sockets of user %s to check again", user_id)


def _after_commit(user_ids: Iterable[int], message: dict[str, Any]) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: _send(ids, message))


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    key = getattr(getattr(request, "session", None), "session_key", None)
    _send([user.pk], {"type": "session.end", "session_key": key})


def _user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        _after_commit([instance.pk], {"type": "session.recheck"})


def _user_rights_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_remove", "post_clear", "post_add"):
        return
    if isinstance(instance, get_user_model()):
        user_ids: list[int] = [instance.pk]
    elif isinstance(instance, Group):
        user_ids = list(instance.user_set.values_list("pk", flat=True))
        if action != "post_clear" and pk_set and sender is get_user_model().groups.through:
            user_ids += list(pk_set)
    elif sender is Group.permissions.through:  # a permission taken from groups (pk_set)
        user_ids = list(
            get_user_model().objects.filter(groups__in=pk_set or []).values_list("pk", flat=True)
        )
    else:  # a permission taken from users (pk_set)
        user_ids = list(pk_set or [])
    _after_commit(user_ids, {"type": "session.recheck"})


def connect() -> None:
    user = get_user_model()
    user_logged_out.connect(_logged_out, dispatch_uid="hypervisor.sockets.logged_out")
    post_save.connect(_user_saved, sender=user, dispatch_uid="hypervisor.sockets.user_saved")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            _user_rights_changed,
            sender=through,
            dispatch_uid=f"hypervisor.sockets.{through.__name__}",
        )
