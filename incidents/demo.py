"""Reference configuration for the demo: competent services, categories, routing table."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from hypervisor import selectors as hypervisor_selectors
from hypervisor import services as hypervisor_services
from hypervisor.roles import Role
from hypervisor.selectors.territory import service_ids_by_code
from incidents import services
from incidents.models import CrewKind, Priority

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

# code, French label, English label, precedence (lower works first at a shared place;
# 0 works alongside: a patrol securing the place neither waits nor blocks)
TRADES = [
    ("police", "Police municipale", "Municipal police", 0),
    ("electricien", "Électricien", "Electrician", 10),
    ("fontainier", "Fontainier", "Water technician", 15),
    ("signalisation", "Technicien signalisation", "Traffic-signal technician", 15),
    ("elagueur", "Élagueur", "Tree surgeon", 20),
    ("voirie", "Agent de voirie", "Road worker", 30),
    ("menuisier", "Menuisier", "Carpenter", 40),
    ("proprete", "Agent de propreté", "Street cleaner", 50),
]
CATEGORY_TRADES = {
    "voirie-nid-de-poule": ["voirie"],
    "voirie-obstacle": ["voirie"],
    "eclairage-panne": ["electricien"],
    "eclairage-cable": ["electricien"],
    "proprete-tag": ["proprete"],
    "proprete-depot": ["proprete"],
    "espaces-verts-arbre": ["electricien", "elagueur"],
    "signalisation-feu": ["signalisation"],
    "mobilier-degrade": ["menuisier"],
    "eau-fuite": ["fontainier"],
    "eau-avaloir": ["fontainier"],
    "securite-vehicule": ["police"],
}
SAFETY = {"voirie-obstacle", "eclairage-cable", "espaces-verts-arbre", "signalisation-feu"}

# service, trades, how many crews
CREWS = [
    ("eclairage", ["electricien"], 7),
    ("voirie", ["voirie"], 6),
    ("proprete", ["proprete"], 7),
    ("espaces-verts", ["elagueur"], 4),
    ("espaces-verts-dijon", ["elagueur"], 2),
    ("signalisation", ["signalisation", "electricien"], 3),
    ("mobilier", ["menuisier"], 3),
    ("eau", ["fontainier"], 4),
]
PATROLS = 8
AGENTS_PER_CREW = 2
DIJON_CENTRE = (47.3220, 5.0415)

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
    for code, label_fr, label_en, precedence in TRADES:
        services.trade_ensure(
            code=code, label_fr=label_fr, label_en=label_en, precedence=precedence
        )
    for code, group, label_fr, label_en, icon, priority, sla, service in CATEGORIES:
        services.category_ensure(
            code=code,
            group=group,
            label_fr=label_fr,
            label_en=label_en,
            icon=icon,
            default_priority=priority,
            sla_minutes=sla,
            trade_codes=CATEGORY_TRADES.get(code, []),
            safety=code in SAFETY,
        )
        hypervisor_services.routing_rule_set(category_code=code, service_code=service)
    # The city of Dijon looks after its own parks: a commune rule beats the territory one.
    hypervisor_services.routing_rule_set(
        category_code="espaces-verts-arbre",
        service_code="espaces-verts-dijon",
        commune_insee=DIJON_INSEE,
    )
    log(f"{len(SERVICES)} services, {len(CATEGORIES)} categories and their routing rules")


@transaction.atomic
def seed_crews(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """About forty crews and patrols with two agents each, on shift for the coming week.

    Agents exist only in the embedded demo mode. Generated agents cannot log in (no
    password); the demo user "agent" joins the first lighting crew, placed in the centre of
    Dijon so that a report there reaches its tablet.
    """
    now = timezone.now()
    service_ids = service_ids_by_code()
    user_model = get_user_model()
    field_agents = Group.objects.get(name=Role.FIELD_AGENT.value)
    crews = [
        (f"{service}-{number}", service, trades, CrewKind.CREW)
        for service, trades, count in CREWS
        for number in range(1, count + 1)
    ] + [
        (f"patrouille-{number}", "police", ["police"], CrewKind.PATROL)
        for number in range(1, PATROLS + 1)
    ]
    first_crew_id = None
    for index, (code, service, trades, kind) in enumerate(crews):
        name = (
            f"{SERVICES[service]} — équipe {code.rsplit('-', 1)[1]}"
            if kind == CrewKind.CREW
            else f"Patrouille {code.rsplit('-', 1)[1]}"
        )
        crew = services.crew_ensure(
            code=code, name=name, kind=kind, service_id=service_ids.get(service), trade_codes=trades
        )
        lat, lon = (
            DIJON_CENTRE if index == 0 else hypervisor_selectors.commune_random_point(rng=rng)
        )
        first_crew_id = first_crew_id or crew.pk
        services.crew_position_report(crew_id=crew.pk, lat=round(lat, 6), lon=round(lon, 6), at=now)
        if not crew.shifts.filter(ends_at__gt=now).exists():
            services.shift_add(
                crew_id=crew.pk, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=7)
            )
        for number in range(1, AGENTS_PER_CREW + 1 if settings.DEMO_MODE else 1):
            user, created = user_model.objects.get_or_create(
                username=f"agent-{code}-{number}",
                defaults={"first_name": f"Agent {number}", "last_name": name[:100]},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(field_agents)
            services.crew_member_set(user=user, crew_id=crew.pk)
    demo_agent = user_model.objects.filter(username="agent").first()
    if demo_agent is not None and first_crew_id is not None:
        services.crew_member_set(user=demo_agent, crew_id=first_crew_id)
    agents = len(crews) * AGENTS_PER_CREW if settings.DEMO_MODE else 0
    log(f"{len(crews)} crews and patrols, {agents} field agents")


# A shift under way: incidents a newcomer can work on at once, in every state. The last
# field says what has happened to each by the time the demo starts.
SHIFT = [
    ("voirie-nid-de-poule", "Nid-de-poule profond devant l'école", "assigned"),
    ("proprete-depot", "Dépôt de gravats sur le trottoir", "in_progress"),
    ("eclairage-panne", "Trois lampadaires éteints dans la rue", "resolved"),
    ("mobilier-degrade", "Banc arraché près de l'arrêt de bus", "closed"),
    ("eau-avaloir", "Avaloir bouché après l'orage", "impossible"),
    ("proprete-tag", "Tag injurieux sur le mur de l'école", "overdue"),
    ("eau-fuite", "Fuite d'eau continue sur le trottoir", "overdue"),
    ("voirie-obstacle", "Plaque d'égout soulevée au milieu de la chaussée", "emergency"),
]


def _field_act(task_id: int, kind: str, *, note: str = "", reason: str = "") -> None:
    import uuid

    from incidents.models import CrewMember, Task

    task = Task.objects.select_related("crew").get(pk=task_id)
    member = (
        CrewMember.objects.filter(crew=task.crew).exclude(user__username="agent").first()
        if task.crew
        else None
    )
    if member is None:
        return
    services.field_action_apply(
        action_id=uuid.uuid4(),
        user=member.user,
        task_id=task.pk,
        kind=kind,
        note=note,
        reason=reason,
    )


def seed_shift_under_way(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """Incidents in every state: assigned, in progress, resolved, closed, a task given back
    as impossible, two past their deadline and an emergency; through the services."""
    from incidents.models import Incident, Task

    if not settings.DEMO_MODE:
        log("no shift under way outside the demo mode (its crews have no agents)")
        return
    if Incident.objects.filter(description=SHIFT[0][1]).exists():
        return
    for code, description, outcome in SHIFT:
        lat, lon = hypervisor_selectors.commune_random_point(rng=rng)
        with transaction.atomic():
            incident = services.incident_open(
                category_code=code,
                description=description,
                lat=round(lat, 6),
                lon=round(lon, 6),
                source=services.Source.PHONE,
            )
        services.incident_route_and_dispatch(incident_id=incident.pk)
        task = Task.objects.filter(incident=incident).order_by("pk").first()
        if task is None:
            continue
        if outcome in ("in_progress", "resolved", "closed"):
            _field_act(task.pk, "start")
        if outcome in ("resolved", "closed"):
            _field_act(task.pk, "done", note="Réparé, zone sécurisée.")
        if outcome == "closed" and Incident.objects.get(pk=incident.pk).status == "resolved":
            services.incident_close(incident_id=incident.pk, by=None, note="Vérifié sur place.")
        if outcome == "impossible":
            _field_act(task.pk, "cannot_do", reason="Avaloir sous un véhicule stationné.")
        if outcome == "overdue":
            # Reported yesterday, past its deadline: the SLA board and the list show it late.
            earlier = timezone.now() - timedelta(days=1, hours=rng.randint(1, 5))
            Incident.objects.filter(pk=incident.pk).update(
                created_at=earlier, due_at=timezone.now() - timedelta(hours=rng.randint(1, 4))
            )
    log(f"{len(SHIFT)} incidents of a shift under way (every state, two late, an emergency)")
