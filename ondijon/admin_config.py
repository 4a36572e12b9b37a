"""Admin autodiscovery without django-leaflet's admin module.

That module imports GeoDjango, which needs the system GDAL library; OnDijon does geometry
with shapely instead (see docs/architecture.md), so it is skipped.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

_SKIPPED = {"leaflet"}


class OnDijonAdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        super().ready()
        for config in apps.get_app_configs():
            if config.name not in _SKIPPED and module_has_submodule(config.module, "admin"):
                import_module(f"{config.name}.admin")
