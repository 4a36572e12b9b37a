"""A database that cannot be reached is answered with 503 and a request to retry."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from ondijon.errors import DatabaseUnavailableMiddleware, server_error


def _middleware() -> DatabaseUnavailableMiddleware:
    return DatabaseUnavailableMiddleware(lambda request: HttpResponse())


@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("closed")])
def test_a_lost_connection_in_a_form_is_a_page_asking_to_retry(error) -> None:
    request = RequestFactory().post("/signaler/")
    with translation.override("fr"):
        response = _middleware().process_exception(request, error)
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Réessayez dans quelques secondes" in response.content.decode()


def test_a_lost_connection_in_the_api_is_json_in_the_clients_language() -> None:
    request = RequestFactory().post("/api/v1/incidents/1/close/")
    with translation.override("en"):
        response = _middleware().process_exception(request, OperationalError("gone"))
    assert response is not None
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "try again in a few seconds" in response.content.decode()


def test_other_errors_are_left_to_the_usual_handling() -> None:
    request = RequestFactory().get("/")
    assert _middleware().process_exception(request, ValueError("bug")) is None


def test_a_database_error_raised_outside_a_view_is_a_503_too() -> None:
    request = RequestFactory().get("/controle/")
    try:
        raise OperationalError("the session could not be saved")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_any_other_server_error_keeps_the_generic_page() -> None:
    request = RequestFactory().get("/controle/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
