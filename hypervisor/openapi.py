"""The OpenAPI schema says what the access rules say: a public operation needs no credential."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from hypervisor.access import rule_of


class AccessRuleSchema(AutoSchema):
    """Security requirements follow the view's declared rule (the permission class is generic).

    A public view's credentials are optional (an open-data key raises a quota): its
    requirements include the empty one. Other views require one of their schemes.
    """

    def get_auth(self) -> list[dict[str, Any]]:
        auths = [auth for auth in super().get_auth() if auth]
        rule = rule_of(self.view)
        if rule is not None and rule.public:
            auths.append({})
        return auths

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        """A view that cannot do without a body says so (`request_body_required`); a raw
        schema given to extend_schema would otherwise leave the body optional."""
        body = super()._get_request_body(direction)
        if body and getattr(self.view, "request_body_required", False):
            body["required"] = True
        return body
