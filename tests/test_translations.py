"""French is the default language: its catalogue must translate every string."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
FRENCH_CATALOGUES = sorted(
    [ROOT / "locale/fr/LC_MESSAGES/django.po", *ROOT.glob("*/locale/fr/LC_MESSAGES/django.po")]
)


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_has_a_french_translation_that_is_not_fuzzy(path: Path) -> None:
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    missing = [message.id for message in catalogue if message.id and not message.string]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert missing == []
    assert fuzzy == []


def test_french_is_served_by_default(client, db) -> None:
    page = client.get("/").content.decode()
    with translation.override("fr"):
        assert translation.gettext("Report a problem") in page
    assert 'lang="fr"' in page


def test_english_is_available_from_the_language_switch(client, db) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Report a problem" in page
    assert 'lang="en"' in page
