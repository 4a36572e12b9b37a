"""Evidence requests filed at the same moment get distinct references.

Replays the review's finding: the reference was `count() + 1`, so two filings in flight
together took the same number and one failed on the unique constraint.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from tests.services import require_postgresql
from traffic import services
from traffic.models import EvidenceRequest

pytestmark = pytest.mark.django_db(transaction=True)
FILINGS = 8


def test_simultaneous_filings_get_distinct_references(police_officer, camera) -> None:
    require_postgresql()
    start, errors = threading.Barrier(FILINGS), []

    def file(number: int) -> None:
        try:
            start.wait()
            now = timezone.now()
            services.evidence_request_file(
                by=police_officer,
                procedure_reference=f"PV {number}",
                authority="Parquet de Dijon",
                cameras=[camera],
                starts_at=now - timedelta(days=2),
                ends_at=now - timedelta(days=2) + timedelta(hours=1),
                motive="Enquête",
            )
        except Exception as error:  # collected: the assertion below names it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(number,)) for number in range(FILINGS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(EvidenceRequest.objects.values_list("reference", flat=True))
    assert len(set(references)) == FILINGS
