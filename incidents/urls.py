from django.urls import URLPattern, URLResolver, path, re_path

from incidents.views import desk, dispatch, field

urlpatterns: list[URLPattern | URLResolver] = [
    path("terrain/", field.tablet, name="field-tablet"),
    path("terrain/sw.js", field.service_worker, name="field-service-worker"),
    path("terrain/manifest.webmanifest", field.manifest, name="field-manifest"),
    path("api/v1/field/tasks/", field.task_list, name="field-task-list"),
    path("api/v1/field/tasks/<int:task_id>/", field.task_detail, name="field-task-detail"),
    path("api/v1/field/actions/", field.task_action, name="field-task-action"),
    path("api/v1/field/position/", field.position, name="field-position"),
    path("media/tasks/<path:name>", field.task_photo, name="task-photo"),
    path("interventions/", dispatch.queue, name="dispatch-queue"),
    path("controle/incidents/", desk.search, name="incident-search"),
    path("controle/incidents/lieux/", desk.places, name="incident-places"),
    path("controle/incidents/a-localiser/", desk.to_locate_count, name="incident-to-locate-count"),
    path(
        "controle/incidents/alarme/<int:alarm_id>/",
        desk.alarm_panel,
        name="incident-panel-for-alarm",
    ),
    path("controle/incidents/<int:incident_id>/", desk.page, name="incident-page"),
    path("controle/incidents/<int:incident_id>/panneau/", desk.panel, name="incident-panel"),
    re_path(
        r"^controle/incidents/(?P<incident_id>\d+)/"
        r"(?P<action>reroute|priority|assign|comment|duplicate|resolve|close|reopen|locate)/$",
        desk.act,
        name="incident-act",
    ),
    path("api/v1/tasks/<int:task_id>/assign/", dispatch.assign, name="task-assign"),
    re_path(
        r"^api/v1/incidents/(?P<incident_id>\d+)/(?P<action>reject|cancel|close|reopen|duplicate)/$",
        dispatch.incident_action,
        name="incident-action",
    ),
]
