"""Contracts equal enforcement: every limit in the four OpenAPI documents is the limit the service enforces.

Generated from each service's ``/openapi.json``: for every operation and every request-body or
query property (nested objects and arrays of objects included) with maxLength, minLength,
maximum, minimum, maxItems, minItems or enum, the test sends

- the limit itself (each enum value): the answer must not refuse the request naming that field;
- one past the limit (limit + 1, limit - 1, a value outside the enum): the answer must be a 4xx
  ``application/problem+json`` naming that field (or, for the offline batch, whose entries are
  refused one by one, a 207 whose entry names it).

Marshmallow reports every field's error at once, so the body holds only the property under test
(required siblings then fail by their own names, which the test ignores). An array under a
maxItems/minItems test holds minimal valid items (their required properties): marshmallow checks a
list's length only once its items load. An admin token keeps
access checks from hiding validation: the schemas are checked before any handler code runs, and
an access check comes after them (403/404 never name a field). No answer may be a 5xx.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

import pytest

from activity_service.service import SPEC as ACTIVITY
from evaluation_service.service import SPEC as EVALUATION
from notification_service.service import SPEC as NOTIFICATION
from plan_service.service import SPEC as PLAN

ADMIN = "196501011990011004"
LIMIT_KEYWORDS = ("maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems", "enum")
PATH_VALUES = {"integer": 1, "number": 1}
OFF_ENUM = "not-one-of-the-listed-values"
# Opaque tokens the service hands out (a page cursor): a made-up one of the maximum length is refused for
# what it is, so only the refusal past the limit is checked for them.
OPAQUE = {"cursor"}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    location: str  # body | query
    field: str  # dotted, as the problem's errors name it: results.0.indicators.0.target_value
    keyword: str  # the limit's keyword (enum for an enum value)
    limit: object
    value: object
    accept: bool  # True: the limit itself; False: one past it

    def __str__(self):
        verdict = "accept" if self.accept else "refuse"
        shown = (
            self.value
            if not isinstance(self.value, (str, list)) or len(self.value) < 40
            else f"<{len(self.value)} long>"
        )
        return f"{self.method} {self.path} {self.location}:{self.field} {self.keyword}={self.limit} {verdict} {shown!r}"


class Resolver:
    def __init__(self, document: dict):
        self.schemas = document.get("components", {}).get("schemas", {})

    def __call__(self, schema: dict) -> dict:
        """The schema with $ref and single-item allOf (apispec's nullable nesting) resolved."""
        seen = 0
        while True:
            seen += 1
            assert seen < 20, schema
            if "$ref" in schema:
                schema = {
                    **self.schemas[schema["$ref"].rsplit("/", 1)[-1]],
                    **{k: v for k, v in schema.items() if k != "$ref"},
                }
            elif "allOf" in schema and len(schema["allOf"]) == 1:
                rest = {k: v for k, v in schema.items() if k != "allOf"}
                schema = {**self(schema["allOf"][0]), **rest}
            else:
                return schema


def _string(schema: dict, length: int) -> str | None:
    """A string of ``length`` characters that satisfies the property's format; None when none is generated."""
    if schema.get("pattern"):
        return None
    fmt = schema.get("format")
    if fmt == "email":
        tail = "@example.com"
        return "a" * (length - len(tail)) + tail if length > len(tail) + 1 else None
    if fmt in ("url", "uri"):
        head = "https://example.com/"
        return head + "a" * (length - len(head)) if length >= len(head) else None
    if fmt in ("date", "date-time", "uuid", "time"):
        return None
    return "a" * length


def _pattern_value(pattern: str) -> str | None:
    """A value for the simple patterns the schemas use (digits of a fixed count, HH:MM, YYYY-MM); None otherwise."""
    digits = re.fullmatch(r"\^\[0-9\]\{(\d+)\}\$", pattern)
    if digits:
        return "1" * int(digits.group(1))
    for value in ("08:00", "2026-11", "2026-Q4", "a"):
        if re.search(pattern, value):
            return value
    return None


def _sample(schema: dict, resolve: Resolver, depth: int = 0):
    """A minimal valid value of the schema: an object gets its required properties, an array its minItems."""
    schema = resolve(schema)
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if depth > 6:
            return {}
        return {name: _sample(props[name], resolve, depth + 1) for name in schema.get("required", []) if name in props}
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [_sample(schema.get("items", {}), resolve, depth + 1) for _ in range(schema.get("minItems", 0))]
    if schema.get("pattern"):
        return _pattern_value(schema["pattern"]) or "a"
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-11-02"
    if fmt == "date-time":
        return "2026-11-02T08:00:00+07:00"
    return _string(schema, max(schema.get("minLength", 1), 1)) or "a"


def _limit_cases(schema: dict, resolve: Resolver) -> list[tuple[str, object, object, bool]]:
    """(keyword, limit, value, accept) for one property."""
    out = []
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in schema:
        for value in schema["enum"]:
            if value is not None:
                out.append(("enum", value, value, True))
        if kind in (None, "string"):
            out.append(("enum", "|".join(map(str, schema["enum"])), OFF_ENUM, False))
    if kind == "string" and "enum" not in schema:
        if "maxLength" in schema:
            n = schema["maxLength"]
            for length, accept in ((n, True), (n + 1, False)):
                value = _string(schema, length)
                if value is not None:
                    out.append(("maxLength", n, value, accept))
        if schema.get("minLength", 0) > 0:
            n = schema["minLength"]
            for length, accept in ((n, True), (n - 1, False)):
                value = _string(schema, length)
                if value is not None:
                    out.append(("minLength", n, value, accept))
    if kind in ("integer", "number"):
        if "maximum" in schema:
            out += [
                ("maximum", schema["maximum"], schema["maximum"], True),
                ("maximum", schema["maximum"], schema["maximum"] + 1, False),
            ]
        if "minimum" in schema:
            out += [
                ("minimum", schema["minimum"], schema["minimum"], True),
                ("minimum", schema["minimum"], schema["minimum"] - 1, False),
            ]
    if kind == "array":
        item = _sample(schema.get("items", {}), resolve)
        if "maxItems" in schema:
            n = schema["maxItems"]
            out += [
                ("maxItems", n, [copy.deepcopy(item) for _ in range(n)], True),
                ("maxItems", n, [copy.deepcopy(item) for _ in range(n + 1)], False),
            ]
        if schema.get("minItems", 0) > 0:
            n = schema["minItems"]
            out += [
                ("minItems", n, [copy.deepcopy(item) for _ in range(n)], True),
                ("minItems", n, [copy.deepcopy(item) for _ in range(n - 1)], False),
            ]
    return out


def _walk(schema: dict, resolve: Resolver, prefix: list, depth: int = 0):
    """(path, property schema) of every property below an object schema, through nested objects and arrays."""
    schema = resolve(schema)
    if depth > 6:
        return
    for name, prop in (schema.get("properties") or {}).items():
        prop = resolve(prop)
        if prop.get("readOnly"):
            continue
        path = [*prefix, name]
        yield path, prop
        if prop.get("type") == "object" or "properties" in prop:
            yield from _walk(prop, resolve, path, depth + 1)
        elif prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            items = resolve(prop["items"])
            if items.get("type") == "object" or "properties" in items:
                yield from _walk(items, resolve, [*path, 0], depth + 1)
            elif any(k in items for k in LIMIT_KEYWORDS):
                yield [*path, 0], items


def _place(path: list, value):
    """The minimal body holding ``value`` at ``path`` (an int step is a list index)."""
    for step in reversed(path):
        value = [value] if isinstance(step, int) else {step: value}
    return value


def operations(document: dict, resolve: Resolver):
    """(METHOD, path, parameters, JSON request body or None) of every operation of the document."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                params = [resolve(p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]]
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                yield method.upper(), path, params, body


def cases(document: dict) -> list[Case]:
    resolve = Resolver(document)
    found = []
    for method, path, params, body in operations(document, resolve):
        url = path
        for p in params:
            if p["in"] == "path":
                url = url.replace(
                    "{" + p["name"] + "}", str(PATH_VALUES.get(resolve(p.get("schema", {})).get("type"), "x"))
                )
        for p in params:
            if p["in"] == "query":
                for keyword, limit, value, accept in _limit_cases(resolve(p.get("schema", {})), resolve):
                    found.append(Case(method, url, "query", p["name"], keyword, limit, value, accept))
        if body:
            for prop_path, prop in _walk(body["schema"], resolve, []):
                for keyword, limit, value, accept in _limit_cases(prop, resolve):
                    found.append(
                        Case(
                            method,
                            url,
                            "body",
                            ".".join(map(str, prop_path)),
                            keyword,
                            limit,
                            _place(prop_path, value),
                            accept,
                        )
                    )
    return found


def _named_fields(response) -> set[str]:
    """The fields an answer refuses: a problem's errors, or the refused entries of a 207 batch."""
    body = response.get_json(silent=True) or {}
    if response.status_code == 207:
        named = set()
        for result in body.get("results", []):
            for error in (result.get("problem") or {}).get("errors") or []:
                named.add(f"items.{result['index']}.{error['field']}")
        return named
    return {e.get("field") for e in body.get("errors") or [] if isinstance(e, dict)}


def send(harness, case: Case, token: dict):
    headers = {**token, "If-Match": '"contract.1"'}
    if case.location == "query":
        return harness.client.open(
            case.path, method=case.method, query_string={case.field: case.value}, headers=headers
        )
    return harness.client.open(
        case.path,
        method=case.method,
        data=json.dumps(case.value, allow_nan=False),
        content_type="application/json",
        headers=headers,
    )


def check(harness, case: Case, token: dict) -> str | None:
    """None when the service enforces the case as documented, else what went wrong."""
    response = send(harness, case, token)
    status = response.status_code
    if status >= 500:
        return f"{case}: answered {status}"
    named = case.field in _named_fields(response)
    if case.accept:
        if case.field in OPAQUE:
            return None
        return f"{case}: refused naming the field ({status}, {response.get_json(silent=True)})" if named else None
    if status == 207 and named:
        return None
    if not 400 <= status < 500:
        return f"{case}: answered {status}, not a refusal"
    if response.content_type != "application/problem+json":
        return f"{case}: {status} is not problem+json"
    if not named:
        return f"{case}: {status} does not name the field ({response.get_json(silent=True)})"
    return None


@pytest.mark.parametrize("spec", [PLAN, ACTIVITY, EVALUATION, NOTIFICATION], ids=lambda s: s.name)
def test_every_documented_limit_is_the_enforced_limit(service_factory, spec, record_property):
    harness = service_factory(spec)
    response = harness.client.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    found = cases(document)
    token = harness.token(ADMIN, "admin")
    failures = [problem for case in found if (problem := check(harness, case, token)) is not None]
    limits = {(c.method, c.path, c.location, c.field, c.keyword, str(c.limit)) for c in found}
    operations = {(c.method, c.path) for c in found}
    print(
        f"{spec.name}: {len(found)} requests, {len(limits)} (operation, field, limit) cases"
        f", {len(operations)} operations"
    )
    record_property("cases", len(limits))
    assert len(found) > 20, "the document should hold limits; the generator found almost none"
    assert not failures, f"{len(failures)} of {len(found)} requests disagree with the document:\n" + "\n".join(failures)


def numeric_fields(document: dict) -> list[tuple[str, str, dict]]:
    """(operation, field, schema) of every number or integer a request body or query may carry (a path's
    integers are route converters: a value out of range is a 404, or a 422 naming the field in code)."""
    resolve = Resolver(document)
    found = []
    for method, path, params, body in operations(document, resolve):
        where = f"{method} {path}"
        for p in params:
            schema = resolve(p.get("schema", {}))
            if p["in"] == "query" and schema.get("type") in ("integer", "number"):
                found.append((where, f"query:{p['name']}", schema))
        if body:
            for prop_path, prop in _walk(body["schema"], resolve, []):
                kind = prop.get("type")
                kinds = kind if isinstance(kind, list) else [kind]
                if "integer" in kinds or "number" in kinds:
                    found.append((where, "body:" + ".".join(map(str, prop_path)), prop))
    return found


@pytest.mark.parametrize("spec", [PLAN, ACTIVITY, EVALUATION, NOTIFICATION], ids=lambda s: s.name)
def test_every_number_a_request_may_carry_is_bounded(service_factory, spec):
    """No request field takes any number: each states its minimum and maximum (which the test above enforces)."""
    harness = service_factory(spec)
    document = harness.client.get("/openapi.json").get_json()
    unbounded = [
        f"{where} {field}"
        for where, field, schema in numeric_fields(document)
        if "minimum" not in schema or "maximum" not in schema
    ]
    assert not unbounded, "numbers without a documented minimum and maximum:\n" + "\n".join(unbounded)
