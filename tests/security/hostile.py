"""Issue 14: a hostile-input run against the four services as real processes (gunicorn web + worker, Kafka).

Every operation of the four OpenAPI documents gets requests whose bodies, query strings, path parameters and
headers are mutated with what schemathesis' defaults never send: negative and boundary numbers, huge and
non-finite numbers (``1e308``, ``1e309`` which a JSON parser reads as infinity, ``NaN``/``Infinity`` literals),
bodies nested thousands of levels deep, Unicode categories (lone surrogates as ``\\ud800`` escapes, RTL
override, zero-width, combining marks, non-characters), duplicate keys, wrong content types, oversized strings
and arrays, and values of the wrong type. The callers carry valid tokens of several roles (admin, employee,
rater) of an org seeded through the API, so the requests get past authentication to validation and storage.
Two contract probes ride along: a write without ``If-Match`` on a resource that has an ``ETag`` must not
succeed, and a webhook to a loopback, private or metadata address must be refused.

Every answer is checked: no 5xx, a body that says it is JSON parses strictly (no ``NaN``/``Infinity``), no
stack trace or exception class name in any body, every 4xx is application/problem+json. Afterwards every GET of
every resource the run touched, and every list, summary, dashboard and export GET, is requested again by each
role: each must answer 2xx/4xx with strict JSON, a read that answered 2xx before the run must not be refused with
422 after it (stored data that no longer reads: a poisoned read), and a CSV export must not hand a spreadsheet a
formula.

The requests are a function of the seed alone; they are sent by a few threads, so their interleaving (and so
the exact state a late request meets) may differ from run to run.

    python -m tests.security.hostile --help
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import requests

from ..e2e.conftest import System
from ..e2e.flow import ADMIN, Org, today_wib

RESULTS = Path(__file__).parent / "results" / "hostile-run.json"
DEFAULT_SEED = 14
DEFAULT_REQUESTS = 5000
WRITES = ("post", "put", "patch", "delete")
SKIPPED = {("get", "/api/v1/notifications/stream")}  # an event stream never ends: a client would wait on it forever
EXCERPT = 300


# -- what goes on the wire ------------------------------------------------------------------------------------------


class Raw(str):
    """JSON text written verbatim (``1e309``, ``NaN``, a 5,000-level nesting)."""


class Pairs(list):
    """A JSON object as (key, value) pairs, so a key can appear twice."""


def dump(value) -> str:
    """JSON text of ``value``; strings are ASCII-escaped, so a lone surrogate goes out as ``\\ud800``."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Pairs):
        return "{" + ",".join(f"{dump(k)}:{dump(v)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{dump(k)}:{dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value)


def nested(depth: int, kind: str = "list") -> Raw:
    return Raw("[" * depth + "]" * depth) if kind == "list" else Raw('{"a":' * depth + "1" + "}" * depth)


BOUNDARY = [
    0,
    -1,
    1,
    Raw("-0"),
    Raw("-0.0"),
    0.5,
    -0.5,
    Raw("1e-320"),
    -2147483648,
    2147483647,
    2147483648,
    9223372036854775807,
    9223372036854775808,
    -9223372036854775809,
    999999999999,
    Raw("0.0000000001"),
    Raw("1.00000000000000000000001"),
]
HUGE = [
    Raw("1e308"),
    Raw("1e308"),
    Raw("1e308"),
    Raw("-1e308"),
    Raw("1.7976931348623157e308"),
    Raw("-1.7976931348623157e308"),
    Raw("1e300"),
    Raw("9" * 400),
    Raw("9" * 5000),
    Raw("-" + "9" * 5000),
    Raw("1e99999"),
    Raw("123456789.123456789123456789"),
]
NON_FINITE = [Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e309"), Raw("-1e309"), Raw("nan"), Raw("inf")]
UNICODE = [
    "\ud800",
    "a\udfffb",
    "\udc00\ud800",
    "laporan \ud83d",
    "\u202eexe.pdf",
    "zero\u200bwidth\u200c\u200d",
    "e" + "\u0301" * 300,
    "Lapora\u0301n",
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "\U0001fffe",
    "\x00",
    "nul\x00byte",
    "\ufeffbom",
    "\u2028\u2029",
    "\x1b[31mmerah",
    "\u0627\u0644\u062a\u0642\u0631\u064a\u0631",
    "\U0001f4c4",
    "\t\r\n",
    "\u00a0",
    "\ud800\udc00",
    "\u200f\u202b",
    "\ufdd0",
]
WRONG_TYPES = [[], {}, True, False, None, "1", 1, 1.5, [[1]], {"$gt": ""}, [None], "", " ", "true", "null"]
OVERSIZED_STRINGS = [10_000, 100_000, 1_000_000]
QUERY_VALUES = [
    "1e308",
    "-1e308",
    "1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "0",
    "99999999999999999999",
    "9" * 5000,
    "%00",
    "%ED%A0%80",
    "%EF%BF%BE",
    "%E2%80%AE",
    "%E2%80%8B",
    "%FF",
    "a" * 10_000,
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "-2026-01",
    "%27%20OR%201%3D1--",
    "[]",
    "{}",
    "true",
    "%0d%0a",
]
PATH_VALUES = [
    "-1",
    "0",
    "1e308",
    "NaN",
    "9" * 400,
    "a" * 5000,
    "%00",
    "%ED%A0%80",
    "%EF%BF%BE",
    "%E2%80%AE",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "a%20b",
    "%FF%FE",
    "'",
    "%3Cscript%3E",
    "x" * 64,
]
CONTENT_TYPES = [
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json; charset=utf-16",
    "application/json; charset=latin-1",
    "application/vnd.api+json",
    "application/merge-patch+json",
    "",
    "application/octet-stream",
    "text/csv",
    "application/json;;;",
]
RAW_BODIES = [
    b"",
    b"null",
    b"[]",
    b'"s"',
    b"1e309",
    b"NaN",
    b"{",
    b'{"a":1}garbage',
    b"\xff\xfe\x00",
    b"\xed\xa0\x80",
    b'{"a":"\xed\xa0\x80"}',
    b"\xef\xbb\xbf{}",
    b"{}" * 1000,
    b"\x00",
    b'{"a":1,}',
    b"{'a':1}",
    b"[1,2",
    b'{"\\ud800":1}',
    b'{"a":"\\u00"}',
]
HOSTILE_HEADERS = [
    {"If-Match": "*"},
    {"If-Match": 'W/"' + "9" * 5000 + '"'},
    {"If-Match": '"\xff\xfe"'},
    {"If-Match": '"1e308"'},
    {"Idempotency-Key": "k" * 10_000},
    {"Idempotency-Key": "\xff"},
    {"Accept-Language": "\xff;q=NaN"},
    {"Accept-Language": "id;q=1e309, en;q=-1"},
    {"Accept": "application/xml"},
    {"X-Correlation-Id": "c" * 10_000},
    {"X-Request-Id": "\r\x01"},
    {"Content-Length": "0"},
    {"Last-Event-ID": "9" * 500},
    {"Range": "bytes=-1"},
]
SSRF_URLS = [
    "http://127.0.0.1:9/api/v1/units",
    "http://localhost/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://224.0.0.1/",
    "http://metadata.google.internal/",
]
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(1)"]
BODY_CATEGORIES = [
    "boundary-number",
    "huge-number",
    "non-finite",
    "deep-nesting",
    "unicode",
    "duplicate-keys",
    "content-type",
    "oversized",
    "wrong-type",
]
OTHER_CATEGORIES = ["query", "path", "headers"]
LEAK = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|\b(?:[A-Z][A-Za-z]*(?:Error|Exception)"
    r"|InvalidOperation|psycopg\d?\.\w+|sqlalchemy\.\w+|werkzeug\.\w+|marshmallow\.\w+)\b"
)


# -- what the run knows ---------------------------------------------------------------------------------------------


@dataclass
class Operation:
    service: str
    method: str
    template: str
    op: dict
    document: dict

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.service}{self.template}"

    def body_schema(self) -> dict | None:
        content = (self.op.get("requestBody") or {}).get("content", {})
        return resolve(self.document, content["application/json"]["schema"]) if "application/json" in content else None

    def parameters(self, where: str) -> list[dict]:
        return [p for p in (resolve(self.document, p) for p in self.op.get("parameters", [])) if p.get("in") == where]


@dataclass
class Request:
    service: str
    method: str
    path: str
    template: str
    category: str
    role: str
    body: bytes | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    expect_refusal: bool = False  # a contract probe: any 2xx is a failure


@dataclass
class Outcome:
    request: Request
    status: int | None
    content_type: str
    text: str
    headers: dict
    problems: list[str]
    elapsed: float = 0.0
    size: int = 0


def resolve(document: dict, schema: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if isinstance(schema, dict) and "allOf" in schema:
        merged = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = resolve(document, part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return schema


class Seeded:
    """The org, the tokens and the ids the run aims at, created through the API like a user would."""

    def __init__(self, system: System, seed: int = DEFAULT_SEED):
        self.system, self.seed = system, seed
        self.org = Org(system, seed % 500)
        self.roles = {
            "admin": system.headers(ADMIN, "admin"),
            "employee": self.org.as_employee,
            "rater": self.org.as_rater,
        }
        self.ids: dict[str, list[str]] = defaultdict(list)
        self.notes: list[str] = []
        self._seed()

    def call(self, method, service, path, role, **kwargs) -> requests.Response:
        return self.system.call(method, service, path, self.roles[role], **kwargs)

    def _seed(self) -> None:
        o, ids = self.org, self.ids
        ids["unit_id"] += [o.unit]
        ids["nip"] += [o.employee, o.rater]
        ids["year"] += [str(today_wib().year)]
        plan = o.approved_plan()
        ids["plan_id"] += [plan["id"]]
        ids["revision"] += [str(plan.get("revision", 1))]
        result = plan["results"][0]
        ids["result_id"] += [result["id"] if "id" in result else result["result_id"]]
        indicator = result["indicators"][0]
        ids["indicator_id"] += [indicator.get("id") or indicator.get("indicator_id")]
        o.wait_indicator(ids["indicator_id"][0])
        activity = o.log_activity(ids["indicator_id"][0], 8)
        ids["activity_id"] += [activity["id"]]
        self.verified = o.log_activity(ids["indicator_id"][0], 10)
        r = self.call(
            "POST",
            "activity-service",
            f"/api/v1/activities/{self.verified['id']}/verify",
            "rater",
            json={"decision": "accepted"},
        )
        self.notes.append(f"verify seeded activity -> {r.status_code}")
        ids["activity_id"] += [self.verified["id"]]
        r = self.call(
            "POST",
            "plan-service",
            "/api/v1/plan-templates",
            "admin",
            json={"name": "Templat Uji", "position": "Analis", "results": plan["results"][:1]},
        )
        if r.status_code in (200, 201):
            ids["template_id"] += [r.json()["id"]]
        r = self.call(
            "POST",
            "notification-service",
            "/api/v1/webhooks",
            "admin",
            json={"url": "https://hooks.binjaikota.go.id/kinerja", "event_types": ["*"]},
        )
        if r.status_code in (200, 201):
            ids["subscription_id"] += [r.json()["id"]]
        try:
            evaluation = o.open_evaluation(plan["id"], timeout=20)
            ids["evaluation_id"] += [evaluation["id"]]
            ids["period_id"] += [evaluation.get("period_id") or (evaluation.get("period") or {}).get("id")]
        except AssertionError as exc:
            self.notes.append(f"no evaluation opened: {exc}")
        r = self.call("GET", "evaluation-service", f"/api/v1/periods?year={today_wib().year}", "admin")
        if r.status_code == 200:
            body = r.json()
            for period in body.get("items", body) if isinstance(body, (dict, list)) else []:
                if isinstance(period, dict) and period.get("id") and period["id"] not in ids["period_id"]:
                    ids["period_id"].append(period["id"])
        for role in ("employee", "rater"):
            r = self.call("GET", "notification-service", "/api/v1/notifications?limit=5", role)
            if r.status_code == 200:
                ids["notification_id"] += [n["id"] for n in r.json().get("items", [])[:2]]
        ids["period_id"] = [p for p in ids["period_id"] if p] or [f"{today_wib().year}-Q1"]
        self._seed_export()
        r = self.call("GET", "notification-service", "/api/v1/integrations/siasn/records?limit=5", "admin")
        if r.status_code == 200:  # the SIASN records of the evaluations closed above (issue 18)
            ids["record_id"] += [rec["id"] for rec in r.json().get("items", [])]

    def _seed_export(self) -> None:
        """A second unit whose employee and unit carry names a spreadsheet reads as formulas, with a closed evaluation,
        so that the unit's export has a row: the CSV must neutralise them. (The first unit's evaluation stays open, so
        what the run stores flows into its evaluation form and dashboard.)"""
        org = Org(self.system, self.seed % 500 + 500)
        for name, path, body in (
            (
                "employee",
                f"/api/v1/employees/{org.employee}",
                {
                    "name": FORMULA_NAMES[0],
                    "unit_id": org.unit,
                    "rater_nip": org.rater,
                    "email": "pegawai@binjaikota.go.id",
                },
            ),
            ("unit", f"/api/v1/units/{org.unit}", {"name": FORMULA_NAMES[1], "head_nip": org.rater}),
        ):
            r = self.system.call("PUT", "plan-service", path, self.roles["admin"], json=body)
            self.notes.append(f"formula {name} name: PUT {path} -> {r.status_code}")
        plan = org.approved_plan()
        try:
            evaluation = org.open_evaluation(plan["id"], timeout=20)
        except AssertionError as exc:
            self.notes.append(f"export unit: no evaluation opened: {exc}")
            return
        for step, body in (
            ("submit", {"results_rating": "meets", "behaviour_rating": "meets", "rating_note": "Penilaian uji"}),
            ("close", None),
        ):
            r = self.system.call(
                "POST", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}/{step}", org.as_rater, json=body
            )
            self.notes.append(f"export unit: {step} evaluation -> {r.status_code}")
        self.ids["unit_id"].append(org.unit)

    def pick(self, name: str, rng: random.Random) -> str:
        values = self.ids.get(name)
        return str(rng.choice(values)) if values else rng.choice(["x1", str(uuid.UUID(int=rng.getrandbits(128)))])


# -- building requests ----------------------------------------------------------------------------------------------

# (method, path fragment, role) of the caller most likely to get past authorisation; the others are tried too.
PREFERRED = [
    ("post", "/verify", "rater"),
    ("post", "/approve", "rater"),
    ("post", "/return", "rater"),
    ("post", "/reject", "rater"),
    ("post", "/feedback", "rater"),
    ("post", "/evaluations/", "rater"),
    ("", "/activities", "employee"),
    ("", "/plans", "employee"),
    ("", "/notifications", "employee"),
    ("", "/unit-performance", "admin"),
    ("", "", "admin"),
]
KNOWN_BODIES = {
    ("activity-service", "post", "/api/v1/activities"): lambda s, rng: {  # a free slot: the seeded ones are 08-11
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "date": (today_wib() - timedelta(days=rng.randrange(4))).isoformat(),
        **slot(rng),
        "indicator_id": s.pick("indicator_id", rng),
        "description": "Menyusun laporan",
        "quantity": 1,
        "quantity_unit": "laporan",
        "evidence": [{"url": "https://drive.binjaikota.go.id/laporan/1"}],
    },
    ("activity-service", "patch", "/api/v1/activities/{activity_id}"): lambda s, rng: {
        "description": "Menyusun laporan bulanan",
        "quantity": 2,
    },
    ("activity-service", "post", "/api/v1/activities/{activity_id}/verify"): lambda s, rng: {"decision": "accepted"},
    ("plan-service", "post", "/api/v1/plans"): lambda s, rng: {
        "year": today_wib().year + 1,
        "approach": "quantitative",
        "model": "JA_JF",
        "behaviours": [
            {"value": v, "expectation": "Sesuai"}
            for v in ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
        ],
        "results": [
            {
                "kind": "main",
                "text": "Laporan tersusun",
                "indicators": [
                    {"aspect": "quantity", "text": "Jumlah laporan", "target_value": 10, "target_unit": "laporan"}
                ],
            }
        ],
    },
    ("plan-service", "put", "/api/v1/employees/{nip}"): lambda s, rng: {  # names the CSV export must neutralise
        "name": rng.choice(FORMULA_NAMES),
        "unit_id": s.org.unit,
        "rater_nip": s.org.rater,
        "email": "pegawai@binjaikota.go.id",
    },
    ("plan-service", "put", "/api/v1/units/{unit_id}"): lambda s, rng: {"name": "Bidang Uji", "head_nip": s.org.rater},
    ("notification-service", "post", "/api/v1/webhooks"): lambda s, rng: {
        "url": "https://hooks.binjaikota.go.id/kinerja",
        "event_types": ["*"],
    },
}


def slot(rng: random.Random) -> dict:
    start = rng.randrange(12 * 60, 23 * 60, 5)
    return {
        "start_time": f"{start // 60:02d}:{start % 60:02d}",
        "end_time": f"{(start + 5) // 60:02d}:{(start + 5) % 60:02d}",
    }


NAMED_STRINGS = {
    "nip": "nip",
    "rater_nip": "nip",
    "head_nip": "nip",
    "unit_id": "unit_id",
    "parent_id": "unit_id",
    "indicator_id": "indicator_id",
    "result_id": "result_id",
    "plan_id": "plan_id",
    "period_id": "period_id",
    "evaluation_id": "evaluation_id",
    "activity_id": "activity_id",
}


def example(document: dict, schema: dict, seeded: Seeded, rng: random.Random, name: str = "", depth: int = 0):
    """A plausible valid value for ``schema``: the baseline every mutation changes one thing of."""
    schema = resolve(document, schema or {})
    if "example" in schema:
        return schema["example"]
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v != "*"), schema["enum"][0])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {
            k: example(document, v, seeded, rng, k, depth + 1)
            for k, v in schema.get("properties", {}).items()
            if not resolve(document, v).get("readOnly")
        }
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [example(document, schema.get("items", {}), seeded, rng, name, depth + 1) for _ in range(count)]
    if kind == "integer":
        return int(today_wib().year if name == "year" else max(schema.get("minimum", 1), 1))
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return today_wib().isoformat()
    if fmt == "date-time":
        return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if fmt == "email":
        return "uji@binjaikota.go.id"
    if fmt in ("url", "uri"):
        return "https://hooks.binjaikota.go.id/kinerja"
    if fmt == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128)))
    if name in NAMED_STRINGS:
        return seeded.pick(NAMED_STRINGS[name], rng)
    return "uji" if schema.get("minLength", 0) <= 3 else "u" * schema["minLength"]


NUMERIC_CATEGORIES = ("boundary-number", "huge-number", "non-finite")


def kind(value, prop: dict) -> str:
    """The JSON type a field has: from its schema, else from the value the baseline holds."""
    if prop.get("type"):
        return prop["type"]
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string"}.get(type(value), "other")


def mutate_field(body: dict, schema: dict, document: dict, rng: random.Random, category: str):
    """``body`` with one field replaced by a hostile value of ``category``: a number field for the number categories,
    a text field for Unicode, any field else; a field of the first item of a list of objects counts too (the
    indicators of a plan's results, the links of an activity's evidence)."""
    body = json.loads(json.dumps(body))
    places = []  # (container, key, its schema)

    def collect(container: dict, schema: dict, depth: int) -> None:
        for key, value in container.items():
            prop = resolve(document, (schema.get("properties") or {}).get(key, {}))
            places.append((container, key, prop))
            if depth < 3 and isinstance(value, list) and value and isinstance(value[0], dict):
                collect(value[0], resolve(document, prop.get("items", {})), depth + 1)

    collect(body, schema, 0)
    wanted = {"number", "integer"} if category in NUMERIC_CATEGORIES else {"string"} if category == "unicode" else None
    fitting = [(c, k, prop) for c, k, prop in places if wanted and kind(c[k], prop) in wanted]
    container, key, _ = rng.choice(fitting or places or [(body, "x", {})])
    container[key] = hostile_value(category, rng, container.get(key))
    return body, key


def hostile_value(category: str, rng: random.Random, current=None):
    if category == "boundary-number":
        return rng.choice(BOUNDARY)
    if category == "huge-number":
        return rng.choice(HUGE)
    if category == "non-finite":
        return rng.choice(NON_FINITE)
    if category == "deep-nesting":
        return nested(rng.choice([1000, 5000, 20000]), rng.choice(["list", "object"]))
    if category == "unicode":
        text = rng.choice(UNICODE)
        return text if not isinstance(current, str) or rng.random() < 0.5 else current + text
    if category == "oversized":
        if rng.random() < 0.5:
            return "a" * rng.choice(OVERSIZED_STRINGS)
        return [current if current is not None else 1] * rng.choice([1001, 10_000])
    return rng.choice(WRONG_TYPES)


def body_request(
    operation: Operation, base: dict, schema: dict, rng: random.Random, category: str
) -> tuple[bytes, str, str]:
    """(body, content type, what was changed) for one body category."""
    doc = operation.document
    if category == "deep-nesting" and rng.random() < 0.5:
        return (
            dump(nested(rng.choice([1000, 5000, 20000]), rng.choice(["list", "object"]))).encode(),
            "application/json",
            "body",
        )
    if category == "duplicate-keys":
        name = rng.choice(list(base) or ["x"])
        hostile = hostile_value(rng.choice(["huge-number", "non-finite", "unicode", "wrong-type"]), rng)
        pairs = Pairs(base.items())
        pairs.insert(len(pairs) if rng.random() < 0.5 else 0, (name, hostile))  # the hostile one last, or first
        return dump(pairs).encode(), "application/json", name
    if category == "content-type":
        if rng.random() < 0.5:
            return rng.choice(RAW_BODIES), "application/json", "body"
        ctype = rng.choice(CONTENT_TYPES)
        text = dump(base)
        data = text.encode("utf-16") if "utf-16" in ctype else text.encode()
        return data, ctype, "content-type"
    if category == "oversized" and rng.random() < 0.3:
        many = Pairs((f"k{i}", i) for i in range(rng.choice([5_000, 20_000])))
        return dump(many).encode(), "application/json", "body"
    body, name = mutate_field(base, schema, doc, rng, category)
    return dump(body).encode(), "application/json", name


def preferred_role(operation: Operation, rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(["admin", "employee", "rater"])
    for method, fragment, role in PREFERRED:
        if (not method or method == operation.method) and fragment in operation.template:
            return role
    return "admin"


def concrete(operation: Operation, seeded: Seeded, rng: random.Random, hostile: str | None = None) -> str:
    path = operation.template
    params = re.findall(r"{(\w+)}", path)
    spoiled = rng.choice(params) if hostile and params else None
    for name in params:
        value = hostile if name == spoiled else quote(seeded.pick(name, rng), safe="")
        path = path.replace("{" + name + "}", value)
    return path


def query_string(operation: Operation, seeded: Seeded, rng: random.Random, hostile: bool) -> str:
    params = operation.parameters("query")
    if not params:
        return ""
    chosen = rng.choice(params)["name"] if hostile else None
    parts = []
    for p in params:
        name = p["name"]
        if name == chosen:
            parts.append(f"{name}={rng.choice(QUERY_VALUES)}")
            if rng.random() < 0.2:
                parts.append(f"{name}={rng.choice(QUERY_VALUES)}")  # the parameter twice
        elif name in NAMED_STRINGS or name in ("year", "month", "format"):
            value = {
                "year": str(today_wib().year),
                "month": today_wib().strftime("%Y-%m"),
                "format": rng.choice(["csv", "json"]),
            }.get(name) or seeded.pick(NAMED_STRINGS[name], rng)
            parts.append(f"{name}={quote(value, safe='')}")
    return "?" + "&".join(parts) if parts else ""


SWEEP = [Raw("1e308"), Raw("1.7976931348623157e308"), Raw("-1e308")]


def numeric_fields(body: dict, schema: dict, document: dict, depth: int = 0, prefix: tuple = ()) -> list[tuple]:
    """Key paths of the number fields of ``body`` (into the first item of lists of objects)."""
    found = []
    for key, value in body.items():
        prop = resolve(document, (schema.get("properties") or {}).get(key, {}))
        if kind(value, prop) in ("number", "integer"):
            found.append((*prefix, key))
        elif depth < 3 and isinstance(value, list) and value and isinstance(value[0], dict):
            found += numeric_fields(
                value[0], resolve(document, prop.get("items", {})), document, depth + 1, (*prefix, key, 0)
            )
    return found


def numeric_sweep(operations: list[Operation], seeded: Seeded, rng: random.Random) -> list[Request]:
    """Every number field of every documented body, once with each of SWEEP: what a run must not leave to chance."""
    sweep = []
    for operation in operations:
        schema = operation.body_schema()
        if schema is None:
            continue
        for path in numeric_fields(baseline(operation, schema, seeded, rng), schema, operation.document):
            for value in SWEEP:
                body = baseline(operation, schema, seeded, rng)
                target = body
                for step in path[:-1]:
                    target = target[step]
                target[path[-1]] = value
                sweep.append(
                    Request(
                        operation.service,
                        operation.method,
                        concrete(operation, seeded, rng),
                        operation.template,
                        "huge-number",
                        preferred_role(operation, rng),
                        dump(body).encode(),
                        "application/json",
                    )
                )
    return sweep


def baseline(operation: Operation, schema: dict, seeded: Seeded, rng: random.Random) -> dict:
    maker = KNOWN_BODIES.get((operation.service, operation.method, operation.template))
    body = maker(seeded, rng) if maker else example(operation.document, schema, seeded, rng)
    return body if isinstance(body, dict) else {}


def plan_requests(operations: list[Operation], seeded: Seeded, seed: int, total: int) -> list[Request]:
    """``total`` requests, a function of ``seed`` (and of the seeded ids): round-robin over the operations,
    each cycling through the categories that apply to it."""
    rng = random.Random(seed)
    planned: list[Request] = contract_probes(operations, seeded, rng) + numeric_sweep(operations, seeded, rng)
    cursor: dict[str, int] = {}
    order = list(operations)
    rng.shuffle(order)
    while len(planned) < total:
        for operation in order:
            if len(planned) >= total:
                break
            schema = operation.body_schema()
            categories = (BODY_CATEGORIES if schema is not None else []) + OTHER_CATEGORIES
            if operation.label not in cursor:
                cursor[operation.label] = rng.randrange(len(categories))
            category = categories[cursor[operation.label] % len(categories)]
            cursor[operation.label] += 1
            role = preferred_role(operation, rng)
            base = baseline(operation, schema, seeded, rng) if schema is not None else None
            path = concrete(operation, seeded, rng, rng.choice(PATH_VALUES) if category == "path" else None)
            path += query_string(operation, seeded, rng, category == "query")
            headers = dict(rng.choice(HOSTILE_HEADERS)) if category == "headers" else {}
            body, ctype = None, None
            if category in BODY_CATEGORIES:
                body, ctype, _ = body_request(operation, base, schema, rng, category)
            elif base is not None:
                body, ctype = dump(base).encode(), "application/json"
            planned.append(
                Request(
                    operation.service, operation.method, path, operation.template, category, role, body, ctype, headers
                )
            )
    return planned


def contract_probes(operations: list[Operation], seeded: Seeded, rng: random.Random) -> list[Request]:
    """Writes that must be refused whatever the validation: no If-Match on a versioned resource, internal webhooks."""
    probes = []
    for operation in operations:
        key = (operation.service, operation.method, operation.template)
        if operation.method in ("put", "patch", "delete") and "{" in operation.template and key in VERSIONED:
            maker = KNOWN_BODIES.get(key)
            schema = operation.body_schema()
            body = (
                maker(seeded, rng) if maker else (example(operation.document, schema, seeded, rng) if schema else None)
            )
            probes.append(
                Request(
                    operation.service,
                    operation.method,
                    concrete(operation, seeded, rng),
                    operation.template,
                    "if-match",
                    VERSIONED[key],
                    dump(body).encode() if body is not None else None,
                    "application/json" if body is not None else None,
                    expect_refusal=True,
                )
            )
        if key == ("notification-service", "post", "/api/v1/webhooks"):
            for url in SSRF_URLS:
                probes.append(
                    Request(
                        operation.service,
                        "post",
                        operation.template,
                        operation.template,
                        "ssrf",
                        "admin",
                        dump({"url": url, "event_types": ["*"]}).encode(),
                        "application/json",
                        expect_refusal=True,
                    )
                )
        if key == ("notification-service", "patch", "/api/v1/webhooks/{subscription_id}"):
            for url in SSRF_URLS[:4]:
                probes.append(
                    Request(
                        operation.service,
                        "patch",
                        concrete(operation, seeded, rng),
                        operation.template,
                        "ssrf",
                        "admin",
                        dump({"url": url}).encode(),
                        "application/json",
                        headers={"If-Match": "*"},
                        expect_refusal=True,
                    )
                )
    return probes


# Versioned resources (their GET answers an ETag): a write without If-Match must not succeed (428).
VERSIONED = {
    ("plan-service", "patch", "/api/v1/plans/{plan_id}"): "employee",
    ("plan-service", "put", "/api/v1/plans/{plan_id}"): "employee",
    ("activity-service", "patch", "/api/v1/activities/{activity_id}"): "employee",
    ("notification-service", "patch", "/api/v1/notifications/preferences"): "employee",
    ("notification-service", "patch", "/api/v1/webhooks/{subscription_id}"): "admin",
    ("plan-service", "put", "/api/v1/plan-templates/{template_id}"): "admin",
}


# -- sending and checking -------------------------------------------------------------------------------------------


def strict_json(text: str) -> None:
    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    json.loads(text, parse_constant=refuse)


def check(outcome_status: int | None, content_type: str, raw: bytes, expect_refusal: bool) -> tuple[str, list[str]]:
    """(text, problems) of one answer."""
    text = raw.decode("utf-8", errors="replace")
    problems = []
    if outcome_status is None:
        return text, ["no-answer"]
    if outcome_status >= 500:
        problems.append("5xx")
    mime = content_type.split(";")[0].strip().lower()
    if (mime.endswith("/json") or mime.endswith("+json")) and outcome_status not in (204, 304):  # no body by definition
        try:
            strict_json(raw.decode("utf-8"))
        except ValueError as exc:
            problems.append("invalid-json")
            text = f"[{exc}] " + text
    leak = LEAK.search(text)
    if leak:
        problems.append("leak")
        text = f"[leak: {text[max(0, leak.start() - 80) : leak.end() + 40]!r}] " + text
    if 400 <= outcome_status < 500 and mime != "application/problem+json":  # every refusal is problem+json
        problems.append("not-problem-json")
    if expect_refusal and 200 <= outcome_status < 300:
        problems.append("accepted")
    if mime == "text/csv":
        for row in csv.reader(io.StringIO(text)):
            if any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row):  # no export has a negative number
                problems.append("csv-formula")
                break
    return text, problems


class Sender:
    def __init__(self, system: System, seeded: Seeded, timeout: float = 60):
        self.system, self.seeded, self.timeout = system, seeded, timeout
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def send(self, request: Request) -> Outcome:
        headers = dict(self.seeded.roles[request.role])
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        headers.update(request.headers)
        url = self.system.url(request.service, request.path)
        started = time.monotonic()
        try:
            prepared = requests.Request(request.method.upper(), url, headers=headers, data=request.body).prepare()
            prepared.url = url  # exactly as built: requests would re-quote the hostile escapes
            if request.content_type == "":
                prepared.headers.pop("Content-Type", None)
            response = self.session().send(prepared, timeout=self.timeout)
            status, ctype, raw = response.status_code, response.headers.get("Content-Type", ""), response.content
            answer_headers = dict(response.headers)
        except (requests.ConnectionError, requests.Timeout) as exc:
            status, ctype, raw, answer_headers = None, "", str(exc).encode(), {}
        except (ValueError, UnicodeError) as exc:  # a header the HTTP client itself cannot send
            status, ctype, raw, answer_headers = 0, "", str(exc).encode(), {}
        text, problems = check(status, ctype, raw, request.expect_refusal) if status != 0 else ("", [])
        return Outcome(request, status, ctype, text, answer_headers, problems, time.monotonic() - started, len(raw))


# -- the run --------------------------------------------------------------------------------------------------------


def operations_of(system: System) -> list[Operation]:
    found = []
    for service in system.urls:
        document = requests.get(system.url(service, "/openapi.json"), timeout=30).json()
        for template, ops in document["paths"].items():
            for method, op in ops.items():
                if method in ("get", *WRITES) and isinstance(op, dict) and (method, template) not in SKIPPED:
                    found.append(Operation(service, method, template, op, document))
    return found


def touched_reads(outcomes: list[Outcome], operations: list[Operation], seeded: Seeded) -> set[tuple[str, str]]:
    """(service, path) of every GET to read again: the resources the run changed, every GET instantiated with the
    seeded ids, and the lists, summaries, dashboards and exports with the filters a screen uses."""
    gets = {(o.service, o.template): o for o in operations if o.method == "get"}
    patterns = {key: re.compile("^" + re.sub(r"{\w+}", r"[^/?]+", key[1]) + "$") for key in gets}

    def matches(service: str, path: str) -> bool:
        return any(s == service and p.match(path) for (s, _), p in patterns.items())

    reads: set[tuple[str, str]] = set()
    for outcome in outcomes:
        r = outcome.request
        if r.method == "get" or outcome.status is None or not 200 <= outcome.status < 300:
            continue
        path = r.path.split("?")[0]
        candidates = [path, path.rsplit("/", 1)[0]]
        try:
            body = json.loads(outcome.text)
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("id"), (str, int)):
            candidates.append(f"{path}/{body['id']}")
        if outcome.headers.get("Location", "").startswith("/"):
            candidates.append(outcome.headers["Location"])
        reads |= {(r.service, c) for c in candidates if matches(r.service, c)}
    rng = random.Random(0)
    for (service, template), operation in gets.items():
        for _ in range(2):
            reads.add((service, concrete(operation, seeded, rng) + query_string(operation, seeded, rng, False)))
        for unit in seeded.ids["unit_id"] if "{unit_id}" in template else []:  # every unit's screens, both formats
            fixed = Operation(
                service, "get", template.replace("{unit_id}", quote(unit, safe="")), operation.op, operation.document
            )
            path = concrete(fixed, seeded, rng)
            for fmt in ("csv", "json"):
                query = re.sub(r"format=\w+", f"format={fmt}", query_string(operation, seeded, rng, False))
                reads.add((service, path + query))
        if not operation.parameters("path"):
            reads.add((service, template))
    return reads


def follow_ups(outcomes: list[Outcome], seeded: Seeded) -> list[Request]:
    """What a rater does next with what the run managed to store: accept the activities, approve the plans; that is
    how a stored value reaches the summaries, the evaluation form and the dashboards."""
    requests_ = []
    for outcome in outcomes:
        r = outcome.request
        if outcome.status not in (200, 201) or r.method != "post":
            continue
        try:
            created = json.loads(outcome.text)
        except ValueError:
            continue
        if not isinstance(created, dict) or "id" not in created:
            continue
        if r.template == "/api/v1/activities":
            requests_.append(
                Request(
                    "activity-service",
                    "post",
                    f"/api/v1/activities/{created['id']}/verify",
                    "/api/v1/activities/{activity_id}/verify",
                    "follow-up",
                    "rater",
                    b'{"decision":"accepted"}',
                    "application/json",
                )
            )
        elif r.template == "/api/v1/plans":
            for step, role in (("submit", "employee"), ("approve", "rater")):
                requests_.append(
                    Request(
                        "plan-service",
                        "post",
                        f"/api/v1/plans/{created['id']}/{step}",
                        "/api/v1/plans/{plan_id}/" + step,
                        "follow-up",
                        role,
                    )
                )
    return requests_


def server_causes(system: System) -> dict[str, str]:
    """correlation id -> "<exception line> at <the deepest frame>" of every unhandled error the web processes logged."""
    causes = {}
    for process in system.processes.values():
        if not process.name.endswith(".web") or not process.log_path.exists():
            continue
        for line in process.log_path.read_text(errors="replace").splitlines():
            if not line.startswith("{") or '"exc_info"' not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            trace = [t for t in str(entry.get("exc_info", "")).splitlines() if t.strip()]
            frames = [t.strip() for t in trace if t.strip().startswith("File ")]
            where = re.sub(r'File ".*/(?:site-packages|services|shared)/', 'File "', frames[-1]) if frames else ""
            last = trace[-1][:200] if trace else "?"
            causes[str(entry.get("correlationid"))] = f"{process.name.split('.')[0]}: {last} ({where})"
        request = None  # gunicorn's own "Error handling request" (an answer the app never got to make): by request line
        for line in process.log_path.read_text(errors="replace").splitlines():
            if "Error handling request" in line:
                request = line.split("Error handling request ", 1)[1].strip()
            elif request and line[:1].isalpha() and not line.startswith("Traceback"):
                causes[request] = f"{process.name.split('.')[0]}: {line[:200]} (gunicorn)"
                request = None
    return causes


def run(
    system: System,
    seed: int = DEFAULT_SEED,
    total: int = DEFAULT_REQUESTS,
    concurrency: int = 4,
    out: Path | None = RESULTS,
    settle: float = 5.0,
    log=print,
) -> dict:
    """Seed, send ``total`` hostile requests, the follow-ups, then read everything again; write and return
    the report."""
    started = time.monotonic()
    seeded = Seeded(system, seed)
    operations = operations_of(system)
    planned = plan_requests(operations, seeded, seed, total)
    log(f"hostile run: seed {seed}, {len(planned)} requests over {len(operations)} operations, {concurrency} threads")
    sender = Sender(system, seeded)
    before_reads = [
        Request(service, "get", path, template_for(service, path, operations), "read-before", role)
        for service, path in sorted(touched_reads([], operations, seeded))
        for role in seeded.roles
    ]
    with ThreadPoolExecutor(concurrency) as pool:
        before = {
            (o.request.service, o.request.path, o.request.role): o.status for o in pool.map(sender.send, before_reads)
        }
        outcomes = list(pool.map(sender.send, planned))
        outcomes += list(pool.map(sender.send, follow_ups(outcomes, seeded)))
    sent_at = time.monotonic()
    time.sleep(settle)  # let the events of what was stored reach the other services' read models
    reads = [
        Request(service, "get", path, template_for(service, path, operations), "re-read", role)
        for service, path in sorted(touched_reads(outcomes, operations, seeded))
        for role in seeded.roles
    ]
    with ThreadPoolExecutor(concurrency) as pool:
        read_outcomes = list(pool.map(sender.send, reads))
    for o in read_outcomes:  # a read that answered before the run and is refused after it: stored data broke it
        earlier = before.get((o.request.service, o.request.path, o.request.role))
        if earlier and 200 <= earlier < 300 and o.status == 422:
            o.problems.append("poisoned-read")
    report = summarise(seed, outcomes, read_outcomes, time.monotonic() - started, sent_at - started, seeded, system)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
        log(f"results written to {out}")
    return report


def template_for(service: str, path: str, operations: list[Operation]) -> str:
    for o in operations:
        pattern = re.sub(r"{\w+}", r"[^/?]+", o.template)
        if o.service == service and o.method == "get" and re.fullmatch(pattern, path.split("?")[0]):
            return o.template
    return path


def template_of(outcome: Outcome) -> str:
    return outcome.request.template


def cause_of(outcome: Outcome, causes: dict[str, str]) -> str:
    """What the server logged for this answer (its correlation id), else the start of the body."""
    try:
        correlation = json.loads(outcome.text).get("correlation_id")
    except (ValueError, AttributeError):
        correlation = None
    r = outcome.request
    return causes.get(str(correlation)) or causes.get(f"{r.method.upper()} {r.path}") or ""


def failure(outcome: Outcome, causes: dict[str, str]) -> dict:
    r = outcome.request
    return {
        "cause": cause_of(outcome, causes),
        "service": r.service,
        "method": r.method.upper(),
        "path": r.path[:300],
        "template": template_of(outcome),
        "category": r.category,
        "role": r.role,
        "status": outcome.status,
        "problems": outcome.problems,
        "excerpt": outcome.text[:EXCERPT],
    }


def brief(outcome: Outcome) -> dict:
    r = outcome.request
    return {
        "seconds": round(outcome.elapsed, 2),
        "answer_bytes": outcome.size,
        "sent_bytes": len(r.body or b""),
        "method": r.method.upper(),
        "operation": r.service + r.template,
        "category": r.category,
        "status": outcome.status,
    }


def summarise(seed, outcomes, read_outcomes, duration, sending, seeded, system) -> dict:
    counts = {
        "requests": len(outcomes),
        "per_service": dict(Counter(o.request.service for o in outcomes)),
        "per_category": dict(Counter(o.request.category for o in outcomes)),
        "per_status": dict(Counter(str(o.status) for o in outcomes)),
        "5xx": sum("5xx" in o.problems for o in outcomes),
        "invalid_json": sum("invalid-json" in o.problems for o in outcomes),
        "leaks": sum("leak" in o.problems for o in outcomes),
        "no_answer": sum("no-answer" in o.problems for o in outcomes),
        "contract_violations": sum("accepted" in o.problems for o in outcomes),
        "not_sendable": sum(o.status == 0 for o in outcomes),
        "refusals_not_problem_json": dict(
            Counter(
                f"{o.status} {o.content_type.split(';')[0] or '(none)'} {o.request.method.upper()} {o.request.service}"
                f"{o.request.template} [{o.request.category}]"
                for o in outcomes
                if o.status is not None
                and 400 <= o.status < 500
                and not o.content_type.startswith("application/problem+json")
            ).most_common()
        ),
    }
    counts["slowest"] = [brief(o) for o in sorted(outcomes, key=lambda o: -o.elapsed)[:5]]
    counts["largest_answers"] = [brief(o) for o in sorted(outcomes, key=lambda o: -o.size)[:5]]
    unhealthy = [o for o in read_outcomes if o.problems]
    reads = {
        "poisoned": sum("poisoned-read" in o.problems for o in read_outcomes),
        "requests": len(read_outcomes),
        "paths": len({(o.request.service, o.request.path) for o in read_outcomes}),
        "per_status": dict(Counter(str(o.status) for o in read_outcomes)),
        "unhealthy": len(unhealthy),
    }
    failed = [o for o in outcomes if o.problems] + unhealthy
    causes = server_causes(system)
    distinct: Counter = Counter()
    for o in failed:
        cause = re.sub(r" \(.*", "", cause_of(o, causes).split(": ", 1)[-1])  # the exception line, without the frame
        distinct[
            (
                o.request.method.upper(),
                o.request.service + o.request.template,
                o.request.category,
                str(o.status),
                ",".join(o.problems),
                cause,
            )
        ] += 1
    return {
        "seed": seed,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_seconds": round(duration, 1),
        "sending_seconds": round(sending, 1),
        "counts": counts,
        "reads_after": reads,
        "seeding_notes": seeded.notes,
        "distinct_failures": [
            {"method": m, "operation": p, "category": c, "status": s, "problems": pr, "cause": ca, "count": n}
            for (m, p, c, s, pr, ca), n in sorted(distinct.items())
        ],
        "server_exceptions": dict(Counter(c.split(" (")[0] for c in causes.values()).most_common()),
        "failures": [failure(o, causes) for o in failed[:3000]],
        "failures_listed": min(len(failed), 3000),
        "failures_total": len(failed),
    }


def healthy(report: dict) -> list[str]:
    """What is wrong with a run, in words (empty when it is clean)."""
    c, wrong = report["counts"], []
    for key in ("5xx", "invalid_json", "leaks", "no_answer", "contract_violations", "refusals_not_problem_json"):
        if c[key]:
            wrong.append(f"{sum(c[key].values()) if isinstance(c[key], dict) else c[key]} {key}")
    if report["reads_after"]["unhealthy"]:
        wrong.append(f"{report['reads_after']['unhealthy']} unhealthy reads afterwards")
    return wrong


# -- the command line -----------------------------------------------------------------------------------------------


def _database_factory(work: Path):
    """Fresh databases: on the PostgreSQL server of DATABASE_URL when set, else SQLite files under ``work``."""
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        return lambda name: f"sqlite:///{work}/{name}-{uuid.uuid4().hex[:8]}.db"
    from sqlalchemy import create_engine, text

    from kinerja_shared.config import Settings

    admin_url = Settings.from_env("hostile", {"DATABASE_URL": admin_url}).database_url
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def make(name: str) -> str:
        database = f"k_{name.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        return admin_url.rsplit("/", 1)[0] + "/" + database

    return make


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.security.hostile",
        description="Hostile-input run against the four services as real processes (gunicorn web + worker). "
        "Uses KAFKA_BOOTSTRAP_SERVERS (else starts the local broker) and DATABASE_URL (a PostgreSQL server "
        "to create fresh databases on; else SQLite files). Exit status 1 when the run finds a failure.",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"what to send is a function of it (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--requests", type=int, default=DEFAULT_REQUESTS, help=f"hostile requests to send (default {DEFAULT_REQUESTS})"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="results file (default tests/security/results/hostile-run.json)"
    )
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds for events to reach the read models before the reads"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kinerja-hostile-"))
    kafka, control = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), None
    if not kafka:
        from kinerja_shared.testing.servers import start_local_kafka

        control = start_local_kafka(Path(__file__).resolve().parents[2])
        kafka = control.bootstrap
    system = System(kafka, _database_factory(work), work / "logs")
    try:
        report = run(system, args.seed, args.requests, args.concurrency, args.out, args.settle)
    finally:
        system.stop()
        if control is not None:
            control.stop()
    wrong = healthy(report)
    print(json.dumps({k: report[k] for k in ("seed", "duration_seconds", "counts", "reads_after")}, indent=1))
    for item in report["distinct_failures"]:
        print(
            f"  {item['count']:5d} x {item['method']} {item['operation']} [{item['category']}] "
            f"-> {item['status']} ({item['problems']}) {item['cause'][:120]}"
        )
    print("clean" if not wrong else "FAILED: " + ", ".join(wrong), f"(logs in {work / 'logs'})")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
