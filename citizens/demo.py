from __future__ import annotations

import random
from collections.abc import Callable

from citizens import services
from citizens.simulation import submit_typical_report

DEMO_REPORTS = 40

QUICK_ANSWERS = [
    (
        "Horaires des piscines",
        "Piscine du Carrousel : lundi–vendredi 12 h–14 h et 17 h–21 h, week-end 9 h–18 h. "
        "Piscine Olympique : tous les jours 7 h–21 h.",
        "piscine natation horaires",
    ),
    (
        "Cantine scolaire : inscription et menus",
        "Inscription sur l'espace famille de la commune, au plus tard le jeudi pour la semaine "
        "suivante. Les menus sont affichés à l'école et publiés chaque mois.",
        "cantine restauration école menu",
    ),
    (
        "Inscriptions scolaires",
        "Les inscriptions en maternelle et en CP se font en mairie de janvier à mars, avec le "
        "livret de famille et un justificatif de domicile.",
        "école inscription",
    ),
    (
        "Encombrants",
        "Collecte des encombrants sur rendez-vous, gratuite, deux fois par an par foyer. "
        "Les déchetteries de la métropole les acceptent toute l'année.",
        "déchets encombrants déchetterie",
    ),
]


def seed_recent_reports(*, rng: random.Random, log: Callable[[str], None]) -> None:
    for _report in range(DEMO_REPORTS):
        submit_typical_report(rng)
    for order, (title, body, keywords) in enumerate(QUICK_ANSWERS):
        services.quick_answer_ensure(title=title, body=body, keywords=keywords, order=order)
    log(f"{DEMO_REPORTS} citizen reports, {len(QUICK_ANSWERS)} quick answers")
