"""An unknown id in a command's URL is a 404 (JSON on JSON endpoints), never a 500.

Replays the review's attack: crisis journal/member/close, alarm acknowledge/clear/procedure
step and task assign with an id that does not exist were server errors.
"""

from __future__ import annotations

import json

import pytest

UNKNOWN = 987654


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (f"/controle/alarmes/{UNKNOWN}/acquitter/", {}),
        (f"/controle/alarmes/{UNKNOWN}/lever/", {}),
        (f"/controle/alarmes/{UNKNOWN}/procedure/etape/", {}),
        (f"/controle/alarmes/{UNKNOWN}/procedure/etape/", {"step": "call", "answer": "yes"}),
    ],
)
def test_an_unknown_alarm_is_a_json_404(client, supervisor, url, body) -> None:
    client.force_login(supervisor)
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (f"/controle/crise/{UNKNOWN}/journal/", {"kind": "message", "text": "Point de situation"}),
        (f"/controle/crise/{UNKNOWN}/membre/", "member"),
        (f"/controle/crise/{UNKNOWN}/cloture/", {"summary": "Fin"}),
    ],
)
def test_an_unknown_crisis_is_a_404(client, supervisor, url, data) -> None:
    client.force_login(supervisor)
    if data == "member":
        data = {"member": supervisor.pk}
    assert client.post(url, data).status_code == 404


def test_assigning_an_unknown_task_is_a_404(client, operator, reference_configuration) -> None:
    client.force_login(operator)
    response = client.post(
        f"/api/v1/tasks/{UNKNOWN}/assign/", {"crew_id": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"error": response.json()["error"]}
