"""The Dijon demo: ~180 signalised crossroads, 115 cameras, ~60 retractable bollards.

The real red-light camera sites (a red-light camera stands at a signalised crossroad) come
first when the reference data is present; the rest are placed by commune population.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from shapely import prepared
from shapely.geometry import Point, shape
from tqdm import tqdm

from hypervisor import selectors as territory
from traffic.models import Bollard, Camera, Crossroad

CROSSROADS = 180
CAMERAS = 115
TRAFFIC_CAMERAS = 40
BOLLARDS = 60
RADARS_FILE = "dijon_metropole_radars_2018.geojson"

CROSSING_STREETS = [
    "boulevard de Sévigné", "avenue Jean Jaurès", "boulevard Clemenceau", "avenue du Drapeau",
    "boulevard de Strasbourg", "avenue de Stalingrad", "boulevard Voltaire", "avenue Victor Hugo",
    "boulevard des Allobroges", "avenue du Lac", "rue d'Auxonne", "rue de Mirande",
    "avenue Aristide Briand", "rue de Longvic", "boulevard Kennedy", "avenue de Langres",
    "rue de Talant", "boulevard de la Marne", "avenue Roland Carraz", "rue des Moulins",
]  # fmt: skip
PEDESTRIAN_ACCESS = [
    "rue de la Liberté", "rue des Forges", "rue Musette", "rue Piron", "rue Bossuet",
    "rue des Godrans", "rue Vauban", "place François Rude", "rue Amiral Roussin", "rue Verrerie",
    "rue Chaudronnerie", "rue Quentin", "rue Jeannin", "rue Babeuf", "rue Charrue",
]  # fmt: skip


def red_light_sites() -> list[dict[str, Any]]:
    """The real red-light camera sites of the reference data; none when it is absent."""
    path = Path(settings.REFERENCE_DATA_DIR) / RADARS_FILE
    if not path.exists():
        return []
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [
        {
            "id": f["properties"]["radar_id"],
            "lon": f["geometry"]["coordinates"][0],
            "lat": f["geometry"]["coordinates"][1],
            "insee": f["properties"].get("insee_commune", ""),
            "direction": f["properties"].get("direction", ""),
        }
        for f in features
        if f["properties"].get("type_controle") == "feu_rouge"
    ]


class _Places:
    """Random places denser near the communes' centres, in proportion to population."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.communes = []
        for feature in sorted(territory.communes_geojson()["features"], key=lambda f: f["id"]):
            polygon = shape(feature["geometry"])
            inside = polygon.representative_point()
            self.communes.append(
                (feature["id"], max(feature["properties"]["population"], 300), prepared.prep(polygon),
                 (inside.y, inside.x), math.sqrt(polygon.area) * 0.3)
            )  # fmt: skip

    def draw(
        self, *, insee: str | None = None, spread_factor: float = 1.0
    ) -> tuple[str, float, float]:
        candidates = [c for c in self.communes if insee is None or c[0] == insee] or self.communes
        code, _population, inside, (lat0, lon0), spread = self.rng.choices(
            candidates, weights=[c[1] ** 1.3 for c in candidates]
        )[0]
        for _attempt in range(50):
            lat = self.rng.gauss(lat0, spread * spread_factor / 2)
            lon = self.rng.gauss(lon0, spread * spread_factor / 2 / math.cos(math.radians(lat0)))
            if inside.contains(Point(lon, lat)):
                return code, round(lat, 6), round(lon, 6)
        return code, lat0, lon0


@transaction.atomic
def seed_traffic(*, rng: random.Random, log: Callable[[str], None]) -> None:
    if Crossroad.objects.exists() or Camera.objects.exists() or Bollard.objects.exists():
        log("traffic inventory already present")
        return
    places = _Places(rng)
    now = timezone.now()
    crossroads: list[Crossroad] = []
    sites = red_light_sites()
    for number, site in enumerate(sites, start=1):
        crossroads.append(
            Crossroad(
                reference=f"CAR-{number:03d}", name=f"{site['direction'] or site['id']}".title()[:160],
                commune_insee=site["insee"] or (territory.commune_at(lat=site["lat"], lon=site["lon"]) or ""),
                lat=site["lat"], lon=site["lon"], controller_id=f"CTRL-{site['id']}",
                signal_groups=rng.randint(4, 8), last_seen_at=now,
            )
        )  # fmt: skip
    for number in tqdm(range(len(sites) + 1, CROSSROADS + 1), desc="crossroads", leave=False):
        insee, lat, lon = places.draw()
        first, second = rng.sample(CROSSING_STREETS, 2)
        works = rng.random() < 0.04
        crossroads.append(
            Crossroad(
                reference=f"CAR-{number:03d}", name=f"{first} × {second}", commune_insee=insee,
                lat=lat, lon=lon, controller_id=f"CTRL-{number:04d}",
                signal_groups=rng.randint(3, 10), last_seen_at=now,
                works_from=now.date() if works else None,
                works_until=(now + timezone.timedelta(days=rng.randint(5, 60))).date() if works else None,
            )
        )  # fmt: skip
    Crossroad.objects.bulk_create(crossroads)
    cameras = []
    for number in range(1, CAMERAS + 1):
        if number <= TRAFFIC_CAMERAS:
            at = crossroads[rng.randrange(len(crossroads))]
            insee, lat, lon = (
                at.commune_insee,
                at.lat + rng.uniform(-2e-4, 2e-4),
                at.lon + rng.uniform(-2e-4, 2e-4),
            )
            name, purpose, kind = at.name, Camera.Purpose.TRAFFIC, Camera.Kind.FIXED
        else:
            insee, lat, lon = places.draw(
                insee="21231" if rng.random() < 0.8 else None, spread_factor=0.5
            )
            name, purpose = (
                rng.choice(PEDESTRIAN_ACCESS + CROSSING_STREETS),
                Camera.Purpose.PROTECTION,
            )
            kind = Camera.Kind.PTZ if rng.random() < 0.45 else Camera.Kind.FIXED
        cameras.append(
            Camera(
                reference=f"CAM-{number:03d}", name=name[:160], commune_insee=insee,
                lat=round(lat, 6), lon=round(lon, 6), bearing=rng.randrange(360),
                field_of_view=360 if kind == Camera.Kind.PTZ else rng.choice([60, 75, 90]),
                kind=kind, purpose=purpose, retention_days=rng.choice([15, 21, 30]),
                privacy_masks="" if purpose == Camera.Purpose.TRAFFIC
                else "Fenêtres et entrées d'immeubles d'habitation masquées",
                last_seen_at=now,
            )
        )  # fmt: skip
    Camera.objects.bulk_create(cameras)
    bollards = []
    for number in range(1, BOLLARDS + 1):
        insee, lat, lon = places.draw(insee="21231", spread_factor=0.15)
        access = rng.choice(PEDESTRIAN_ACCESS)
        bollards.append(
            Bollard(
                reference=f"BOR-{number:03d}", name=f"Borne {access}", access_point=access,
                commune_insee=insee, lat=lat, lon=lon, closed_from=time(11, 0),
                closed_until=time(5, 0) if rng.random() < 0.5 else time(6, 30), last_seen_at=now,
            )
        )  # fmt: skip
    Bollard.objects.bulk_create(bollards)
    log(
        f"{len(crossroads)} crossroads ({len(sites)} real red-light sites), "
        f"{len(cameras)} cameras, {len(bollards)} bollards"
    )


def seed_open_faults(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """Faults under way when the demo starts: signals, a camera, a bollard (real alarms)."""
    from traffic import services
    from traffic.models import BollardState, CameraStatus, ControllerState

    if Crossroad.objects.exclude(state=ControllerState.NORMAL).exists():
        return
    crossroads = list(Crossroad.objects.filter(works_from__isnull=True).order_by("reference")[:40])
    rng.shuffle(crossroads)
    for crossroad, state, code in zip(
        crossroads,
        [ControllerState.FAULT, ControllerState.FLASHING, ControllerState.DARK],
        ["E12 lampe rouge grillée", "E31 conflit de vert", "E40 coupure secteur"],
        strict=False,
    ):
        services.crossroad_state_set(crossroad=crossroad, state=state, fault_code=code)
    camera = Camera.objects.order_by("reference").first()
    if camera is not None:
        services.camera_status_set(camera=camera, status=CameraStatus.OFFLINE)
    bollard = Bollard.objects.order_by("reference").first()
    if bollard is not None:
        services.bollard_state_set(
            bollard=bollard, state=BollardState.FAULT, fault_code="H03 vérin"
        )
    log("traffic faults under way: three crossroads, a camera, a bollard")


@transaction.atomic
def seed_rsmp_sites(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """Each demo crossroads gets its controller as an RSMP site (its controller id as site id);
    crossroads on the main boulevards need a supervisor to confirm a yellow flash."""
    from traffic.models import RsmpSite

    if RsmpSite.objects.exists():
        log("RSMP sites already present")
        return
    crossroads = list(Crossroad.objects.order_by("reference"))
    RsmpSite.objects.bulk_create(
        RsmpSite(site_id=crossroad.controller_id, crossroad=crossroad) for crossroad in crossroads
    )
    main = [c.pk for c in crossroads if "boulevard" in c.name.lower() or "avenue" in c.name.lower()]
    Crossroad.objects.filter(pk__in=main).update(main_axis=True)
    log(f"{len(crossroads)} RSMP sites mapped, {len(main)} crossroads on main axes")
