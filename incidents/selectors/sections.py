"""Sections other apps add to the staff's incident detail (citizen reports, phone calls…).

The incidents app cannot read those apps; each registers, from its `AppConfig.ready()`, a
section: a template partial and a function that gives its context for one incident (or
None when it has nothing to show there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

SectionProvider = Callable[[int], dict[str, Any] | None]


@dataclass(frozen=True)
class DetailSection:
    key: str
    label: str | Promise  # translated lazily, at each rendering
    template: str
    provide: SectionProvider
    order: int


_SECTIONS: dict[str, DetailSection] = {}


def add_detail_section(
    *, key: str, label: str | Promise, template: str, provide: SectionProvider, order: int = 50
) -> None:
    """Show `template` in every incident detail, with `provide(incident_id)` as `section`."""
    _SECTIONS[key] = DetailSection(key, label, template, provide, order)


def detail_sections(*, incident_id: int) -> list[dict[str, Any]]:
    """The registered sections that have something for this incident, in their order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda item: (item.order, item.key)):
        data = section.provide(incident_id)
        if data is not None:
            shown.append(
                {
                    "key": section.key,
                    "label": str(section.label),
                    "template": section.template,
                    "data": data,
                }
            )
    return shown
