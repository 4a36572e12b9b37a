"""With a certificate and key configured, sites connect over TLS."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from tests.traffic.factories import CrossroadFactory
from tests.traffic.rsmp_harness import RsmpHarness, wait_for
from traffic.models import Crossroad, RsmpSite


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "supervisor.pem", tmp_path / "supervisor.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.django_db(transaction=True)
def test_a_site_connects_over_tls_when_the_supervisor_has_a_certificate(certificate):
    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    crossroad = CrossroadFactory(reference="CAR-501")
    RsmpSite.objects.create(site_id="KK+TLS", crossroad=crossroad)
    harness = RsmpHarness(watchdog_interval=1.0, ack_timeout=2.0, ssl_context=server)
    try:
        harness.site("KK+TLS", ssl_context=client)
        wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
        assert RsmpSite.objects.get(site_id="KK+TLS").connected
    finally:
        harness.stop()
