from django.urls import path, re_path

from citizens.views import field, moderation, open311, photos, portal, report, tracking

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("signaler/", report.report_form, name="report"),
    path("signaler/adresses/", report.place_search, name="report-place-search"),
    path("suivi/<str:token>/", tracking.report_tracking, name="report-tracking"),
    path("suivi/<str:token>/reponse/", tracking.report_fix_answer, name="report-fix-answer"),
    path("portail/", portal.portal, name="portal"),
    path("media/reports/<path:name>", photos.report_photo, name="report-photo"),
    path("media/staging/<path:name>", photos.staged_photo, name="report-staged-photo"),
    path("moderation/signalements/", moderation.moderation, name="report-moderation"),
    path(
        "moderation/photos/<int:photo_id>/masquer/",
        moderation.photo_hide,
        name="report-photo-hide",
    ),
    path(
        "moderation/signalements/<int:report_id>/masquer-coordonnees/",
        moderation.contact_hide,
        name="report-contact-hide",
    ),
    path(
        "moderation/interventions/<int:task_id>/masquer-note/",
        moderation.task_note_hide,
        name="task-note-hide",
    ),
    path(
        "moderation/photos-intervention/<int:photo_id>/masquer/",
        moderation.task_photo_hide,
        name="task-photo-hide",
    ),
    path(
        "api/v1/field/tasks/<int:task_id>/citizen-photos/",
        field.task_citizen_photos,
        name="field-task-citizen-photos",
    ),
    path("open311/v2/", open311.root, name="open311"),
    re_path(r"^open311/v2/discovery" + FORMAT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FORMAT, open311.services_list, name="open311-services"),
    re_path(
        r"^open311/v2/services/(?P<service_code>[\w-]+)" + FORMAT,
        open311.service_definition,
        name="open311-service",
    ),
    re_path(r"^open311/v2/requests" + FORMAT, open311.requests, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[\w-]+)" + FORMAT,
        open311.single_request,
        name="open311-request",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[\w-]+)" + FORMAT, open311.token, name="open311-token"),
]
