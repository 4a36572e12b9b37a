"""JSON Schemas of the open-data responses, for the OpenAPI document.

They describe what the views write by hand (the bodies are not DRF serializers), so that
clients and schemathesis can check every answer against the document.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

LINK: Schema = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {
        "href": {"type": "string", "format": "uri"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "title": {"type": "string"},
    },
}
LINKS: Schema = {"type": "array", "items": LINK}

ERROR: Schema = {
    "type": "object",
    "description": "OGC API exception: a code and a description (and the parameter at fault).",
    "required": ["code", "description"],
    "properties": {
        "code": {"type": "string"},
        "description": {"type": "string"},
        "parameter": {"type": "string"},
    },
}

LANDING: Schema = {
    "type": "object",
    "required": ["links"],
    "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "links": LINKS},
}

CONFORMANCE: Schema = {
    "type": "object",
    "required": ["conformsTo"],
    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
}

_BBOX: Schema = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 4,
    "maxItems": 6,
}

COLLECTION: Schema = {
    "type": "object",
    "required": ["id", "links"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "itemType": {"type": "string"},
        "links": LINKS,
        "extent": {
            "type": "object",
            "properties": {
                "spatial": {
                    "type": "object",
                    "properties": {
                        "bbox": {"type": "array", "items": _BBOX, "minItems": 1},
                        "crs": {"type": "string"},
                    },
                }
            },
        },
        "crs": {"type": "array", "items": {"type": "string"}},
        "storageCrs": {"type": "string"},
    },
}

COLLECTIONS: Schema = {
    "type": "object",
    "required": ["links", "collections"],
    "properties": {
        "links": LINKS,
        "crs": {"type": "array", "items": {"type": "string"}},
        "collections": {"type": "array", "items": COLLECTION},
    },
}

_POSITION: Schema = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3}
_RING: Schema = {"type": "array", "items": _POSITION, "minItems": 4}
GEOMETRY: Schema = {
    "oneOf": [
        {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {"type": {"enum": ["Point"]}, "coordinates": _POSITION},
        },
        {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"enum": ["Polygon"]},
                "coordinates": {"type": "array", "items": _RING},
            },
        },
        {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"enum": ["MultiPolygon"]},
                "coordinates": {"type": "array", "items": {"type": "array", "items": _RING}},
            },
        },
    ]
}

FEATURE: Schema = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": GEOMETRY,
        "properties": {"type": "object"},
        "links": LINKS,
    },
}

FEATURE_COLLECTION: Schema = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE},
        "links": LINKS,
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
    },
}

# Four numbers, or six with heights; OpenAPI 3.0 has no other way to say "4 or 6 items".
BBOX_PARAMETER: Schema = {
    "oneOf": [
        {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        {"type": "array", "items": {"type": "number"}, "minItems": 6, "maxItems": 6},
    ]
}
