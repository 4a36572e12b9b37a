"""The interface language: French first, English when chosen on the site, and remembered."""

from __future__ import annotations

from django.conf import settings


def test_a_browser_asking_for_english_still_gets_french(client, db) -> None:
    response = client.get("/signaler/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_choosing_english_on_the_site_gives_english_and_is_remembered(client, db) -> None:
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/signaler/"})
    assert chosen.status_code == 302
    cookie = chosen.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 180 * 24 * 3600
    response = client.get("/signaler/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "en"


def test_the_answer_varies_with_the_cookie_not_the_browser_language(client, db) -> None:
    response = client.get("/signaler/")
    assert "Cookie" in response["Vary"]
    assert "Accept-Language" not in response["Vary"]


def test_an_unknown_language_in_the_cookie_falls_back_to_french(client, db) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert client.get("/signaler/")["Content-Language"] == "fr"
