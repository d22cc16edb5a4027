"""Issue 9, security: the access matrix, for every operation of every service's OpenAPI document.

The expected answers are in access_matrix.csv (one row per operation, one column per relation
to the employee who owns the resource: self, colleague, rater, other_supervisor, head_in,
head_out, admin, anonymous); matrix.py explains the cells. Each service runs once for the
whole module against real PostgreSQL, with the org of seeds.matrix_org(); each cell sends a
real request on real rows of self's (fresh ones where the call changes them), and a refused
write must leave every table of the service as it was.
"""

from __future__ import annotations

import pytest

from activity_service.service import SPEC as ACTIVITY
from evaluation_service.service import SPEC as EVALUATION
from notification_service.service import SPEC as NOTIFICATION
from plan_service.service import SPEC as PLAN

from . import matrix_activity, matrix_evaluation, matrix_notification, matrix_plan, seeds
from .matrix import DIRECTORY_RELATIONS, Matrix, document_operations, load_table

SERVICES = {
    PLAN.name: (PLAN, matrix_plan),
    ACTIVITY.name: (ACTIVITY, matrix_activity),
    EVALUATION.name: (EVALUATION, matrix_evaluation),
    NOTIFICATION.name: (NOTIFICATION, matrix_notification),
}
ROWS = load_table()


@pytest.fixture(scope="module")
def matrices(kafka_bootstrap, new_database, tmp_path_factory):
    """service name -> Matrix, each started (and its data seeded) on first use, for the whole module."""
    started: dict[str, Matrix] = {}

    def get(name: str) -> Matrix:
        if name not in started:
            spec, cases = SERVICES[name]
            m = Matrix(spec, kafka_bootstrap, new_database, **cases.env(tmp_path_factory.mktemp(name)))
            m.cases = cases.CASES
            cases.setup(m)
            started[name] = m
        return started[name]

    yield get
    for m in started.values():
        m.close()


def render(row, got: dict[str, str]) -> str:
    width = max(len(r) for r in row.relations)
    lines = [
        f"{row.service} {row.op}  (access_matrix.csv line {row.line}; rule: {row.rule})",
        f"  {'relation':<{width}}  expected  got",
    ]
    for rel in row.relations:
        mark = "" if got[rel] == row.expected[rel] else "   <-- differs"
        lines.append(f"  {rel:<{width}}  {row.expected[rel]:<8}  {got[rel]}{mark}")
    return "\n".join(lines)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.service}:{r.op}" for r in ROWS])
def test_every_relation_gets_the_answer_the_table_gives(matrices, row):
    m = matrices(row.service)
    got = {rel: m.cell(row, rel) for rel in row.relations}
    assert got == row.expected, "\n" + render(row, got)


DIRECTORY_COVERED = ("evaluation-service",)  # services whose every row names the directory relations (issue 16)


@pytest.mark.parametrize("name", DIRECTORY_COVERED)
def test_every_row_of_the_service_says_what_the_directory_relations_get(name):
    """The own head, the acting head of the unit above and a token claiming a headship the directory does not
    give: a cell on every operation (the claimed head is refused everywhere: never more than a plain employee)."""
    rows = [r for r in ROWS if r.service == name]
    missing = [r.op for r in rows if set(DIRECTORY_RELATIONS) - set(r.expected)]
    assert not missing, f"{name}: rows without the directory relations: {missing}"
    claimed = [r.op for r in rows if r.expected["claimed_head"] != r.expected["colleague"]]
    assert not claimed, f"{name}: a claimed headship gets more than a plain employee of another unit on {claimed}"


PLAIN_TOKENS = {  # the rater and the head of dinas as plain employees: no supervisor or unit_head role, no unit claim
    "rater": (seeds.RATER, "employee"),
    "head_in": (seeds.HEAD, "employee"),
}


@pytest.mark.parametrize("name", list(SERVICES))
def test_the_rater_and_the_head_are_known_from_the_services_data_not_from_token_roles(matrices, name):
    """Every cell the table allows the rater or head_in, sent again with a plain employee token."""
    m = matrices(name)
    wrong = []
    for row in (r for r in ROWS if r.service == name):
        for relation, (nip, *roles) in PLAIN_TOKENS.items():
            if row.expected[relation].startswith("2"):
                with m.acting(relation, nip, *roles):
                    got = m.cell(row, relation)
                if got != row.expected[relation]:
                    wrong.append(f"{row.op} as {relation}: expected {row.expected[relation]}, got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", [n for n, (_, cases) in SERVICES.items() if getattr(cases, "EXTRA_RELATIONS", None)])
def test_acting_heads_and_claimed_headships_get_what_the_directory_gives(matrices, name):
    """Every cell again for the callers a service's cases add beside the columns (EXTRA_RELATIONS): an
    acting head gets what the head gets; a token claiming a headship the directory does not give (or
    no longer gives, after a transfer) gets what the same person gets without the claim."""
    m = matrices(name)
    extra = SERVICES[name][1].EXTRA_RELATIONS
    wrong = []
    for row in (r for r in ROWS if r.service == name):
        for relation, (nip, roles, unit, like) in extra.items():
            with m.acting(like, nip, *roles, unit=unit):
                got = m.cell(row, like)
            if got != row.expected[like]:
                wrong.append(f"{row.op} as {relation}: expected {row.expected[like]} (as {like}), got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", list(SERVICES))
def test_the_table_names_every_operation_of_the_document_and_nothing_else(name):
    spec, cases = SERVICES[name]
    documented = document_operations(spec)
    in_table = [r.op for r in ROWS if r.service == name]
    assert len(in_table) == len(set(in_table)), f"{name}: an operation has two rows"
    assert not documented - set(in_table), f"{name}: operations without a row: {sorted(documented - set(in_table))}"
    assert not set(in_table) - documented, f"{name}: rows naming no operation: {sorted(set(in_table) - documented)}"
    assert not set(cases.CASES) - documented, f"{name}: calls for no operation: {sorted(set(cases.CASES) - documented)}"


def test_the_table_names_only_the_four_services():
    assert {r.service for r in ROWS} == set(SERVICES)


def test_the_state_digest_sees_a_write_so_a_refused_one_would_show(matrices):
    """The check behind every refused write: an applied write changes the digest, a read does not."""
    m = matrices(PLAN.name)
    before = m.state()
    m.as_("self", "GET", "/api/v1/units/dinas")
    assert m.state() == before
    m.as_(
        "admin", "PUT", "/api/v1/units/dinas", json={"name": "Dinas Kesehatan Kota", "head_nip": "197001012000011001"}
    )
    assert m.state() != before
