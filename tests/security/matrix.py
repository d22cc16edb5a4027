"""The access matrix's machinery: the table file, the callers, one service harness per module, the calls.

The table (access_matrix.csv) has one row per operation of an OpenAPI document and one column
per relation to the employee EMPLOYEE ("self") who owns the resource named in the path. A cell is
what that caller gets:

- ``200``, ``403``...: the HTTP status;
- ``207/200``: a bulk answer (207) and the status of its one item;
- ``200+`` / ``200-``: on a read, the answer lists (+) or does not list (-) self's row;
  on a write, self's row was (+) or was not (-) changed by it.

The directory relations (DIRECTORY_RELATIONS: own_head, acting_head, claimed_head, issue 16) are
optional columns: a row that leaves them empty does not test them; a service's cases module puts
those people into its directory (e.g. matrix_evaluation.setup).

Every refused call (4xx) on a write is also checked to have changed no row of the service's
database (a digest of every table before and after). PATCH, PUT and DELETE go with ``If-Match: *``
(whatever the current version is): the table is about who may write, not when; the precondition
itself (428 without If-Match, 412 when stale) is test_if_match.py's.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from kinerja_shared.config import Settings
from kinerja_shared.testing.plugin import ServiceHarness, base_env

from . import seeds

TABLE = Path(__file__).with_name("access_matrix.csv")
RELATIONS = ("self", "colleague", "rater", "other_supervisor", "head_in", "head_out", "admin", "anonymous")
# Optional columns: who heads or acts by the directory, against what a token claims (issue 16).
#   own_head      the head of bidang, self's own unit (the directory says so; token: unit_head of bidang)
#   acting_head   the acting head (Plt.) of dinas, the unit above bidang, for a span holding today (plain token)
#   claimed_head  an employee of lain whose token claims unit_head of dinas; the directory gives no headship
DIRECTORY_RELATIONS = ("own_head", "acting_head", "claimed_head")
OWN_HEAD, ACTING_HEAD, CLAIMED_HEAD = "198909092014011007", "199010102015011008", "199111112016011009"
ACTORS = {  # relation -> (NIP, roles, unit claim); the org is seeds.matrix_org()
    "self": (seeds.EMPLOYEE, ("employee",), seeds.UNIT),
    "colleague": (seeds.COLLEAGUE, ("employee",), seeds.UNIT),
    "rater": (seeds.RATER, ("supervisor",), seeds.UNIT),
    "other_supervisor": (seeds.OTHER_SUP, ("supervisor",), "dinas"),
    "head_in": (seeds.HEAD, ("unit_head",), "dinas"),
    "head_out": (seeds.OUTSIDER, ("unit_head",), seeds.OTHER_UNIT),
    "admin": (seeds.ADMIN, ("admin",), None),
    "anonymous": None,
    "own_head": (OWN_HEAD, ("unit_head", "supervisor"), seeds.UNIT),
    "acting_head": (ACTING_HEAD, ("employee",), seeds.OTHER_UNIT),
    "claimed_head": (CLAIMED_HEAD, ("unit_head", "supervisor"), "dinas"),
}
CELL = re.compile(r"^(\d{3})(?:/(\d{3}))?([+-])?$")
NOT_STATE = ("idempotency_keys", "alembic_version")  # bookkeeping, not the service's data
PRECONDITIONED = ("PATCH", "PUT", "DELETE")  # sent with If-Match: * (see the module's doc)


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    path: str
    expected: dict[str, str]
    rule: str
    line: int

    @property
    def op(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def relations(self) -> tuple[str, ...]:
        """The relations this row tests: every one of RELATIONS and the directory relations it fills in."""
        return tuple(rel for rel in (*RELATIONS, *DIRECTORY_RELATIONS) if rel in self.expected)


def load_table(path: Path = TABLE) -> list[Row]:
    """The table's rows; lines starting with # are comments. Every cell must be well-formed."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)]
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("".join(line for _, line in numbered)), skipinitialspace=True)
    rows = []
    for (n, _), record in zip(numbered[1:], reader):
        record = {k.strip(): (v or "").strip() for k, v in record.items()}
        expected = {rel: record[rel] for rel in RELATIONS}
        expected.update({rel: record[rel] for rel in DIRECTORY_RELATIONS if record.get(rel)})
        bad = {rel: cell for rel, cell in expected.items() if not CELL.match(cell)}
        if bad:
            raise ValueError(f"{path.name} line {n}: malformed cells {bad}")
        rows.append(Row(record["service"], record["method"].upper(), record["path"], expected, record["rule"], n))
    return rows


@dataclass
class Call:
    """One request an actor sends, on a resource of self's, and how to read its effect."""

    method: str
    url: str
    json: Any = None
    data: Any = None
    content_type: str | None = None
    listed: Callable[[dict], bool] | None = None  # a read: does the answer list self's row?
    probe: Callable[[], Any] | None = None  # a write: self's row, compared before and after
    stream: bool = False  # an endless answer: read the status only
    headers: dict | None = None  # request headers besides the token (e.g. If-Match)


class Matrix:
    """One service under test for the whole module, with the matrix org loaded by the caller."""

    def __init__(self, spec, kafka_bootstrap: str, new_database, **env_overrides):
        env = base_env(kafka_bootstrap, f"m{uuid.uuid4().hex[:8]}.", new_database(spec.name), **env_overrides)
        self.name = spec.name
        self.h = ServiceHarness(spec, Settings.from_env(spec.name, env))
        self.client = self.h.client
        self.tokens = {rel: self.h.token(a[0], *a[1], unit=a[2]) if a else {} for rel, a in ACTORS.items()}
        self.cases: dict[str, Callable[[Matrix, str], Call]] = {}
        self.params: dict[str, Any] = {}  # path parameters naming self's rows, for the operations with no builder
        self.op = ""  # the operation of the cell being built
        self._counter = 0
        with self.h.engine.connect() as conn:
            tables = [
                t
                for t in conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
                ).scalars()
                if t not in NOT_STATE
            ]
        self._digest = " UNION ALL ".join(
            f"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM \"{t}\" x" for t in tables
        )

    def n(self) -> int:
        """A number never handed out before in this module (fresh names, slots, texts)."""
        self._counter += 1
        return self._counter

    def state(self) -> dict[str, str]:
        """A digest of every table of the service's database."""
        with self.h.engine.connect() as conn:
            return dict(conn.execute(text(self._digest)).all())

    # -- calling as someone --------------------------------------------------------------------

    @contextmanager
    def acting(self, relation: str, nip: str, *roles: str, unit: str | None = None):
        """Within the block, ``relation`` sends another token (e.g. with fewer roles or no unit claim)."""
        saved = self.tokens[relation]
        self.tokens[relation] = self.h.token(nip, *roles, unit=unit)
        try:
            yield
        finally:
            self.tokens[relation] = saved

    def send(self, relation: str, call: Call):
        kw = {"json": call.json} if call.json is not None else {"data": call.data, "content_type": call.content_type}
        headers = {**self.tokens[relation], **(call.headers or {})}
        if call.method in PRECONDITIONED:
            headers.setdefault("If-Match", "*")
        return self.client.open(call.url, method=call.method, headers=headers, **kw)

    def as_(self, relation: str, method: str, url: str, *codes: int, **kw) -> dict:
        """A setup call that must succeed (one of ``codes``, default 200/201); returns the JSON body."""
        response = self.client.open(url, method=method, headers=self.tokens[relation], **kw)
        assert response.status_code in (codes or (200, 201)), (method, url, response.status_code, response.get_json())
        return response.get_json()

    def cell(self, row: Row, relation: str) -> str:
        """Send the row's call as ``relation``; what came back, written as the table writes it."""
        self.op = row.op
        build = self.cases.get(row.op)
        call = build(self, relation) if build else Call(row.method, fill(row.path, self.params))
        write = call.method != "GET"
        before = self.state() if write else None
        probed = call.probe() if call.probe else None
        response = self.send(relation, call)
        status = response.status_code
        got = str(status)
        if call.stream:
            response.close()
        elif status == 207:
            items = response.get_json()["results"]
            status = items[0]["status"]
            got += f"/{status}"
        if status < 300 and call.listed is not None:
            got += "+" if call.listed(response.get_json()) else "-"
        if status < 300 and call.probe is not None:
            got += "+" if call.probe() != probed else "-"
        if write and status >= 400 and self.state() != before:
            got += " BUT CHANGED STATE"
        return got

    def close(self) -> None:
        self.h.close()


def case(registry: dict, *ops: str):
    """Register a call builder for one or more operations ("METHOD /path" as in the document)."""

    def register(fn):
        for op in ops:
            assert op not in registry, f"two builders for {op}"
            registry[op] = fn
        return fn

    return register


def fill(path: str, params: dict) -> str:
    """/plans/{plan_id} with params {"plan_id": "p1"} -> /plans/p1 (a missing parameter is a KeyError)."""
    return re.sub(r"\{(\w+)\}", lambda found: str(params[found.group(1)]), path)


def on_fresh(registry: dict, op: str, body: Any = None, **makers: Callable[[Matrix], Any]) -> None:
    """A write on rows made for the cell alone: each maker returns the fresh row's id (or a dict of
    path parameters); the other parameters come from Matrix.params. ``body``: a dict, or made from the Matrix."""
    method, path = op.split(" ", 1)

    def build(m: Matrix, relation: str) -> Call:
        params = dict(m.params)
        for name, make in makers.items():
            made = make(m)
            params.update(made if isinstance(made, dict) else {name: made})
        return Call(method, fill(path, params), json=body(m) if callable(body) else body)

    case(registry, op)(build)


def listing(registry: dict, op: str, query: str, key: str = "id", row: str = "base") -> None:
    """A list read: does the answer list self's row ``Matrix.params[row]``?"""
    method, path = op.split(" ", 1)
    case(registry, op)(
        lambda m, rel: Call(
            method,
            fill(path, m.params) + query.format(**m.params),
            listed=lambda body: m.params[row] in ids(body["items"], key),
        )
    )


def common_operations() -> dict:
    """The builders every service shares: the audit trail (read as for self's entries)."""
    registry: dict = {}
    case(registry, "GET /api/v1/audit")(lambda m, rel: Call("GET", f"/api/v1/audit?actor={seeds.EMPLOYEE}"))
    return registry


def issued_code(m: Matrix, url: str) -> str:
    """The verification code of the document at ``url`` (issue 17), downloaded once by an admin; its bytes are kept in
    ``Matrix.params["pdf"]`` for the POST check."""
    if "code" not in m.params:
        r = m.client.get(url, headers=m.tokens["admin"])
        assert r.status_code == 200, r.get_data(as_text=True)
        m.params.update(code=r.headers["X-Document-Code"], pdf=r.data)
    return m.params["code"]


def verify_calls(registry: dict, code: Callable[[Matrix], str]) -> None:
    """The public verify operations (issue 17) on the code of one of self's documents: GET, and POST of its bytes."""
    case(registry, "GET /api/v1/documents/verify/{code}")(
        lambda m, rel: Call("GET", f"/api/v1/documents/verify/{code(m)}")
    )
    case(registry, "POST /api/v1/documents/verify/{code}")(
        lambda m, rel: Call(
            "POST", f"/api/v1/documents/verify/{code(m)}", data=m.params["pdf"], content_type="application/pdf"
        )
    )


def ids(items: list[dict], key: str = "id") -> set:
    return {item[key] for item in items}


def document_operations(spec) -> set[str]:
    """Every "METHOD /path" of a service's OpenAPI document (built without a database)."""
    from sqlalchemy import create_engine

    from kinerja_shared.web.app_factory import create_service_app

    engine = create_engine("sqlite://")
    app = create_service_app(spec, Settings.from_env(spec.name, {"DATABASE_URL": "sqlite://"}), engine)
    paths = app.test_client().get("/openapi.json").get_json()["paths"]
    return {
        f"{method.upper()} {path}"
        for path, ops in paths.items()
        for method in ops
        if method in ("get", "put", "post", "patch", "delete")
    }
