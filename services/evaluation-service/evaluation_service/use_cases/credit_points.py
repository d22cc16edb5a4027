"""Credit points (angka kredit): an employee's year of figures and the PAK record written when the annual
evaluation closes."""

from __future__ import annotations

from kinerja_shared.errors import NotFound
from kinerja_shared.numbers import finite

from .. import access, domain
from .. import directory_queries as directory
from .. import evaluations_store as store
from ..evaluation_views import CREDIT_RULE, coefficient_note, jsonable, period_of


def credit_figures(conn, nip: str, year: int, emp) -> dict:
    """The year's evaluations of ``nip`` with their credit points, the total of the closed periodic ones and the
    annual one."""
    rows = store.credit_rows(conn, nip, year)
    legacy = next((r.plan_coefficient for r in rows if r.plan_coefficient is not None), None)
    coefficient = domain.yearly_coefficient(
        emp.functional_level if emp is not None else None,
        emp.functional_coefficient if emp is not None and emp.functional_coefficient is not None else legacy,
    )
    periods, annual = [], None
    for r in rows:
        closed = r.status == domain.CLOSED
        item = {
            "evaluation_id": r.id,
            "period": period_of(r).as_dict(),
            "status": r.status,
            "revision": r.revision,
            "predicate": r.predicate,
            "predicate_name": domain.PREDICATE_NAMES_ID.get(r.predicate),
            "share_percent": (
                int(domain.CREDIT_SHARE[r.predicate] * 100) if r.predicate in domain.CREDIT_SHARE else None
            ),
            "months": domain.months_evaluated(period_of(r), r.plan_start, r.plan_end) if r.plan_start else None,
            "credit_points": finite(r.credit_points) if closed else None,
        }
        if r.period_kind == domain.ANNUAL:
            annual = item
        else:
            periods.append(item)
    total = domain.credit_total(p["credit_points"] for p in periods if p["status"] == domain.CLOSED)
    return {
        "coefficient": coefficient,
        "periods": periods,
        "annual": annual,
        "total": total if coefficient.value is not None else None,
    }


def credit_body(conn, nip: str, year: int, emp) -> dict:
    """The credit-points answer of ``nip`` and ``year`` with the PAK record (the endpoint's and the PAK document's)."""
    figures = credit_figures(conn, nip, year, emp)
    pak = store.credit_assessment(conn, nip, year)
    coefficient = figures["coefficient"]
    return {
        "nip": nip,
        "year": year,
        "name": emp.name if emp else None,
        **coefficient.as_dict(),
        "coefficient_note": coefficient_note(nip, coefficient),
        "rule": CREDIT_RULE,
        "periods": figures["periods"],
        "total": figures["total"],
        "annual": figures["annual"],
        "assessment": {
            **dict(pak._mapping),
            "coefficient": finite(pak.coefficient),
            "periodic_total": finite(pak.periodic_total),
            "annual_credit_points": finite(pak.annual_credit_points),
        }
        if pak
        else None,
    }


def get_credit_points(uow, actor, nip: str, year: int) -> dict:
    """An employee's credit points of a year (the employee, their rater, a head above them, an admin)."""
    emp = directory.employee(uow.conn, nip)
    access.require_employee_reader(uow, actor, nip, emp)
    body = credit_body(uow.conn, nip, year, emp)
    if emp is None and not body["periods"] and body["annual"] is None:
        raise NotFound(f"employee {nip} is not known here")
    return body


def record_credit_assessment(uow, actor, annual, emp, coefficient: domain.Coefficient, *, head_of: str | None) -> None:
    """The PAK record of the annual evaluation's employee and year, written when it closes (a reopened and
    closed again one replaces it): the year's figures, the predicate's basis and who set it."""
    conn = uow.conn
    figures = credit_figures(conn, annual.nip, annual.year, emp)
    org = store.org_predicate(conn, annual.unit_id, annual.period_id) if head_of else None
    values = dict(
        nip=annual.nip,
        year=annual.year,
        evaluation_id=annual.id,
        revision=annual.revision,
        functional_level=coefficient.level,
        coefficient=coefficient.value,
        coefficient_source=coefficient.source,
        periods=jsonable([x for x in figures["periods"] if x["status"] == domain.CLOSED]),
        periodic_total=figures["total"],
        annual_predicate=annual.predicate,
        annual_credit_points=finite(annual.credit_points),
        basis=jsonable(
            {
                "evaluation_id": annual.id,
                "revision": annual.revision,
                "results_rating": annual.results_rating,
                "behaviour_rating": annual.behaviour_rating,
                "predicate": annual.predicate,
                "predicate_name": domain.PREDICATE_NAMES_ID.get(annual.predicate),
                "rater_nip": annual.rater_nip,
                "closed_by": annual.closed_by,
                "closed_at": annual.closed_at,
                "organisational_predicate": org,
                "rule": CREDIT_RULE,
            }
        ),
        set_by=actor.sub,
        set_at=uow.now(),
    )
    before = store.credit_assessment(conn, annual.nip, annual.year)
    store.save_credit_assessment(conn, values)
    uow.audit(
        actor=actor,
        action="credit_assessment.recorded",
        entity_type="credit_assessment",
        entity_id=f"{annual.nip}-{annual.year}",
        before=jsonable(dict(before._mapping)) if before else None,
        after=jsonable(values),
    )
