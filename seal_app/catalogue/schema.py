"""The JSON schema every catalogue file must follow (checked with jsonschema)."""

TEXT = {"type": "string", "minLength": 1}
CODE = {"type": "string", "pattern": r"^[A-Z][A-Z0-9]{0,3}(\.[0-9]{1,2})?$"}

LEVEL = {
    "type": "object",
    "additionalProperties": False,
    "required": ["level", "label", "descriptor"],
    "properties": {
        "level": {"type": "integer", "minimum": 0, "maximum": 10},
        "label": TEXT,
        "descriptor": TEXT,
    },
}

CRITERION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "title", "description", "guidance", "evidence", "mandatory", "weight"],
    "properties": {
        "code": CODE,
        "title": TEXT,
        "description": TEXT,
        "guidance": TEXT,
        "evidence": {"type": "array", "minItems": 1, "items": TEXT},
        "mandatory": {"type": "boolean"},
        "weight": {"type": "integer", "minimum": 1, "maximum": 5},
    },
}

AREA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "title", "description", "criteria"],
    "properties": {
        "code": CODE,
        "title": TEXT,
        "description": TEXT,
        "criteria": {"type": "array", "minItems": 1, "items": CRITERION},
    },
}

CATALOGUE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "title", "introduction", "scale", "award_rule", "areas"],
    "properties": {
        "version": {"type": "string", "pattern": r"^[0-9]{4}\.[0-9]{1,2}$"},
        "title": TEXT,
        "introduction": TEXT,
        "scale": {"type": "array", "minItems": 2, "items": LEVEL},
        "award_rule": {
            "type": "object",
            "additionalProperties": False,
            "required": ["mandatory_min_level", "min_share_of_maximum", "description"],
            "properties": {
                "mandatory_min_level": {"type": "integer", "minimum": 0},
                "min_share_of_maximum": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "description": TEXT,
                # levels apart from which two assessors' scores need a reason to be settled
                "divergence": {"type": "integer", "minimum": 1},
            },
        },
        "areas": {"type": "array", "minItems": 1, "items": AREA},
    },
}
