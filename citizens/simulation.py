"""Simulated citizen reports at the territory's real daily rate (~1,000 a day)."""

from __future__ import annotations

import math
import random
from datetime import datetime

from citizens import services
from hypervisor import selectors as hypervisor_selectors
from incidents import selectors as incident_selectors

REPORTS_PER_DAY = 1000

# Share of each category among reports, and what citizens typically write.
TYPICAL_REPORTS: dict[str, tuple[float, list[str]]] = {
    "proprete-depot": (0.20, ["Dépôt sauvage de gravats sur le trottoir", "Sacs poubelle et cartons abandonnés au pied du conteneur"]),
    "proprete-tag": (0.12, ["Tag sur la façade de l'école", "Graffitis sur l'abribus"]),
    "voirie-nid-de-poule": (0.16, ["Gros nid-de-poule dangereux pour les vélos", "Chaussée affaissée devant le numéro 12"]),
    "voirie-obstacle": (0.03, ["Branche en travers de la chaussée", "Plaque d'égout soulevée au milieu de la route"]),
    "eclairage-panne": (0.15, ["Lampadaire éteint depuis plusieurs jours", "Trois candélabres éteints dans la rue"]),
    "eclairage-cable": (0.01, ["Câble qui pend d'un candélabre à hauteur d'enfant"]),
    "espaces-verts-arbre": (0.03, ["Arbre tombé sur le trottoir après le coup de vent"]),
    "signalisation-feu": (0.04, ["Feu tricolore éteint au carrefour", "Feu bloqué au rouge dans les deux sens"]),
    "mobilier-degrade": (0.08, ["Banc cassé dans le square", "Potelet arraché devant la boulangerie"]),
    "eau-fuite": (0.05, ["Fuite d'eau sur la chaussée, l'eau coule depuis ce matin"]),
    "eau-avaloir": (0.05, ["Avaloir bouché, grosse flaque à chaque pluie"]),
    "securite-vehicule": (0.08, ["Voiture ventouse stationnée depuis un mois", "Camionnette garée sur la piste cyclable"]),
}  # fmt: skip


def _poisson(rng: random.Random, expected: float) -> int:
    threshold, count, product = math.exp(-expected), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def submit_typical_report(rng: random.Random) -> None:
    available = incident_selectors.category_codes_active()
    codes = [code for code in TYPICAL_REPORTS if code in available]
    if not codes:
        return
    code = rng.choices(codes, weights=[TYPICAL_REPORTS[code][0] for code in codes])[0]
    lat, lon = hypervisor_selectors.commune_random_point(rng=rng)
    services.report_submit(
        category_code=code,
        description=rng.choice(TYPICAL_REPORTS[code][1]),
        lat=round(lat, 6),
        lon=round(lon, 6),
        link_duplicates=False,  # simulated reports are independent problems, each its own
    )


def tick(*, now: datetime, elapsed: float, rng: random.Random) -> None:
    for _report in range(_poisson(rng, elapsed * REPORTS_PER_DAY / 86_400)):
        submit_typical_report(rng)
