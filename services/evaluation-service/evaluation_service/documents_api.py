"""HTTP API of evaluation-service's official documents (issue 17): the PDFs and the public verification.

- ``GET /api/v1/evaluations/{evaluation_id}/document.pdf``: the periodic or annual evaluation document of a
  closed evaluation (whoever may read the evaluation; others 404 as for the evaluation);
- ``GET /api/v1/unit-performance/{unit_id}/predicates/{period_id}/document.pdf``: the unit's predicate
  decision with the distribution table (the head of the unit or of one above it, an admin);
- ``GET /api/v1/evaluations/credit-points/document.pdf?nip=&year=``: the PAK (who may read the credit points);
- ``GET|POST /api/v1/documents/verify/{code}``: public (kinerja_shared.documents.verify_api);
- the bulk ZIP of a unit's evaluation documents: document_jobs_api.py.

Every document is registered (models.documents) under its code; a later revision supersedes it.
"""
from __future__ import annotations

from sqlalchemy import select

from kinerja_shared import audit
from kinerja_shared.documents import issuing, registry
from kinerja_shared.documents.labels import period_name
from kinerja_shared.documents.verify_api import make_verify_blueprint
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound

from . import api, domain
from .documents import (EVALUATION_ANNUAL, EVALUATION_PERIODIC, PAK, TITLES, UNIT_DECISION, doc_type_of,
                        evaluation_story, pak_story, unit_decision_story)
from .documents_data import evaluation_document, pak_names, unit_names
from .models import credit_assessments, documents, employees, evaluations, unit_predicates
from .schemas import CreditPointsQuery

PREFIX = "E"  # codes of this service start with E (the gateway routes /api/v1/documents/verify/E... here)
NOT_CLOSED = (409, "The evaluation is not closed yet")


def _state(conn, row):
    """Whether the subject of a register row moved on since: an evaluation reopened for a correction (revoked
    until it closes again, then superseded), a unit's predicate or a PAK record set again after the document
    was issued (superseded)."""
    if row.doc_type in (EVALUATION_PERIODIC, EVALUATION_ANNUAL):
        found = conn.execute(select(evaluations.c.revision, evaluations.c.status)
                             .where(evaluations.c.id == row.subject)).first()
        if found is not None and found.revision > row.revision:
            if found.status != domain.CLOSED:  # reopened for a correction: no valid document until it closes again
                return registry.REVOKED, (f"Evaluasi dibuka kembali untuk dikoreksi; revisi {found.revision} belum "
                                          "ditutup.")
            return registry.SUPERSEDED, f"Evaluasi dikoreksi; kini revisi {found.revision}."
    elif row.doc_type == UNIT_DECISION:
        unit_id, _, period_id = row.subject.partition("/")
        found = conn.execute(select(unit_predicates.c.set_at).where(
            unit_predicates.c.unit_id == unit_id, unit_predicates.c.period_id == period_id)).first()
        if found is not None and found.set_at > row.issued_at:
            return registry.SUPERSEDED, "Predikat organisasi ditetapkan ulang setelah dokumen ini diterbitkan."
    elif row.doc_type == PAK:
        nip, _, year = row.subject.partition("/")
        found = conn.execute(select(credit_assessments.c.set_at).where(
            credit_assessments.c.nip == nip, credit_assessments.c.year == int(year))).first()
        if found is not None and found.set_at > row.issued_at:
            return registry.SUPERSEDED, "Angka kredit ditetapkan ulang setelah dokumen ini diterbitkan."
    return None


verify_blp = make_verify_blueprint(documents, _state)


def _audit_issue(conn, issued: registry.Issued, doc_type: str, subject: str) -> None:
    if issued.new:
        audit.record(conn, actor=current_principal(), action="document.issue", entity_type="document",
                     entity_id=issued.code, after={"doc_type": doc_type, "subject": subject, "sha256": issued.sha256})


def issue_evaluation(conn, settings, row) -> registry.Issued:
    """The evaluation document of a closed evaluation row (also the bulk job's step)."""
    detail, names = evaluation_document(conn, row)
    doc_type = doc_type_of(row.period_kind)
    facts = registry.Facts(title=TITLES[doc_type], period=period_name(row.period_id),
                           employee_name=detail["employee"]["name"], nip=row.nip)
    return issuing.issue_pdf(conn, documents, settings, prefix=PREFIX, doc_type=doc_type, subject=row.id,
                             revision=row.revision, facts=facts, signer_nips=(row.rater_nip or "",),
                             story=lambda frame: evaluation_story(detail, names, frame.width))


def _filename(*parts: str) -> str:
    return "_".join(p for p in parts if p) + ".pdf"


@api.evaluations_blp.route("/<evaluation_id>/document.pdf")
@api.evaluations_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@_errors(api.evaluations_blp, (404, "No such evaluation"), NOT_CLOSED)
def evaluation_document_pdf(evaluation_id):
    """The evaluation document (Dokumen Evaluasi Kinerja Pegawai, periodic or annual by the evaluation's period)
    of a closed evaluation as a PDF: realisation and feedback per result, the behaviour expectations and
    feedback, both ratings and the predicate, the approvals as recorded, and a verification code with its QR
    code. Same readers as the evaluation. The same revision always gives the same bytes."""
    with runtime().engine.begin() as conn:
        row = api._readable(conn, evaluation_id)
        if row.status != domain.CLOSED:
            raise Conflict(f"evaluation {evaluation_id} is not closed yet: its document is issued when the rater "
                           "closes it", title="Evaluation not closed", current_status=row.status)
        issued = issue_evaluation(conn, runtime().settings, row)
        _audit_issue(conn, issued, doc_type_of(row.period_kind), row.id)
    return issuing.pdf_response(issued, _filename("evaluasi-kinerja", row.nip, row.period_id, f"r{row.revision}"))


@api.units_blp.route("/<unit_id>/predicates/<period_id>/document.pdf")
@api.units_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@_errors(api.units_blp, (404, "The unit has no organisational predicate for the period"), (422, "Bad period"))
def unit_decision_pdf(unit_id, period_id):
    """The unit's predicate decision (Penetapan Predikat Kinerja Organisasi) for a period as a PDF: the
    organisational predicate with its basis and who set it, the distribution of the employee predicates
    against the SE 03/2023 rules and, once final, the calibrated predicates. The head of the unit or of a unit
    above it, and admins."""
    period = api._period(period_id)
    settings = runtime().settings
    with runtime().engine.begin() as conn:
        api._require_unit(conn, unit_id, "see its distribution")
        decision = conn.execute(select(unit_predicates).where(unit_predicates.c.unit_id == unit_id,
                                                              unit_predicates.c.period_id == period.id)).first()
        if decision is None:
            raise NotFound(f"unit {unit_id} has no organisational predicate for {period.id}")
        dist = api._distribution(conn, unit_id, period)
        names = unit_names(conn, unit_id, decision, dist)
        subject = f"{unit_id}/{period.id}"
        facts = registry.Facts(title=TITLES[UNIT_DECISION], period=period_name(period.id),
                               employee_name=names.get("unit_name") or unit_id, nip=None)
        issued = issuing.issue_pdf(conn, documents, settings, prefix=PREFIX, doc_type=UNIT_DECISION, subject=subject,
                                   revision=None, facts=facts, signer_nips=(decision.set_by,),
                                   story=lambda frame: unit_decision_story(dist, dict(decision._mapping), names,
                                                                           frame.width))
        _audit_issue(conn, issued, UNIT_DECISION, subject)
    return issuing.pdf_response(issued, _filename("penetapan-predikat", unit_id, period.id))


@api.evaluations_blp.route("/credit-points/document.pdf")
@api.evaluations_blp.arguments(CreditPointsQuery, location="query")
@api.evaluations_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@_errors(api.evaluations_blp, (404, "No such employee"), (409, "No PAK yet: the annual evaluation is not closed"),
         (422, "Bad NIP or year"))
def pak_pdf(args):
    """The credit-point assessment (Penetapan Angka Kredit, PAK) of an employee and year as a PDF: each closed
    period's credit points, their total, the annual evaluation's figure and the coefficient's basis (the
    functional level). Written once the annual evaluation closed. Same readers as the credit points."""
    p = current_principal()
    nip, year = args["nip"], args["year"]
    with runtime().engine.begin() as conn:
        emp = conn.execute(select(employees).where(employees.c.nip == nip)).first()
        if not api._may_read_employee(conn, nip, emp, p):
            raise Forbidden(f"Only {nip}, their rater, the head of their unit (or of a unit above it) or an admin may "
                            "read their credit points.")
        credit = api.credit_body(conn, nip, year, emp)
        if credit["assessment"] is None:
            if emp is None:
                raise NotFound(f"employee {nip} is not known here")
            raise Conflict(f"{nip} has no credit-point assessment (PAK) for {year} yet: it is recorded when the annual "
                           "evaluation closes", title="No PAK yet", current_status="no_pak")
        names = pak_names(conn, nip, emp, credit["assessment"])
        subject = f"{nip}/{year}"
        facts = registry.Facts(title=TITLES[PAK], period=f"Tahun {year}", employee_name=credit.get("name"), nip=nip)
        issued = issuing.issue_pdf(conn, documents, runtime().settings, prefix=PREFIX, doc_type=PAK, subject=subject,
                                   revision=None, facts=facts, story=lambda frame: pak_story(credit, names, frame.width))
        _audit_issue(conn, issued, PAK, subject)
    return issuing.pdf_response(issued, _filename("pak", nip, str(year)))
