"""Liveness and readiness probes for load balancers and compose health checks."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hypervisor.access import public


@require_safe
@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answering; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return None


def _check_redis(url: str) -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as error:
        return str(error) or type(error).__name__
    return None


@require_safe
@public
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready when the database, Redis and the Celery broker all answer; 503 names what is down."""
    checks: dict[str, dict[str, str]] = {}
    error = _check_database()
    checks["database"] = {"status": "down", "error": error} if error else {"status": "ok"}
    broker_url = None if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL
    for name, url in (("redis", settings.REDIS_URL), ("broker", broker_url)):
        if url is None:
            checks[name] = {"status": "ok", "mode": "embedded"}
            continue
        error = _check_redis(url)
        checks[name] = {"status": "down", "error": error} if error else {"status": "ok"}
    down = sorted(name for name, check in checks.items() if check["status"] != "ok")
    body = {"status": "down" if down else "ok", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200)
