"""English is complete on the staff pages: no French string of the catalogues, nor French
data labels (statuses, categories, alarm kinds, severities, priorities, trades), shows."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from hypervisor.models import Alarm, AlarmRule, Severity
from hypervisor.roles import Role
from tests.hypervisor.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = [
    ROOT / "locale/fr/LC_MESSAGES/django.po",
    *ROOT.glob("*/locale/fr/LC_MESSAGES/django.po"),
]


def _french_phrases() -> set[str]:
    """Every French translation that differs from its English source, long enough to mean
    something on its own (single short words such as "Normal" read the same)."""
    phrases = set()
    for path in CATALOGUES:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                sources = message.id if isinstance(message.id, tuple) else [message.id]
                for french in strings:
                    if not french or french in sources or "%(" in french or "{" in french:
                        continue
                    if len(french) >= 8 and re.search(r"[a-zà-ÿ]{3}", french):
                        phrases.add(french)
    return phrases


def _proper_names() -> set[str]:
    """Shown as they are in any language: the language switch's own names, the services
    (the organisation's units are called by their names)."""
    from hypervisor.models import Service

    return {"Français", *Service.objects.values_list("name", flat=True)}


def _french_data_labels() -> set[str]:
    """French labels kept in the data beside their English ones: categories, trades, alarm
    kinds, procedures and their steps."""
    from hypervisor.models import AlarmRule, Procedure, ProcedureStep
    from incidents.models import Category, Trade

    pairs = [
        *Category.objects.values_list("label_fr", "label_en"),
        *Trade.objects.values_list("label_fr", "label_en"),
        *AlarmRule.objects.values_list("title_fr", "title_en"),
        *Procedure.objects.values_list("title_fr", "title_en"),
        *ProcedureStep.objects.values_list("text_fr", "text_en"),
    ]
    return {french for french, english in pairs if french and english and french != english}


def _french_in(text: str) -> list[str]:
    names = _proper_names()
    return sorted(
        phrase
        for phrase in (_french_phrases() | _french_data_labels()) - names
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    )


def _visible(page: str) -> str:
    page = re.sub(r"<(style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def staff_world(reference_configuration, open_incident, lighting_crew, supervisor):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from hypervisor.models import Commune, StaffProfile

    open_incident()
    now = timezone.now()
    Alarm.objects.create(
        kind="cabinet-power",
        asset_type="cabinet",
        asset_id="ARM-1",
        severity=Severity.CRITICAL,
        # Stored in the language it was raised in: French, the default.
        title=AlarmRule.objects.filter(alarm_kind="cabinet-power").first().title_fr,
        lat=47.322,
        lon=5.041,
        raised_at=now,
        last_raised_at=now,
    )
    official = UserFactory(username="elisa", roles=[Role.ELECTED_OFFICIAL])
    StaffProfile.objects.create(user=official, commune=Commune.objects.get(insee="21231"))
    return {"superviseur": supervisor, "elu": official}


STAFF_PAGES = [
    ("superviseur", "/controle/"),
    ("superviseur", "/controle/kpis/"),
    ("superviseur", "/controle/journal/"),
    ("superviseur", "/controle/crise/"),
    ("superviseur", "/eclairage/"),
    ("superviseur", "/signalisation/"),
    ("superviseur", "/interventions/"),
    ("elu", "/elus/"),
]


@pytest.mark.parametrize(("who", "path"), STAFF_PAGES)
def test_the_staff_page_shows_no_french_in_english(
    client, staff_world, who: str, path: str
) -> None:
    client.force_login(staff_world[who])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path)
    assert response.status_code == 200
    text = _visible(response.content.decode())
    assert 'lang="en"' in response.content.decode()
    assert _french_in(text) == []


def test_the_positive_control_finds_french_on_a_french_page(client, staff_world) -> None:
    client.force_login(staff_world["superviseur"])
    text = _visible(client.get("/controle/kpis/").content.decode())
    assert _french_in(text) != []


def test_live_labels_are_relabelled_in_english(client, staff_world) -> None:
    """The live feed carries the sender's language; the page's vocabulary is English."""
    client.force_login(staff_world["superviseur"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/controle/").content.decode()
    raw = re.search(r'id="vocabularies-data"[^>]*>(.*?)</script>', page, re.S)
    assert raw is not None
    vocabularies = json.loads(raw.group(1))
    assert vocabularies["incidents"]["category"]["labels"]["eclairage-panne"] == "Street light out"
    assert vocabularies["incidents"]["status_label"]["labels"]["assigned"] == "Assigned"
    assert vocabularies["alarms"]["severity_label"]["labels"]["critical"] == "Critical"
    assert vocabularies["crews"]["availability_label"]["labels"]
    words = json.dumps(vocabularies, ensure_ascii=False)
    assert _french_in(words) == []
