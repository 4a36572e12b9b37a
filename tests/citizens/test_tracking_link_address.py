"""The links e-mailed to citizens lead to the server that actually runs (its host and port)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def serve_without_serving(monkeypatch):  # type: ignore[no-untyped-def]
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.delenv("ONDIJON_PUBLIC_URL", raising=False)


def test_the_server_on_another_port_puts_that_port_in_the_tracking_links(
    serve_without_serving, settings, monkeypatch
) -> None:
    from citizens.services.notifications import _texts

    settings.CITIZENS_PUBLIC_URL = "http://127.0.0.1:8000"  # restored after the test
    call_command("serve", "--port", "8123", stdout=StringIO())
    monkeypatch.delenv("ONDIJON_PUBLIC_URL", raising=False)  # set by serve for its children
    view = {"reference": "ABC", "status": "routed", "status_label": "Routed", "category": "Pothole"}
    _subject, body = _texts(view, "", "tok")
    assert "http://127.0.0.1:8123/suivi/tok/" in body


def test_a_public_address_set_by_the_deployment_wins(
    serve_without_serving, settings, monkeypatch
) -> None:
    monkeypatch.setenv("ONDIJON_PUBLIC_URL", "https://signaler.example.fr")
    settings.CITIZENS_PUBLIC_URL = "https://signaler.example.fr"
    call_command("serve", "--port", "8124", stdout=StringIO())
    assert settings.CITIZENS_PUBLIC_URL == "https://signaler.example.fr"
