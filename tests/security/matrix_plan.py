"""plan-service's calls for the access matrix: every operation on a plan, template or directory row of self's.

Rows that a cell changes are made fresh for it: plans in SCRATCH, the year kept free for them
(the plans a cell left there are closed through the database before the next one is drafted:
one plan in force per employee and year).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from plan_service.domain import BEHAVIOUR_VALUES

from . import seeds
from .matrix import Call, Matrix, case, common_operations, issued_code, listing, on_fresh, verify_calls

CASES: dict = common_operations()
YEAR = datetime.now(ZoneInfo("Asia/Jakarta")).year
SCRATCH = YEAR + 1
E = seeds.EMPLOYEE
PLANS = "/api/v1/plans"
TEMPLATES = "/api/v1/plan-templates"
ACTING = "198808082014011011"  # of OTHER_UNIT; Plh. of dinas from today (the matrix org's only acting head)
TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
# Callers beside the table's columns, each with the column whose answers they must get (test_access_matrix.py):
# headship comes from the directory (units.head_nip and acting heads), never from a token's claims.
EXTRA_RELATIONS = {  # name -> (NIP, roles, unit claim, the column)
    "acting_head": (ACTING, ("employee",), None, "head_in"),  # Plh. of dinas, plain token
    "claimed_head": (seeds.OTHER_SUP, ("unit_head",), "dinas", "other_supervisor"),  # the token claims dinas
    "stale_head": (seeds.OUTSIDER, ("unit_head",), "dinas", "head_out"),  # dinas' claim after a transfer
}


def env(workdir) -> dict:
    return {}


def content(target: int = 12) -> dict:
    return {
        "approach": "quantitative",
        "model": "JA_JF",
        "results": [
            {
                "kind": "main",
                "text": "Layanan perizinan tepat waktu",
                "indicators": [
                    {"aspect": "quantity", "text": "Jumlah dokumen", "target_value": target, "target_unit": "dokumen"}
                ],
            }
        ],
        "behaviours": [{"value": v, "expectation": f"Ekspektasi {v}"} for v in BEHAVIOUR_VALUES],
        "attachments": {"resources": "Ruang layanan"},
    }


def template_body(m: Matrix) -> dict:
    return {**content(), "name": f"Templat Analis {m.n()}", "position": "Analis", "description": None}


def setup(m: Matrix) -> None:
    """The org by the directory import, with ACTING Plh. of dinas from today; self's plan of this year, approved,
    with a pending amendment; a template; a future Plt. of bidang (no rights today) for the acting-head reads."""
    m.as_("admin", "POST", "/api/v1/directory/imports?dry_run=false", json=seeds.matrix_directory())
    m.as_(
        "admin",
        "PUT",
        f"/api/v1/employees/{ACTING}",
        json={"name": "Plh. Kepala Dinas", "unit_id": seeds.OTHER_UNIT, "position": "Sekretaris"},
    )
    m.as_(
        "admin",
        "POST",
        "/api/v1/units/dinas/acting-heads",
        201,
        json={"nip": ACTING, "kind": "plh", "valid_from": TODAY.isoformat(), "decree_number": "800/1/2026"},
    )
    plan = approved(m, YEAR)
    amendment = m.as_(
        "self", "POST", f"{PLANS}/{plan}/amendments", 201, json={**content(20), "reason": "Revisi target"}
    )["id"]
    assignment = m.as_("admin", "POST", f"/api/v1/units/{seeds.UNIT}/acting-heads", 201, json=future_acting())["id"]
    action = m.as_("self", "POST", f"{PLANS}/{plan}/actions", 201, json=action_body(m, plan))["action_id"]
    m.params.update(
        plan_id=plan,
        amendment_id=amendment,
        revision=1,
        unit_id=seeds.UNIT,
        nip=E,
        year=YEAR,
        template_id=template(m),
        assignment_id=assignment,
        action_id=action,
    )


def future_acting(m: Matrix | None = None) -> dict:
    """A Plt. of ACTING that starts in 200 days: no rights today, so no relation of the table changes."""
    return {
        "nip": ACTING,
        "kind": "plt",
        "valid_from": (TODAY + timedelta(days=200)).isoformat(),
        "valid_to": (TODAY + timedelta(days=210)).isoformat(),
    }


def fresh_unit(m: Matrix) -> str:
    unit = f"sementara{m.n()}"
    m.as_("admin", "PUT", f"/api/v1/units/{unit}", json={"name": "Seksi Sementara", "parent_id": seeds.OTHER_UNIT})
    return unit


def fresh_assignment(m: Matrix) -> dict:
    unit = fresh_unit(m)
    return {
        "unit_id": unit,
        "assignment_id": m.as_("admin", "POST", f"/api/v1/units/{unit}/acting-heads", 201, json=future_acting())["id"],
    }


def template(m: Matrix) -> str:
    return m.as_("admin", "POST", TEMPLATES, 201, json=template_body(m))["id"]


def free(m: Matrix) -> None:
    """Close the plans in force of SCRATCH (a cell's leftovers), so a fresh one may be drafted."""
    with m.h.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE plans SET status = 'closed', closed_reason = 'access matrix' "
            "WHERE year = %(year)s AND status <> 'closed'",
            {"year": SCRATCH},
        )


def draft(m: Matrix, year: int = SCRATCH) -> str:
    if year == SCRATCH:
        free(m)
    return m.as_("self", "POST", PLANS, 201, json={**content(), "year": year})["id"]


def submitted(m: Matrix) -> str:
    plan = draft(m)
    m.as_("self", "POST", f"{PLANS}/{plan}/submit")
    return plan


def approved(m: Matrix, year: int = SCRATCH) -> str:
    plan = draft(m, year)
    m.as_("self", "POST", f"{PLANS}/{plan}/submit")
    m.as_("rater", "POST", f"{PLANS}/{plan}/approve")
    return plan


def amended(m: Matrix) -> dict:
    plan = approved(m)
    amendment = m.as_("self", "POST", f"{PLANS}/{plan}/amendments", 201, json={**content(30), "reason": "Revisi"})["id"]
    return {"plan_id": plan, "amendment_id": amendment}


def action_body(m: Matrix, plan: str) -> dict:
    """An action (rencana aksi) on the plan's first indicator, in March of its year."""
    got = m.as_("admin", "GET", f"{PLANS}/{plan}")
    return {
        "indicator_id": got["results"][0]["indicators"][0]["indicator_id"],
        "period": f"{got['year']}-03",
        "text": f"Memproses dokumen {m.n()}",
        "target_value": 1,
    }


def actions_proposed(m: Matrix) -> dict:
    """A fresh approved plan of self's with one proposed action (the set a draft)."""
    plan = approved(m)
    action = m.as_("self", "POST", f"{PLANS}/{plan}/actions", 201, json=action_body(m, plan))["action_id"]
    return {"plan_id": plan, "action_id": action}


def actions_submitted(m: Matrix) -> str:
    plan = actions_proposed(m)["plan_id"]
    m.as_("self", "POST", f"{PLANS}/{plan}/action-plan/submit")
    return plan


def actions_agreed(m: Matrix) -> str:
    plan = actions_submitted(m)
    m.as_("rater", "POST", f"{PLANS}/{plan}/action-plan/agree")
    return plan


def freed(value):
    """A body for a call that drafts into SCRATCH: the year is freed first."""

    def make(m: Matrix):
        free(m)
        return value

    return make


# the org directory (reads with no builder take their path parameters from Matrix.params)
listing(CASES, "GET /api/v1/units", "?limit=200", row="unit_id")
case(CASES, "GET /api/v1/units/tree")(
    lambda m, rel: Call(
        "GET",
        "/api/v1/units/tree?root=dinas",
        listed=lambda body: seeds.UNIT in {u["id"] for u in body["items"][0]["children"]},
    )
)
on_fresh(CASES, "PUT /api/v1/units/{unit_id}", lambda m: {"name": f"Bidang Pelayanan {m.n()}", "parent_id": "dinas"})
on_fresh(CASES, "POST /api/v1/units/{unit_id}/acting-heads", future_acting, unit_id=fresh_unit)
on_fresh(
    CASES,
    "PATCH /api/v1/units/{unit_id}/acting-heads/{assignment_id}",
    lambda m: {"decree_number": f"800/{m.n()}/2026"},
    ids=fresh_assignment,
)
on_fresh(CASES, "DELETE /api/v1/units/{unit_id}/acting-heads/{assignment_id}", ids=fresh_assignment)
listing(CASES, "GET /api/v1/employees", "?unit_id={unit_id}", key="nip", row="nip")
on_fresh(
    CASES,
    "PUT /api/v1/employees/{nip}",
    lambda m: {"name": "Andi Pratama", "unit_id": seeds.UNIT, "rater_nip": seeds.RATER, "position": f"Analis {m.n()}"},
)
case(CASES, "POST /api/v1/directory/imports")(
    lambda m, rel: Call(
        "POST",
        "/api/v1/directory/imports?dry_run=false",
        json={"units": [{"id": f"imp{m.n()}", "name": "Seksi Impor", "parent_id": seeds.OTHER_UNIT}]},
    )
)

# plans
on_fresh(CASES, "POST /api/v1/plans", freed({**content(), "year": SCRATCH, "nip": E}))
listing(CASES, "GET /api/v1/plans", "?nip={nip}&year={year}", row="plan_id")
on_fresh(CASES, "PUT /api/v1/plans/{plan_id}", content(target=40), plan_id=draft)
on_fresh(CASES, "PATCH /api/v1/plans/{plan_id}", {"attachments": {"consequences": "Sesuai TPP"}}, plan_id=draft)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/copy", freed({"year": SCRATCH}))
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/submit", plan_id=draft)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/approve", plan_id=submitted)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/return", {"reason": "Indikator belum terukur"}, plan_id=submitted)
on_fresh(CASES, "POST /api/v1/plans/approve", lambda m: {"items": [{"id": submitted(m)}]})
on_fresh(
    CASES, "POST /api/v1/plans/{plan_id}/amendments", {**content(25), "reason": "Tugas tambahan"}, plan_id=approved
)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/amendments/{amendment_id}/approve", {}, ids=amended)
on_fresh(
    CASES,
    "POST /api/v1/plans/{plan_id}/amendments/{amendment_id}/reject",
    {"reason": "Target tidak realistis"},
    ids=amended,
)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/amendments/{amendment_id}/withdraw", {}, ids=amended)
case(CASES, "GET /api/v1/plans/completion")(
    lambda m, rel: Call("GET", f"{PLANS}/completion?unit_id={seeds.UNIT}&year={YEAR}")
)
case(CASES, "GET /api/v1/plans/supportable-results")(
    lambda m, rel: Call("GET", f"{PLANS}/supportable-results?nip={E}&year={YEAR}")
)

# action plans (rencana aksi)
listing(CASES, "GET /api/v1/plans/{plan_id}/actions", "", key="action_id", row="action_id")
listing(CASES, "GET /api/v1/plans/action-plans", "?nip={nip}&year={year}", key="plan_id", row="plan_id")
case(CASES, "POST /api/v1/plans/{plan_id}/actions")(
    lambda m, rel: (lambda plan: Call("POST", f"{PLANS}/{plan}/actions", json=action_body(m, plan)))(approved(m))
)
on_fresh(
    CASES, "PATCH /api/v1/plans/{plan_id}/actions/{action_id}", lambda m: {"target_value": 2}, ids=actions_proposed
)
on_fresh(CASES, "DELETE /api/v1/plans/{plan_id}/actions/{action_id}", ids=actions_proposed)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/action-plan/submit", plan_id=lambda m: actions_proposed(m)["plan_id"])
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/action-plan/agree", plan_id=actions_submitted)
on_fresh(
    CASES,
    "POST /api/v1/plans/{plan_id}/action-plan/return",
    {"reason": "Target belum jelas"},
    plan_id=actions_submitted,
)
on_fresh(CASES, "POST /api/v1/plans/{plan_id}/action-plan/amend", {"reason": "Tugas tambahan"}, plan_id=actions_agreed)

# plan templates
on_fresh(CASES, "POST /api/v1/plan-templates", template_body)
listing(CASES, "GET /api/v1/plan-templates", "?limit=200", row="template_id")
on_fresh(CASES, "PUT /api/v1/plan-templates/{template_id}", template_body)
on_fresh(CASES, "DELETE /api/v1/plan-templates/{template_id}", template_id=template)
on_fresh(CASES, "POST /api/v1/plan-templates/{template_id}/assign", freed({"unit_id": seeds.UNIT, "year": SCRATCH}))


# the SKP document and its public verification (issue 17): the readers of the plan; verify is public
verify_calls(CASES, lambda m: issued_code(m, f"{PLANS}/{m.params['plan_id']}/document.pdf"))
