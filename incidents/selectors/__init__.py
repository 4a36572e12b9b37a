"""Reads on incidents, work orders and crews, for views, live screens and other apps."""

from incidents.selectors.desk import (
    CrewOption,
    crew_options,
    incident_detail,
    incident_id_by_reference,
    incident_id_for_alarm,
    incident_search,
    incidents_to_locate,
    reference_text,
    search_choices,
    task_of_incident,
)
from incidents.selectors.dispatch import (
    CrewCandidate,
    crew_candidates,
    crew_is_on_shift,
    site_key_near,
    task_blocker,
)
from incidents.selectors.field import (
    crew_of_user,
    crew_of_user_by_crew_id,
    crew_task_list,
    field_snapshot,
    task_detail,
    task_feature,
    task_for_crew,
    task_photo_exists,
)
from incidents.selectors.kpis import KPIS
from incidents.selectors.layers import CrewLayer, IncidentLayer, crew_map_feature
from incidents.selectors.locate import FoundPosition, position_from_address
from incidents.selectors.nearby import incident_list_open_near
from incidents.selectors.public import (
    category_codes_active,
    category_options,
    incident_map_feature,
    incident_map_features,
    incident_public_view,
    incident_public_views,
    incident_reporter_view,
    incident_status_of,
)
from incidents.selectors.publication import (
    incident_category_codes,
    incident_deadline_counts,
    incident_priority_codes,
    incident_publication_rows,
    incident_status_codes,
)
from incidents.selectors.queue import operator_queue
from incidents.selectors.sections import add_detail_section, detail_sections

__all__ = [
    "KPIS",
    "CrewCandidate",
    "CrewLayer",
    "CrewOption",
    "FoundPosition",
    "IncidentLayer",
    "add_detail_section",
    "category_codes_active",
    "category_options",
    "crew_candidates",
    "crew_is_on_shift",
    "crew_map_feature",
    "crew_of_user",
    "crew_of_user_by_crew_id",
    "crew_options",
    "crew_task_list",
    "detail_sections",
    "field_snapshot",
    "incident_category_codes",
    "incident_deadline_counts",
    "incident_detail",
    "incident_id_by_reference",
    "incident_id_for_alarm",
    "incident_list_open_near",
    "incident_map_feature",
    "incident_map_features",
    "incident_priority_codes",
    "incident_public_view",
    "incident_public_views",
    "incident_publication_rows",
    "incident_reporter_view",
    "incident_search",
    "incident_status_codes",
    "incident_status_of",
    "incidents_to_locate",
    "operator_queue",
    "position_from_address",
    "reference_text",
    "search_choices",
    "site_key_near",
    "task_blocker",
    "task_detail",
    "task_feature",
    "task_for_crew",
    "task_of_incident",
    "task_photo_exists",
]
