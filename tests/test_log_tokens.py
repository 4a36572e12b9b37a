"""Tracking tokens are masked in Django's own request lines too.

Replays the review's finding: `Not Found: /suivi/<token>/…` (django.request) and
`Forbidden (CSRF …): /suivi/<token>/reponse/` (django.security.csrf) printed the token.
"""

from __future__ import annotations

import logging

from django.test import Client

from tests.citizens.factories import submit_report


def test_a_404_line_does_not_print_the_tracking_token(client, reference_configuration, caplog):
    report = submit_report()
    with caplog.at_level(logging.INFO):
        response = client.get(f"/suivi/{report.token}/nope/")
        assert response.status_code == 404
        client.get(f"/suivi/{report.token}-x/")  # an unknown token, resolved by the view
    assert any(record.name == "django.request" for record in caplog.records)  # control
    assert report.token not in caplog.text


def test_a_csrf_refusal_does_not_print_the_tracking_token(reference_configuration, caplog):
    report = submit_report()
    browser = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO):
        response = browser.post(f"/suivi/{report.token}/reponse/", {"answer": "fixed"})
    assert response.status_code == 403
    assert any(record.name == "django.security.csrf" for record in caplog.records)  # control
    assert report.token not in caplog.text
    assert "<token>" in caplog.text
