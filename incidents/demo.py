"""Reference configuration for the demo: competent services, categories, routing table."""

from __future__ import annotations

import random
from collections.abc import Callable

from hypervisor import services as hypervisor_services
from incidents import services
from incidents.models import Priority

HOUR = 60
DAY = 24 * HOUR

SERVICES = {
    "voirie": "Voirie métropolitaine",
    "eclairage": "Éclairage public",
    "proprete": "Propreté urbaine",
    "espaces-verts": "Espaces verts métropolitains",
    "espaces-verts-dijon": "Espaces verts — Ville de Dijon",
    "signalisation": "Signalisation lumineuse",
    "mobilier": "Mobilier urbain",
    "eau": "Eau et assainissement",
    "police": "Police municipale",
}

# code, group, French label, English label, icon, priority, deadline (minutes), service
CATEGORIES = [
    ("voirie-nid-de-poule", "voirie", "Nid-de-poule, chaussée dégradée", "Pothole, damaged road", "road", Priority.NORMAL, 7 * DAY, "voirie"),
    ("voirie-obstacle", "voirie", "Obstacle dangereux sur la chaussée", "Dangerous obstacle on the road", "triangle-alert", Priority.EMERGENCY, HOUR, "voirie"),
    ("eclairage-panne", "eclairage", "Lampadaire éteint", "Street light out", "lightbulb-off", Priority.NORMAL, 3 * DAY, "eclairage"),
    ("eclairage-cable", "eclairage", "Câble électrique apparent", "Exposed electric cable", "zap", Priority.EMERGENCY, HOUR, "eclairage"),
    ("proprete-tag", "proprete", "Tag, graffiti", "Graffiti", "spray-can", Priority.LOW, 14 * DAY, "proprete"),
    ("proprete-depot", "proprete", "Dépôt sauvage", "Illegal dumping", "trash-2", Priority.NORMAL, 3 * DAY, "proprete"),
    ("espaces-verts-arbre", "espaces-verts", "Arbre tombé", "Fallen tree", "tree-deciduous", Priority.EMERGENCY, HOUR, "espaces-verts"),
    ("signalisation-feu", "signalisation", "Feu tricolore en panne", "Traffic light out", "traffic-cone", Priority.EMERGENCY, HOUR, "signalisation"),
    ("mobilier-degrade", "mobilier", "Mobilier urbain endommagé", "Damaged street furniture", "armchair", Priority.LOW, 14 * DAY, "mobilier"),
    ("eau-fuite", "eau", "Fuite d'eau", "Water leak", "droplets", Priority.HIGH, 4 * HOUR, "eau"),
    ("eau-avaloir", "eau", "Avaloir bouché", "Blocked drain", "waves", Priority.NORMAL, 3 * DAY, "eau"),
    ("securite-vehicule", "securite", "Véhicule gênant ou abandonné", "Obstructive or abandoned vehicle", "car", Priority.NORMAL, DAY, "police"),
]  # fmt: skip

DIJON_INSEE = "21231"


def seed_reference_configuration(*, rng: random.Random, log: Callable[[str], None]) -> None:
    for code, name in SERVICES.items():
        hypervisor_services.service_ensure(code=code, name=name)
    for code, group, label_fr, label_en, icon, priority, sla, service in CATEGORIES:
        services.category_ensure(
            code=code,
            group=group,
            label_fr=label_fr,
            label_en=label_en,
            icon=icon,
            default_priority=priority,
            sla_minutes=sla,
        )
        hypervisor_services.routing_rule_set(category_code=code, service_code=service)
    # The city of Dijon looks after its own parks: a commune rule beats the territory one.
    hypervisor_services.routing_rule_set(
        category_code="espaces-verts-arbre",
        service_code="espaces-verts-dijon",
        commune_insee=DIJON_INSEE,
    )
    log(f"{len(SERVICES)} services, {len(CATEGORIES)} categories and their routing rules")
