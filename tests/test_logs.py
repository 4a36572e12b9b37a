"""Structured logs: request ids in and out, access lines, JSON output, task ids."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from ondijon.logs import request_id_var

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def formatter(name: str) -> logging.Formatter:
    """The formatter the settings configure for the console, built the same way."""
    options = dict(settings.LOGGING["formatters"][name])
    factory = import_string(options.pop("()"))
    if "format" in options:
        options["fmt"] = options.pop("format")
    return factory(**options)


@pytest.fixture
def json_output() -> Iterator[io.StringIO]:
    """What the production console handler prints, while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "ondijon.access"]


def test_every_response_carries_a_new_request_id(client, db) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert HEX_ID.match(first)
    assert first != second


def test_a_well_formed_incoming_request_id_is_kept(client, db) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-7f3a9c2e-0001")
    assert response["X-Request-ID"] == "proxy-7f3a9c2e-0001"


@pytest.mark.parametrize(
    "incoming", ["short", "x" * 200, "id with spaces", "abc\r\nInjected: yes", "é" * 10]
)
def test_a_malformed_incoming_request_id_is_replaced(client, db, incoming: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert HEX_ID.match(response["X-Request-ID"])


def test_records_logged_during_a_request_carry_its_id(client, db, caplog) -> None:
    caplog.set_level(logging.INFO)
    response = client.get("/page-qui-n-existe-pas/")
    request_id = response["X-Request-ID"]
    not_found = [record for record in caplog.records if record.name == "django.request"]
    assert not_found
    assert {record.request_id for record in not_found} == {request_id}
    assert request_id_var.get() is None  # nothing leaks to what runs next


def test_one_access_line_per_request_with_status_duration_and_user_id(
    client, operator, caplog
) -> None:
    caplog.set_level(logging.INFO)
    client.force_login(operator)
    response = client.get("/")
    [record] = access_records(caplog)
    assert record.request_id == response["X-Request-ID"]
    assert (record.method, record.path, record.status) == ("GET", "/", 200)
    assert record.user_id == operator.pk
    assert record.duration_ms >= 0


def test_an_anonymous_request_is_logged_without_user(client, db, caplog) -> None:
    caplog.set_level(logging.INFO)
    client.get("/healthz")
    [record] = access_records(caplog)
    assert record.user_id is None


def test_json_lines_parse_and_name_the_user_by_id_only(client, operator, json_output) -> None:
    client.force_login(operator)
    response = client.get("/", HTTP_X_REQUEST_ID="req-0123456789")
    lines = [json.loads(line) for line in json_output.getvalue().splitlines()]
    [access] = [line for line in lines if line["logger"] == "ondijon.access"]
    assert access["request_id"] == response["X-Request-ID"] == "req-0123456789"
    assert access["user_id"] == operator.pk
    assert (access["path"], access["status"], access["level"]) == ("/", 200, "INFO")
    assert isinstance(access["duration_ms"], float)
    assert {"time", "message"} <= set(access)
    assert operator.username not in json_output.getvalue()


def test_tracking_tokens_are_masked_in_access_lines(client, db, caplog) -> None:
    caplog.set_level(logging.INFO)
    token = "a" * 32
    client.get(f"/suivi/{token}/")
    [record] = access_records(caplog)
    assert token not in record.getMessage()
    assert record.path == "/suivi/<token>/"


def test_the_plain_format_shows_the_request_id(client, db) -> None:
    record = logging.LogRecord("demo", logging.INFO, __file__, 1, "hello", None, None)
    record.request_id = "req-0123456789"
    assert formatter("plain").format(record).endswith("hello [request_id=req-0123456789]")


def test_a_task_run_from_a_request_logs_with_the_request_and_task_ids(db, caplog) -> None:
    from incidents.tasks import route_incident

    caplog.set_level(logging.INFO)
    token = request_id_var.set("req-0123456789")
    try:
        result = route_incident.delay(987_654_321)  # eager: runs here, logs a warning
    finally:
        request_id_var.reset(token)
    [record] = [record for record in caplog.records if record.name == "incidents.tasks"]
    assert record.request_id == "req-0123456789"
    assert record.task_id == result.id


@pytest.mark.integration
def test_a_worker_logs_a_task_with_the_id_of_the_request_that_enqueued_it(
    celery_worker, caplog
) -> None:
    from incidents.tasks import route_incident

    caplog.set_level(logging.INFO)
    token = request_id_var.set("req-worker-0123456789")
    try:
        result = route_incident.delay(987_654_322)
    finally:
        request_id_var.reset(token)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        records = [record for record in caplog.records if record.name == "incidents.tasks"]
        if records:
            break
        time.sleep(0.05)
    [record] = records
    assert record.threadName != "MainThread"  # logged by the worker, not here
    assert record.request_id == "req-worker-0123456789"
    assert record.task_id == result.id
