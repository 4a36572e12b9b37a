"""The demo's Divia-like network, written as a real GTFS archive and imported like any other.

Stop names are the network's public ones; positions are placed along the streets the lines
follow as well as public facts allow (they are approximate, not surveyed). Two tram lines
share the city-centre trunk (Darcy – Godrans – République); four bus lines cross them.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

# stop_id → (name, lat, lon)
STOPS: dict[str, tuple[str, float, float]] = {
    "GARE": ("Dijon Gare", 47.32335, 5.02745),
    "FOCH": ("Foch Gare", 47.32290, 5.03130),
    "DARCY": ("Darcy", 47.32250, 5.03560),
    "GODRANS": ("Godrans - Les Halles", 47.32410, 5.03920),
    "REPUBLIQUE": ("République", 47.32770, 5.04440),
    "AUDITORIUM": ("Auditorium", 47.32970, 5.04850),
    "POINCARE": ("Poincaré", 47.32940, 5.05470),
    "PARC_SPORTS": ("Parc des Sports", 47.32220, 5.06400),
    "CHU": ("CHU - Hôpitaux", 47.32120, 5.07220),
    "ERASME": ("Érasme", 47.31680, 5.07000),
    "UNIVERSITE": ("Université", 47.31350, 5.07350),
    "MAZEN": ("Mazen - Sully", 47.31300, 5.08000),
    "PISCINE": ("Piscine Olympique", 47.31470, 5.08800),
    "CAP_VERT": ("Cap Vert", 47.31620, 5.09900),
    "GRAND_MARCHE": ("Grand Marché", 47.31720, 5.10550),
    "QUETIGNY": ("Quetigny Centre", 47.31500, 5.11050),
    "VALMY": ("Dijon Valmy", 47.35650, 5.04800),
    "TOISON": ("Toison d'Or", 47.35300, 5.05600),
    "ZENITH": ("Zénith", 47.34750, 5.05650),
    "DRAPEAU": ("Drapeau", 47.33850, 5.04800),
    "MONGE": ("Monge - Cité de la Gastronomie", 47.31700, 5.03150),
    "JAURES": ("Jaurès", 47.30800, 5.02850),
    "CARRAZ": ("Carraz", 47.30100, 5.02000),
    "MAIL": ("Le Mail", 47.29600, 5.01100),
    "CHENOVE": ("Chenôve Centre", 47.29250, 5.00500),
    "LIBERTE": ("Liberté", 47.32220, 5.03950),
    "THEATRE": ("Théâtre", 47.32170, 5.04420),
    "WILSON": ("Place Wilson", 47.31600, 5.04600),
    "SAINTE_ANNE": ("Sainte-Anne", 47.31770, 5.04160),
    "TALANT": ("Talant Belvédère", 47.33650, 4.99900),
    "FONTAINE": ("Fontaine-lès-Dijon Centre", 47.34250, 5.02050),
}

# route_id → (short name, long name, GTFS route_type, colour, stops in one direction, minutes
# between departures, km/h)
LINES: dict[str, tuple[str, str, int, str, list[str], int, float]] = {
    "T1": ("T1", "Dijon Gare ↔ Quetigny Centre", 0, "C6007E",
           ["GARE", "FOCH", "DARCY", "GODRANS", "REPUBLIQUE", "AUDITORIUM", "POINCARE",
            "PARC_SPORTS", "CHU", "ERASME", "UNIVERSITE", "MAZEN", "PISCINE", "CAP_VERT",
            "GRAND_MARCHE", "QUETIGNY"], 8, 20.0),
    "T2": ("T2", "Dijon Valmy ↔ Chenôve Centre", 0, "E8308A",
           ["VALMY", "TOISON", "ZENITH", "DRAPEAU", "REPUBLIQUE", "GODRANS", "DARCY", "MONGE",
            "JAURES", "CARRAZ", "MAIL", "CHENOVE"], 8, 20.0),
    "L5": ("L5", "Toison d'Or ↔ Université", 3, "F39200",
           ["TOISON", "DRAPEAU", "REPUBLIQUE", "THEATRE", "WILSON", "UNIVERSITE"], 12, 17.0),
    "B12": ("B12", "Dijon Gare ↔ Place Wilson", 3, "009EE0",
            ["GARE", "MONGE", "SAINTE_ANNE", "WILSON"], 15, 16.0),
    "B18": ("B18", "Talant Belvédère ↔ Darcy", 3, "6AB023",
            ["TALANT", "FONTAINE", "DARCY"], 15, 18.0),
    "CITY": ("City", "Navette centre-ville", 3, "8C8C8C",
             ["DARCY", "LIBERTE", "THEATRE", "SAINTE_ANNE", "MONGE", "DARCY"], 10, 12.0),
}  # fmt: skip
FIRST_DEPARTURE = 5 * 3600 + 30 * 60
LAST_DEPARTURE = 24 * 3600 + 15 * 60
DWELL_SECONDS = 30


def metres(a: str, b: str) -> float:
    (_n1, lat1, lon1), (_n2, lat2, lon2) = STOPS[a], STOPS[b]
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def trip_schedule(route_id: str, direction: int, start: int) -> list[tuple[str, int, int]]:
    """[(stop_id, arrival, departure)] in seconds after midnight for one trip."""
    _s, _l, _t, _c, stops, _every, kmh = LINES[route_id]
    sequence = stops if direction == 0 else stops[::-1]
    schedule, clock = [], start
    for index, stop_id in enumerate(sequence):
        if index:
            clock += round(metres(sequence[index - 1], stop_id) / (kmh / 3.6))
        schedule.append(
            (stop_id, clock, clock + (DWELL_SECONDS if 0 < index < len(sequence) - 1 else 0))
        )
        clock = schedule[-1][2]
    return schedule


def trips() -> list[tuple[str, str, int, int]]:
    """[(trip_id, route_id, direction, first departure)] of a day."""
    found = []
    for route_id, (_s, _l, _t, _c, _stops, every, _kmh) in LINES.items():
        for direction in (0, 1):
            for start in range(FIRST_DEPARTURE + direction * 120, LAST_DEPARTURE, every * 60):
                found.append(
                    (f"{route_id}-{direction}-{start // 60:04d}", route_id, direction, start)
                )
    return found


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _table(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_gtfs(path: Path) -> Path:
    """The demo network as a GTFS archive (every day of the year, one service)."""
    stop_times, trip_rows = [], []
    for trip_id, route_id, direction, start in trips():
        trip_rows.append(
            [route_id, "ALL", trip_id, LINES[route_id][1], direction, f"{route_id}-{direction}"]
        )
        for sequence, (stop_id, arrival, departure) in enumerate(
            trip_schedule(route_id, direction, start), 1
        ):
            stop_times.append([trip_id, _hms(arrival), _hms(departure), stop_id, sequence])
    shapes = []
    for route_id, (_s, _l, _t, _c, stops, _e, _k) in LINES.items():
        for direction in (0, 1):
            sequence = stops if direction == 0 else stops[::-1]
            for index, stop_id in enumerate(sequence, 1):
                shapes.append(
                    [f"{route_id}-{direction}", STOPS[stop_id][1], STOPS[stop_id][2], index]
                )
    files = {
        "agency.txt": _table(
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            [["DIVIA", "Divia (démonstration)", "https://www.divia.fr", "Europe/Paris", "fr"]],
        ),
        "stops.txt": _table(
            ["stop_id", "stop_name", "stop_lat", "stop_lon"],
            [[stop_id, name, lat, lon] for stop_id, (name, lat, lon) in STOPS.items()],
        ),
        "routes.txt": _table(
            [
                "route_id",
                "agency_id",
                "route_short_name",
                "route_long_name",
                "route_type",
                "route_color",
                "route_text_color",
            ],
            [
                [route_id, "DIVIA", short, long, kind, colour, "FFFFFF"]
                for route_id, (short, long, kind, colour, _st, _e, _k) in LINES.items()
            ],
        ),
        "trips.txt": _table(
            ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id", "shape_id"],
            trip_rows,
        ),
        "stop_times.txt": _table(
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times
        ),
        "calendar.txt": _table(
            [
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            [["ALL", 1, 1, 1, 1, 1, 1, 1, "20240101", "20351231"]],
        ),
        "shapes.txt": _table(
            ["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"], shapes
        ),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path
