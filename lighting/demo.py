"""The Dijon demo inventory at real scale: ~35,000 light points under ~1,200 cabinets.

Cabinets are placed in each commune in proportion to its population, denser near its
centre; each feeds a few streets laid out on the commune's grid with a lamp every 25–35 m,
alternating sides. A two-thirds share was converted to LED since 2019, as in the Dijon
contract; the energy history of the last thirteen months follows from that.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from shapely import prepared
from shapely.geometry import Point, shape
from tqdm import tqdm

from hypervisor import selectors as territory
from hypervisor import services as hypervisor_services
from hypervisor.geo import random_point_in
from lighting import schedule
from lighting.energy import point_kwh
from lighting.models import Cabinet, LightPoint, MonthlyEnergy, StreetClass, Technology
from lighting.selectors import profiles, street_centres

LIGHT_POINTS = 35_000
CABINETS = 1_200
BATCH = 2_000
LED_SHARE = 0.68
HISTORY_MONTHS = 13

STREET_NAMES = [
    "rue de la Liberté", "rue Chabot-Charny", "rue des Godrans", "rue Monge", "rue Berbisey",
    "rue Jeannin", "rue Vauban", "rue Verrerie", "rue Musette", "rue du Bourg",
    "rue de la Préfecture", "rue d'Auxonne", "rue de Mirande", "rue Devosge", "rue Guillaume Tell",
    "rue des Perrières", "rue de Talant", "rue Jean-Baptiste Baudin", "rue de Longvic",
    "rue des Marmuzots", "rue Charles Dumont", "rue de Jouvence", "rue Parmentier",
    "rue des Rotondes", "rue Daubenton", "rue Mably", "rue Victor Hugo", "rue Pasteur",
    "rue du Général Delaborde", "rue de la Fontaine", "rue des Vignes", "rue du Château",
    "rue de l'Église", "rue des Écoles", "rue des Tilleuls", "rue des Acacias", "rue du Moulin",
]  # fmt: skip
MAIN_NAMES = [
    "boulevard de Sévigné", "avenue Jean Jaurès", "boulevard Clemenceau", "avenue du Drapeau",
    "boulevard de Strasbourg", "avenue de Stalingrad", "boulevard Voltaire", "avenue Victor Hugo",
    "boulevard des Allobroges", "avenue du Lac", "route de Dijon", "avenue de la République",
    "boulevard Kennedy", "avenue Aristide Briand", "route de Beaune", "avenue Roland Carraz",
]  # fmt: skip
PEDESTRIAN_NAMES = ["place François Rude", "rue piétonne", "place de la Libération", "passage"]

# Lamp families: (technology, watts by street class) before and after renovation.
OLD_WATTS = {StreetClass.MAIN: 250, StreetClass.RESIDENTIAL: 150, StreetClass.PEDESTRIAN: 100}
LED_WATTS = {
    StreetClass.MAIN: (70, 90),
    StreetClass.RESIDENTIAL: (30, 55),
    StreetClass.PEDESTRIAN: (20, 35),
}


def _share(total: int, weights: dict[str, float], minimum: int) -> dict[str, int]:
    whole = sum(weights.values()) or 1
    return {key: max(minimum, round(total * weight / whole)) for key, weight in weights.items()}


def _street(rng: random.Random, near_centre: bool) -> tuple[str, StreetClass]:
    draw = rng.random()
    if near_centre and draw < 0.12:
        return rng.choice(PEDESTRIAN_NAMES), StreetClass.PEDESTRIAN
    if draw < 0.3:
        return rng.choice(MAIN_NAMES), StreetClass.MAIN
    return rng.choice(STREET_NAMES), StreetClass.RESIDENTIAL


def _lamp(rng: random.Random, street_class: StreetClass, today: date) -> dict[str, object]:
    old = OLD_WATTS[street_class]
    installed = date(rng.randint(1985, 2016), rng.randint(1, 12), 1)
    if rng.random() < LED_SHARE:
        renovated = date(2019, 1, 1) + timedelta(
            days=rng.randint(0, (today - date(2019, 1, 1)).days)
        )
        return {
            "technology": Technology.LED,
            "wattage": rng.randint(*LED_WATTS[street_class]),
            "baseline_wattage": old,
            "installed_on": installed,
            "renovated_on": renovated,
        }
    technology = Technology.HPS if rng.random() < 0.82 else Technology.METAL_HALIDE
    watts = old if technology == Technology.HPS else max(70, old - 80)
    return {
        "technology": technology,
        "wattage": watts,
        "baseline_wattage": watts,
        "installed_on": installed,
        "renovated_on": None,
    }


def _cabinet_site(
    rng: random.Random, commune: dict, inside: prepared.PreparedGeometry
) -> tuple[float, float]:
    """Near the commune's centre more often than its edges, where people live."""
    centre_lat, centre_lon = commune["centre"]
    spread = commune["spread"]
    for _attempt in range(20):
        lat = rng.gauss(centre_lat, spread / 2)
        lon = rng.gauss(centre_lon, spread / 2 / math.cos(math.radians(centre_lat)))
        if inside.contains(Point(lon, lat)):
            return lat, lon
    return random_point_in(commune["geometry"], rng)


@transaction.atomic
def seed_lighting(*, rng: random.Random, log: Callable[[str], None]) -> None:
    if Cabinet.objects.exists():
        log("lighting inventory already present")
        return
    communes = []
    for feature in sorted(territory.communes_geojson()["features"], key=lambda f: f["id"]):
        polygon = shape(feature["geometry"])
        centroid = polygon.representative_point()
        area_deg = math.sqrt(polygon.area)
        communes.append(
            {
                "insee": feature["id"],
                "population": max(feature["properties"]["population"], 300),
                "geometry": feature["geometry"],
                "prepared": prepared.prep(polygon),
                "centre": (centroid.y, centroid.x),
                "spread": area_deg * 0.35,
                "grid": rng.uniform(0, math.pi / 2),
            }
        )
    weights = {c["insee"]: float(c["population"]) for c in communes}
    cabinets_per = _share(CABINETS, weights, 4)
    points_per = _share(LIGHT_POINTS, weights, 60)
    today = timezone.localdate()
    cabinets: list[Cabinet] = []
    plans: list[tuple[int, dict, int]] = []
    for commune in communes:
        count = cabinets_per[commune["insee"]]
        for number in range(1, count + 1):
            lat, lon = _cabinet_site(rng, commune, commune["prepared"])
            cabinets.append(
                Cabinet(
                    reference=f"ARM-{commune['insee']}-{number:03d}",
                    commune_insee=commune["insee"],
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    circuits=rng.randint(1, 4),
                    meter_id=f"PDL{rng.randint(10**13, 10**14 - 1)}",
                    last_seen_at=timezone.now(),
                )
            )
            share = points_per[commune["insee"]] // count + (
                1 if number <= points_per[commune["insee"]] % count else 0
            )
            plans.append((len(cabinets) - 1, commune, share))
    Cabinet.objects.bulk_create(cabinets, batch_size=BATCH)
    cabinet_ids = dict(Cabinet.objects.values_list("reference", "pk"))
    progress = tqdm(
        total=sum(share for *_rest, share in plans), desc="light points", unit="pt", leave=False
    )
    batch: list[LightPoint] = []
    total = 0
    for index, commune, share in plans:
        cabinet = cabinets[index]
        centre_lat, centre_lon = commune["centre"]
        near_centre = (
            math.hypot(cabinet.lat - centre_lat, cabinet.lon - centre_lon) < commune["spread"] / 2
        )
        placed, sequence = 0, 0
        while placed < share:
            name, street_class = _street(rng, near_centre)
            heading = commune["grid"] + rng.choice([0, math.pi / 2, math.pi, 3 * math.pi / 2])
            heading += rng.gauss(0, 0.08)
            length = min(share - placed, rng.randint(8, 22))
            lat, lon = cabinet.lat, cabinet.lon
            for step in range(length):
                spacing = rng.uniform(25, 35)
                lat += math.cos(heading) * spacing / 111_320
                lon += math.sin(heading) * spacing / (111_320 * math.cos(math.radians(lat)))
                side = 8 if step % 2 else -8
                lamp_lat = lat + math.cos(heading + math.pi / 2) * side / 111_320
                lamp_lon = lon + math.sin(heading + math.pi / 2) * side / (
                    111_320 * math.cos(math.radians(lat))
                )
                sequence += 1
                batch.append(
                    LightPoint(
                        reference=f"{cabinet.reference.replace('ARM', 'LP')}-{sequence:03d}",
                        cabinet_id=cabinet_ids[cabinet.reference],
                        commune_insee=commune["insee"],
                        street=name,
                        street_class=street_class,
                        lat=round(lamp_lat, 6),
                        lon=round(lamp_lon, 6),
                        **_lamp(rng, street_class, today),
                    )
                )
            placed += length
            # The next street starts from a corner of this one.
            heading += math.pi / 2
        if len(batch) >= BATCH:
            LightPoint.objects.bulk_create(batch, batch_size=BATCH)
            progress.update(len(batch))
            total += len(batch)
            batch = []
    LightPoint.objects.bulk_create(batch, batch_size=BATCH)
    total += len(batch)
    progress.update(len(batch))
    progress.close()
    log(f"{len(cabinets)} cabinets, {total} light points")
    _seed_energy(rng, today)
    log(f"{HISTORY_MONTHS} months of lighting energy")


def _seed_energy(rng: random.Random, today: date) -> None:
    """Monthly energy per cabinet: renovated lamps dimmed, the others at full power."""
    months = []
    month = today.replace(day=1)
    for _index in range(HISTORY_MONTHS):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    months.reverse()
    plan = profiles()
    hours = {
        month: (
            {name: schedule.month_level_hours(month, profile) for name, profile in plan.items()},
            schedule.month_level_hours(month, schedule.FULL_NIGHT),
        )
        for month in months
    }
    totals: dict[tuple[int, date], list[float]] = defaultdict(lambda: [0.0, 0.0])
    rows = LightPoint.objects.values_list(
        "cabinet_id", "street_class", "wattage", "baseline_wattage", "renovated_on"
    ).order_by("pk")
    for cabinet_id, street_class, watts, baseline_watts, renovated_on in rows.iterator(
        chunk_size=5000
    ):
        for month in months:
            dimmed, full_night = hours[month]
            if renovated_on is None or renovated_on < month:
                used = point_kwh(
                    wattage=watts,
                    full_power_hours=dimmed[street_class] if renovated_on else full_night,
                )
            else:
                used = point_kwh(wattage=baseline_watts, full_power_hours=full_night)
            total = totals[(cabinet_id, month)]
            total[0] += used
            total[1] += point_kwh(wattage=baseline_watts, full_power_hours=full_night)
    current = today.replace(day=1)
    MonthlyEnergy.objects.bulk_create(
        [
            MonthlyEnergy(
                cabinet_id=cabinet_id,
                month=month,
                estimated_kwh=round(used, 2),
                baseline_kwh=round(baseline, 2),
                measured_kwh=None if month == current else round(used * rng.uniform(0.97, 1.05), 2),
            )
            for (cabinet_id, month), (used, baseline) in sorted(totals.items())
        ],
        batch_size=BATCH,
    )


def seed_street_places(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """The demo's street names become places of the citizens' address search.

    One place per street and commune, at the centre of its lamps; the hypervisor keeps the
    gazetteer, this app only knows where its lamps stand.
    """
    streets = [
        hypervisor_services.StreetRecord(
            commune_insee=row["commune_insee"], street=row["street"], lat=row["lat"], lon=row["lon"]
        )
        for row in street_centres()
    ]
    count = hypervisor_services.places_set_demo_streets(streets=streets)
    log(f"{count} streets for the address search")


def seed_open_faults(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """Faults under way when the demo starts: dark lamps, a lamp lit by day, a cabinet out.

    Raised through the same services as the equipment's reports, so they are real alarms.
    """
    from lighting import services
    from lighting.models import CabinetStatus, LampStatus

    if Cabinet.objects.exclude(status=CabinetStatus.OK).exists():
        return
    centre = Cabinet.objects.filter(commune_insee="21231").order_by("reference")
    cabinet = centre[rng.randrange(centre.count())] if centre.exists() else None
    if cabinet is not None:
        services.cabinet_power_set(cabinet=cabinet, powered=False)
    points = LightPoint.objects.filter(status=LampStatus.OK).order_by("reference")
    total = points.count()
    for _failure in range(3 if total else 0):
        point = points[rng.randrange(total)]
        services.lamp_status_set(point=point, status=LampStatus.LAMP_FAILURE)
    if total and not schedule.is_dark(timezone.now()):
        services.lamp_status_set(point=points[rng.randrange(total)], status=LampStatus.DAY_BURNING)
    log("lighting faults under way: a cabinet without power, dark lamps")
