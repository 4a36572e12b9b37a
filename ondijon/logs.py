"""Structured logs: a request id on every line, one access line per request, task ids.

`RequestLogMiddleware` takes the caller's `X-Request-ID` when it looks like one (a proxy
or a client correlating its calls) or forges one, returns it in the response and keeps it
in a context variable, which the log record factory copies onto every record logged
while the request runs, in threads that inherit the context too (Django runs sync views
of an ASGI request that way). A task enqueued during the request carries the id in its message
headers; the worker logs with it and with the task's own id.

The access line names the user by id only, the path with capability tokens masked, and no
query string: personal data stays out of the logs (tests/test_logs.py, test_pii_canary.py).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import sync_and_async_middleware

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")
# URL arguments that are secrets in themselves (a citizen's tracking link).
_SECRET_URL_ARGUMENTS = {"token"}
_TOKEN_IN_PATH = re.compile(r"^(/suivi/|/open311/v2/tokens/)(?!<token>)[^/]+")
CONTEXT_FIELDS = ("request_id", "task_id")

access_logger = logging.getLogger("ondijon.access")


def current_request_id() -> str | None:
    return request_id_var.get()


def request_id_from(value: str | None) -> str:
    """The caller's id when well-formed (no spaces, quotes or line breaks), else a new one."""
    if value and _VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


_base_record_factory = logging.getLogRecordFactory()


def _record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Every record, whatever handler receives it, carries the current request and task ids."""
    record = _base_record_factory(*args, **kwargs)
    for field, var in (("request_id", request_id_var), ("task_id", task_id_var)):
        value = var.get()
        if value is not None:
            setattr(record, field, value)
    return record


class RequestIdFilter(logging.Filter):
    """Django logs some lines about a request after the middleware returned (4xx answers):
    their record names the request, which holds its id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            request_id = getattr(getattr(record, "request", None), "request_id", None)
            if request_id is not None:
                record.request_id = request_id
        return True


class SecretPathFilter(logging.Filter):
    """Django's own lines about a request (`Not Found: /suivi/<token>/`, CSRF refusals)
    print its path: the tracking token in it is masked as in the access line, and the
    request object, which a JSON formatter would print whole, is replaced by that path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if request is None or not isinstance(path, str):
            return True
        masked = _logged_path(request)
        if masked != path:
            if isinstance(record.args, tuple):
                record.args = tuple(
                    arg.replace(path, masked) if isinstance(arg, str) else arg
                    for arg in record.args
                )
            record.msg = str(record.msg).replace(path, masked)
        record.request = f"{request.method} {masked}"
        return True


class PlainFormatter(logging.Formatter):
    """Human-readable lines for the embedded mode, ids in brackets when known."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        text = super().formatMessage(record)
        ids = [
            f"{field}={getattr(record, field)}"
            for field in CONTEXT_FIELDS
            if getattr(record, field, None)
        ]
        return f"{text} [{' '.join(ids)}]" if ids else text


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: logging never costs a query (nor, under
    # ASGI, a database call from the event loop).
    for attribute in ("_cached_user", "_acached_user"):
        user = getattr(request, attribute, None)
        if user is not None and getattr(user, "is_authenticated", False):
            return int(user.pk)
    return None


def _logged_path(request: HttpRequest) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in _SECRET_URL_ARGUMENTS and isinstance(value, str) and value:
                path = path.replace(value, f"<{name}>")
    # A path no route matched (a 404) still carries the token where tracking links put it.
    return _TOKEN_IN_PATH.sub(r"\1<token>", path)


def _begin(request: HttpRequest) -> tuple[Token[str | None], float]:
    request_id = request_id_from(request.META.get(_META_KEY))
    request.request_id = request_id  # type: ignore[attr-defined]
    return request_id_var.set(request_id), time.perf_counter()


def _end(request: HttpRequest, response: HttpResponseBase, started: float) -> None:
    response[HEADER] = request.request_id  # type: ignore[attr-defined]
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    status = response.status_code
    level = logging.ERROR if status >= 500 else logging.INFO
    access_logger.log(
        level,
        "%s %s %s %.1f ms",
        request.method,
        _logged_path(request),
        status,
        duration_ms,
        extra={
            "method": request.method,
            "path": _logged_path(request),
            "status": status,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
        },
    )


@sync_and_async_middleware
def RequestLogMiddleware(
    get_response: Callable[[HttpRequest], Any],
) -> Callable[[HttpRequest], Any]:
    """Gives each request an id, logs one access line with its outcome and duration."""
    if iscoroutinefunction(get_response):

        async def middleware_async(request: HttpRequest) -> HttpResponseBase:
            token, started = _begin(request)
            try:
                response = await get_response(request)
                _end(request, response, started)
                return response
            finally:
                request_id_var.reset(token)

        return middleware_async

    def middleware(request: HttpRequest) -> HttpResponseBase:
        token, started = _begin(request)
        try:
            response = get_response(request)
            _end(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    return middleware


# Celery: the request id travels in the task message's headers; the worker logs each
# task's lines with its id and the id of the request that enqueued it.
_task_tokens: dict[str, tuple[Token[str | None], Token[str | None]]] = {}


def _before_publish(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


def _task_request_id(task: Any) -> str | None:
    request = getattr(task, "request", None)
    value = getattr(request, "request_id", None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get("request_id")
    return value if isinstance(value, str) and _VALID_ID.match(value) else None


def _task_prerun(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None:
        return
    request_id = _task_request_id(task) or request_id_var.get()
    _task_tokens[task_id] = (task_id_var.set(task_id), request_id_var.set(request_id))


def _task_postrun(task_id: str | None = None, **kwargs: Any) -> None:
    tokens = _task_tokens.pop(task_id, None) if task_id else None
    if tokens is not None:
        task_token, request_token = tokens
        request_id_var.reset(request_token)
        task_id_var.reset(task_token)


def _keep_django_logging(**kwargs: Any) -> None:
    """Celery leaves the handlers of Django's LOGGING in place instead of its own."""


def install() -> None:
    """Ids on every log record, and carried through Celery; called once at start-up."""
    from celery import signals

    if logging.getLogRecordFactory() is not _record_factory:
        logging.setLogRecordFactory(_record_factory)

    signals.before_task_publish.connect(_before_publish, weak=False, dispatch_uid="ondijon-rid")
    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="ondijon-prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="ondijon-postrun")
    signals.setup_logging.connect(_keep_django_logging, weak=False, dispatch_uid="ondijon-log")
