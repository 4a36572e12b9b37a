from django.urls import path

from hypervisor.views import account, control_room, crisis, oversight, public, search

urlpatterns = [
    path("", public.home, name="home"),
    path("accessibilite/", public.accessibility_statement, name="accessibility"),
    path("connexion/", account.login, name="login"),
    path("connexion/code/", account.login_code, name="login-code"),
    path("compte/double-authentification/", account.second_factor_page, name="second-factor"),
    path("deconnexion/", public.logout, name="logout"),
    path("controle/", control_room.control_room, name="control-room"),
    path("controle/couches/<slug:name>/", control_room.layer_tile, name="layer-tile"),
    path("controle/alarmes/", search.alarm_search, name="alarm-search"),
    path(
        "controle/alarmes/<int:alarm_id>/acquitter/",
        control_room.alarm_acknowledge,
        name="alarm-acknowledge",
    ),
    path("controle/alarmes/<int:alarm_id>/lever/", control_room.alarm_clear, name="alarm-clear"),
    path(
        "controle/alarmes/<int:alarm_id>/procedure/",
        control_room.alarm_procedure,
        name="alarm-procedure",
    ),
    path(
        "controle/alarmes/<int:alarm_id>/procedure/etape/",
        control_room.alarm_procedure_step,
        name="alarm-procedure-step",
    ),
    path("controle/crise/", crisis.crisis_page, name="crisis"),
    path("controle/crise/activer/", crisis.crisis_activate, name="crisis-activate"),
    path("controle/crise/<int:crisis_id>/journal/", crisis.crisis_log, name="crisis-log"),
    path("controle/crise/<int:crisis_id>/membre/", crisis.crisis_member, name="crisis-member"),
    path("controle/crise/<int:crisis_id>/cloture/", crisis.crisis_close, name="crisis-close"),
    path("controle/kpis/", oversight.kpi_board, name="kpis"),
    path("controle/kpis/export.csv", oversight.kpi_export, name="kpis-export"),
    path("controle/journal/", oversight.audit_log, name="audit-log"),
    path("elus/", oversight.elected_board, name="elected-board"),
]
