from __future__ import annotations


def test_healthz_answers_while_the_process_lives(client, db) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_ok_when_every_dependency_answers(client, db) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["down"] == []


def test_readyz_is_503_and_names_redis_when_it_does_not_answer(client, db, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["redis"]
    assert body["checks"]["redis"]["status"] == "down"
