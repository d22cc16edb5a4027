"""HTTP API of plan-service's official document (issue 17): the SKP as a verifiable PDF.

- ``GET /api/v1/plans/{plan_id}/document.pdf[?revision=N]``: the SKP of an approved revision (default the
  latest), whoever may read the plan (others 404, as for the plan); a plan never approved has none (409);
- ``GET|POST /api/v1/documents/verify/{code}``: public (kinerja_shared.documents.verify_api); an SKP is
  superseded once a later revision of its plan was approved (an amendment, a rater change, a transfer).
"""
from __future__ import annotations

import marshmallow as ma
from sqlalchemy import select

from kinerja_shared import audit
from kinerja_shared.documents import issuing, registry
from kinerja_shared.documents.verify_api import make_verify_blueprint
from kinerja_shared.numbers import MAX_VERSION
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.problems import Conflict, NotFound

from .documents import DOC_TYPE, TITLE, skp_story
from .models import documents, employees, plan_revisions, plans, units
from .plans_api import NOT_FOUND, _visible, plans_blp
from .store import rater_plan
from .web import errors

PREFIX = "P"  # codes of this service start with P (the gateway routes /api/v1/documents/verify/P... here)


class DocumentQuery(ma.Schema):
    revision = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1, max=MAX_VERSION),
                                 metadata={"description": "An approved revision (default: the latest)"})


def _state(conn, row):
    found = conn.execute(select(plans.c.revision).where(plans.c.id == row.subject)).first()
    if found is not None and found.revision > row.revision:
        return registry.SUPERSEDED, f"SKP telah direvisi; kini revisi {found.revision}."
    return None


verify_blp = make_verify_blueprint(documents, _state)


def _people(conn, plan, rev) -> dict:
    def person(nip):
        return conn.execute(select(employees).where(employees.c.nip == nip)).first() if nip else None

    def unit_name(unit_id):
        row = conn.execute(select(units.c.name).where(units.c.id == unit_id)).first() if unit_id else None
        return row.name if row else None

    employee, rater = person(plan.nip), person(rev.rater_nip)
    cascade = rater_plan(conn, rev.rater_nip, plan.year)
    return {"nip": plan.nip, "employee": employee, "employee_unit": unit_name(rev.unit_id), "rater": rater,
            "rater_unit": unit_name(rater.unit_id) if rater else None, "submitted_at": plan.submitted_at,
            "rater_results": {r["result_id"]: r.get("text") for r in cascade.content["results"]} if cascade else {}}


@plans_blp.route("/<plan_id>/document.pdf")
@plans_blp.arguments(DocumentQuery, location="query")
@plans_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@errors(plans_blp, NOT_FOUND, (409, "The plan has no approved revision yet"), (422, "Bad revision"))
def plan_document_pdf(args, plan_id):
    """The SKP (Sasaran Kinerja Pegawai) of an approved revision of the plan as a PDF (A4): the employee and the
    rater, the results with their indicators and targets, the behaviour expectations, the approvals as
    recorded, the three attachments, and a verification code with its QR code. ``revision``: any approved
    revision (default the latest); an earlier one is issued as superseded. Same readers as the plan."""
    with runtime().engine.begin() as conn:
        plan, _ = _visible(conn, plan_id)
        query = select(plan_revisions).where(plan_revisions.c.plan_id == plan_id)
        if args.get("revision") is not None:
            query = query.where(plan_revisions.c.revision == args["revision"])
        rev = conn.execute(query.order_by(plan_revisions.c.revision.desc()).limit(1)).first()
        if rev is None and args.get("revision") is not None:
            raise NotFound(f"plan {plan_id} has no revision {args['revision']}")
        if rev is None:
            raise Conflict(f"plan {plan_id} has no approved revision yet: its SKP is issued once the rater approves it",
                           title="Plan not approved", current_status=plan.status)
        people = _people(conn, plan, rev)
        employee = people["employee"]
        facts = registry.Facts(title=TITLE, period=f"Tahun {plan.year}", employee_name=employee.name if employee else None,
                               nip=plan.nip)
        issued = issuing.issue_pdf(conn, documents, runtime().settings, prefix=PREFIX, doc_type=DOC_TYPE,
                                   subject=plan_id, revision=rev.revision, facts=facts,
                                   status=registry.SUPERSEDED if rev.revision < plan.revision else registry.VALID,
                                   signer_nips=(plan.nip, rev.rater_nip or ""),
                                   story=lambda frame: skp_story(rev, people, frame.width))
        if issued.new:
            audit.record(conn, actor=current_principal(), action="document.issue", entity_type="document",
                         entity_id=issued.code, after={"doc_type": DOC_TYPE, "subject": plan_id,
                                                       "revision": rev.revision, "sha256": issued.sha256})
    return issuing.pdf_response(issued, f"skp_{plan.nip}_{plan.year}_r{rev.revision}.pdf")
