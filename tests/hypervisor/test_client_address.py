"""The client address rate limits count: the socket's, or a trusted proxy's header."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from hypervisor.client_address import client_ip, meta_key


def _request(**meta: str):  # type: ignore[no-untyped-def]
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", **meta)


def test_without_a_configured_header_a_forwarded_for_sent_by_the_client_is_ignored(
    settings,
) -> None:
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.5")) == "10.0.0.9"


def test_the_configured_header_gives_the_address(settings) -> None:
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(_request(HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"


def test_the_right_most_forwarded_address_is_the_one_the_proxy_appended(settings) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"


@pytest.mark.parametrize("value", ["", "not-an-address", "203.0.113.5, unknown"])
def test_a_missing_or_malformed_header_counts_under_the_socket_address(settings, value) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    assert client_ip(_request(HTTP_X_FORWARDED_FOR=value)) == "10.0.0.9"


def test_header_names_are_accepted_as_written_or_as_django_spells_them() -> None:
    assert meta_key("X-Forwarded-For") == "HTTP_X_FORWARDED_FOR"
    assert meta_key("HTTP_X_REAL_IP") == "HTTP_X_REAL_IP"
