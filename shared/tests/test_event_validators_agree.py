"""The fast (jsonschema-rs) and the explaining (jsonschema) validators accept exactly the same events.

validate_event asks the fast one first and trusts its yes; if it ever accepted what the Python
validator refuses, a malformed event would pass. For every schema of the catalog this builds a
valid instance from the schema itself, then breaks each property in turn (missing, wrong type,
impossible date, pattern, enum, bound) and checks both validators give the same verdict.
"""

from __future__ import annotations

import copy

import pytest

from kinerja_shared.events import CATALOG
from kinerja_shared.events.envelope import fast_validator, schema_validator

SAMPLES = {
    "^[0-9]{18}$": "199001012015011003",
    "^[0-2][0-9]:[0-5][0-9]$": "08:30",
    "^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$": "2026-Q1",
}


def sample(schema: dict):
    """A valid value for a (sub)schema, as simple as the schema allows."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None) if any(v is not None for v in schema["enum"]) else None
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: sample(props.get(name, {"type": "string"})) for name in props}
    if kind == "array":
        return [sample(schema["items"])] * max(1, schema.get("minItems", 1)) if "items" in schema else []
    if kind == "string":
        if "pattern" in schema:
            return SAMPLES[schema["pattern"]]
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-11-02"
        if fmt == "date-time":
            return "2026-11-02T08:30:00Z"
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    raise AssertionError(f"no sample for {schema}")


def breakages(schema: dict, value, path=()):
    """(label, broken instance-mutator) pairs for every property, recursively."""
    if not isinstance(value, dict):
        return
    for name, sub in schema.get("properties", {}).items():
        here = path + (name,)
        yield f"{'.'.join(map(str, here))} missing", here, "MISSING"
        yield f"{'.'.join(map(str, here))} as an object", here, {"not": "right"}
        kinds = sub.get("type") if isinstance(sub.get("type"), list) else [sub.get("type")]
        if "string" in kinds:
            yield f"{'.'.join(map(str, here))} as a number", here, 7
            yield f"{'.'.join(map(str, here))} empty", here, ""
            if sub.get("format") == "date":
                yield f"{'.'.join(map(str, here))} impossible date", here, "2026-02-30"
            if sub.get("format") == "date-time":
                yield f"{'.'.join(map(str, here))} not a date-time", here, "yesterday"
            if "maxLength" in sub:
                yield f"{'.'.join(map(str, here))} too long", here, "x" * (sub["maxLength"] + 1)
            if "enum" in sub:
                yield f"{'.'.join(map(str, here))} outside the enum", here, "nonsense"
        if {"integer", "number"} & set(kinds):
            yield f"{'.'.join(map(str, here))} as text", here, "12"
            if "minimum" in sub:
                yield f"{'.'.join(map(str, here))} below the minimum", here, sub["minimum"] - 1
            if "maximum" in sub:
                yield f"{'.'.join(map(str, here))} above the maximum", here, sub["maximum"] + 1
        if isinstance(value.get(name), dict):
            yield from breakages(sub, value[name], here)
        if isinstance(value.get(name), list) and value[name] and isinstance(value[name][0], dict):
            yield from breakages(sub["items"], value[name][0], here + (0,))


def put(instance, path, new):
    target = instance
    for key in path[:-1]:
        target = target[key]
    if new == "MISSING":
        target.pop(path[-1], None)
    else:
        target[path[-1]] = new


CASES = [(t, v) for t, entry in CATALOG.items() for v in entry.versions]


@pytest.mark.parametrize("event_type, version", CASES, ids=[f"{t}.v{v}" for t, v in CASES])
def test_both_validators_agree_on_every_property_of_every_schema(event_type, version):
    slow, fast = schema_validator(event_type, version), fast_validator(event_type, version)
    base = sample(slow.schema)
    assert not list(slow.iter_errors(base)) and fast.is_valid(base), "the built instance must be valid"
    checked = 0
    for label, path, new in breakages(slow.schema, base):
        broken = copy.deepcopy(base)
        put(broken, path, new)
        slow_ok = not list(slow.iter_errors(broken))
        assert fast.is_valid(broken) == slow_ok, f"{event_type}.v{version}: {label}: jsonschema says {slow_ok}"
        checked += 1
    assert checked >= 4
