"""What the supervisor knows of the TLC signal exchange list matches the published sxl.yaml."""

from __future__ import annotations

import yaml

from tests.traffic.rsmp_schemas import STANDARDS, require_rsmp_schemas
from traffic.rsmp import sxl

OBJECT_TYPES = {
    "Traffic Light Controller": "controller",
    "Signal group": "signal_group",
    "Detector logic": "detector_logic",
}


def _published() -> dict:  # type: ignore[type-arg]
    require_rsmp_schemas()
    return yaml.safe_load((STANDARDS / "tlc" / "1.2.1" / "sxl.yaml").read_text())["objects"]  # type: ignore[no-any-return]


def test_every_alarm_has_the_published_priority_object_type_and_arguments():
    published = {
        code: (
            definition["priority"],
            OBJECT_TYPES[object_name],
            tuple(definition.get("arguments") or ()),
        )
        for object_name, content in _published().items()
        for code, definition in (content.get("alarms") or {}).items()
    }
    ours = {
        code: (alarm.priority, alarm.object_type, alarm.arguments)
        for code, alarm in sxl.ALARMS.items()
    }
    assert ours == published


def test_every_subscribed_status_exists_on_the_controller_with_that_argument():
    statuses = _published()["Traffic Light Controller"]["statuses"]
    missing = [
        (code, name)
        for code, name in sxl.SUBSCRIBED_STATUSES
        if name not in (statuses.get(code, {}).get("arguments") or {})
    ]
    assert missing == []


def test_the_commands_sent_name_only_published_arguments():
    commands = _published()["Traffic Light Controller"]["commands"]
    sent = [*sxl.functional_position_args("YellowFlash", "0000"), *sxl.time_plan_args(2, "0000")]
    assert {(code, name) for code, name, _op, _value in sent} == {
        (code, name) for code in ("M0001", "M0002") for name in commands[code]["arguments"]
    }
