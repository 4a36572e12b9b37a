"""The live sockets accept only this site's own origin: scheme, host and port.

Replays the review's attack: the origin check compared host names only, so a page on
another port of the same host, or over plain HTTP, could open a staff socket.
"""

from __future__ import annotations

import pytest

from hypervisor.security.origin import same_origin


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        ("https://ondijon.example.org:8443", "ondijon.example.org"),
        ("https://ondijon.example.org", "ondijon.example.org:8443"),
        ("http://127.0.0.1:9000", "127.0.0.1:8140"),
        ("http://ondijon.example.org", "ondijon.example.org"),  # plain HTTP in production
        ("https://evil.example", "ondijon.example.org"),
        ("null", "ondijon.example.org"),
        ("", "ondijon.example.org"),
    ],
)
def test_another_scheme_host_or_port_is_refused(settings, origin, host) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert not same_origin(origin, host)


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        ("https://ondijon.example.org", "ondijon.example.org"),
        ("https://ondijon.example.org:443", "ondijon.example.org"),
        ("https://ondijon.example.org:8443", "ondijon.example.org:8443"),
    ],
)
def test_the_sites_own_origin_is_accepted(settings, origin, host) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert same_origin(origin, host)


def test_plain_http_is_accepted_where_the_site_serves_it(settings) -> None:
    settings.SECURE_SSL_REDIRECT = False
    assert same_origin("http://127.0.0.1:8140", "127.0.0.1:8140")
