"""Use cases of evaluation-service's official documents (issue 17): issue the PDFs, answer the verification.

- the periodic or annual evaluation document of a closed evaluation (whoever may read the evaluation);
- the unit's predicate decision with the distribution table (the head of the unit or of one above it, admins);
- the PAK of an employee and year (who may read the credit points);
- the state of a register row for the public verification (kinerja_shared.documents.verify_api).

Every document is registered (models.documents) under its code; a later revision supersedes it. The layouts
are documents.py's, the SQL documents_store.py's, who may access.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja_shared.documents import issuing, registry
from kinerja_shared.documents.labels import period_name
from kinerja_shared.errors import Conflict, NotFound

from .. import access, documents_store, domain
from ..documents import (
    EVALUATION_ANNUAL,
    EVALUATION_PERIODIC,
    PAK,
    TITLES,
    UNIT_DECISION,
    doc_type_of,
    evaluation_story,
    pak_story,
    unit_decision_story,
)
from ..models import documents

PREFIX = "E"  # codes of this service start with E (the gateway routes /api/v1/documents/verify/E... here)


@dataclass(frozen=True)
class Document:
    """An issued document and the file name it is downloaded as."""

    issued: registry.Issued
    filename: str


def _evaluations():
    from .. import api  # the evaluations' views the documents print (api.py builds on the realisation)

    return api


def _filename(*parts: str) -> str:
    return "_".join(p for p in parts if p) + ".pdf"


def _audit_issue(uow, actor, issued: registry.Issued, doc_type: str, subject: str) -> None:
    if issued.new:
        uow.audit(
            actor=actor,
            action="document.issue",
            entity_type="document",
            entity_id=issued.code,
            after={"doc_type": doc_type, "subject": subject, "sha256": issued.sha256},
        )


# -- the public verification -------------------------------------------------------------------------


def document_state(conn, row):
    """Whether the subject of a register row moved on since: an evaluation reopened for a correction (revoked
    until it closes again, then superseded), a unit's predicate or a PAK record set again after the document
    was issued (superseded). None: it did not."""
    if row.doc_type in (EVALUATION_PERIODIC, EVALUATION_ANNUAL):
        found = documents_store.evaluation_revision(conn, row.subject)
        if found is not None and found.revision > row.revision:
            if found.status != domain.CLOSED:  # reopened for a correction: no valid document until it closes again
                return registry.REVOKED, (
                    f"Evaluasi dibuka kembali untuk dikoreksi; revisi {found.revision} belum ditutup."
                )
            return registry.SUPERSEDED, f"Evaluasi dikoreksi; kini revisi {found.revision}."
    elif row.doc_type == UNIT_DECISION:
        unit_id, _, period_id = row.subject.partition("/")
        set_at = documents_store.unit_predicate_set_at(conn, unit_id, period_id)
        if set_at is not None and set_at > row.issued_at:
            return registry.SUPERSEDED, "Predikat organisasi ditetapkan ulang setelah dokumen ini diterbitkan."
    elif row.doc_type == PAK:
        nip, _, year = row.subject.partition("/")
        set_at = documents_store.credit_assessment_set_at(conn, nip, int(year))
        if set_at is not None and set_at > row.issued_at:
            return registry.SUPERSEDED, "Angka kredit ditetapkan ulang setelah dokumen ini diterbitkan."
    return None


# -- the evaluation document -------------------------------------------------------------------------


def _evaluation_names(conn, row) -> dict:
    rater = documents_store.person(conn, row.rater_nip)
    closer = documents_store.person(conn, row.closed_by)
    return {
        "unit_name": documents_store.unit_name(conn, row.unit_id),
        "rater_name": rater.name if rater else None,
        "rater_position": rater.position if rater else None,
        "rater_unit_name": documents_store.unit_name(conn, rater.unit_id) if rater else None,
        "closer_name": closer.name if closer else None,
    }


def issue_evaluation(conn, settings, row, issue_pdf=issuing.issue_pdf) -> registry.Issued:
    """The evaluation document of a closed evaluation row (also the bulk job's step): the evaluation's view
    (as GET /evaluations/{id}) with the people's names, rendered, signed and registered by ``issue_pdf``."""
    detail, names = _evaluations()._detail(conn, row), _evaluation_names(conn, row)
    doc_type = doc_type_of(row.period_kind)
    facts = registry.Facts(
        title=TITLES[doc_type], period=period_name(row.period_id), employee_name=detail["employee"]["name"], nip=row.nip
    )
    return issue_pdf(
        conn,
        documents,
        settings,
        prefix=PREFIX,
        doc_type=doc_type,
        subject=row.id,
        revision=row.revision,
        facts=facts,
        signer_nips=(row.rater_nip or "",),
        story=lambda frame: evaluation_story(detail, names, frame.width),
    )


def evaluation_document(uow, actor, evaluation_id: str, *, settings, issue_pdf=issuing.issue_pdf) -> Document:
    """The evaluation document of a closed evaluation; the same revision always gives the same bytes.
    (``issue_pdf``: kinerja_shared.documents.issuing's, or a test's stand-in that does not render.)"""
    row = access.readable_evaluation(uow.conn, actor, evaluation_id)
    if row.status != domain.CLOSED:
        raise Conflict(
            f"evaluation {evaluation_id} is not closed yet: its document is issued when the rater closes it",
            title="Evaluation not closed",
            current_status=row.status,
        )
    issued = issue_evaluation(uow.conn, settings, row, issue_pdf)
    _audit_issue(uow, actor, issued, doc_type_of(row.period_kind), row.id)
    return Document(issued, _filename("evaluasi-kinerja", row.nip, row.period_id, f"r{row.revision}"))


# -- the unit's predicate decision -------------------------------------------------------------------


def unit_decision_document(
    uow, actor, unit_id: str, period_id: str, *, settings, issue_pdf=issuing.issue_pdf
) -> Document:
    """The unit's predicate decision for a period with the distribution of its employees' predicates."""
    api = _evaluations()
    period = api._period(period_id)
    conn = uow.conn
    access.unit_reader(conn, actor, unit_id, "see its distribution")
    decision = documents_store.unit_predicate(conn, unit_id, period.id)
    if decision is None:
        raise NotFound(f"unit {unit_id} has no organisational predicate for {period.id}")
    dist = api._distribution(conn, unit_id, period)
    setter = documents_store.person(conn, decision.set_by)
    people = documents_store.names_of(conn, [p["nip"] for p in (dist.get("calibration") or {}).get("predicates", [])])
    names = {
        "unit_name": documents_store.unit_name(conn, unit_id),
        "set_by_name": setter.name if setter else None,
        "people": people,
    }
    subject = f"{unit_id}/{period.id}"
    facts = registry.Facts(
        title=TITLES[UNIT_DECISION],
        period=period_name(period.id),
        employee_name=names.get("unit_name") or unit_id,
        nip=None,
    )
    issued = issue_pdf(
        conn,
        documents,
        settings,
        prefix=PREFIX,
        doc_type=UNIT_DECISION,
        subject=subject,
        revision=None,
        facts=facts,
        signer_nips=(decision.set_by,),
        story=lambda frame: unit_decision_story(dist, dict(decision._mapping), names, frame.width),
    )
    _audit_issue(uow, actor, issued, UNIT_DECISION, subject)
    return Document(issued, _filename("penetapan-predikat", unit_id, period.id))


# -- the PAK ---------------------------------------------------------------------------------------


def _pak_names(conn, emp, pak: dict) -> dict:
    basis = pak.get("basis") or {}
    rater = documents_store.person(conn, basis.get("rater_nip"))
    setter = documents_store.person(conn, pak.get("set_by"))
    return {
        "position": emp.position if emp else None,
        "unit_name": documents_store.unit_name(conn, emp.unit_id) if emp else None,
        "rater_name": rater.name if rater else None,
        "set_by_name": setter.name if setter else None,
    }


def pak_document(uow, actor, nip: str, year: int, *, settings, issue_pdf=issuing.issue_pdf) -> Document:
    """The credit-point assessment (PAK) of an employee and year, once the annual evaluation closed."""
    conn = uow.conn
    emp = documents_store.employee(conn, nip)
    access.credit_reader(conn, actor, nip, emp)
    credit = _evaluations().credit_body(conn, nip, year, emp)
    if credit["assessment"] is None:
        if emp is None:
            raise NotFound(f"employee {nip} is not known here")
        raise Conflict(
            f"{nip} has no credit-point assessment (PAK) for {year} yet: it is recorded when the annual "
            "evaluation closes",
            title="No PAK yet",
            current_status="no_pak",
        )
    names = _pak_names(conn, emp, credit["assessment"])
    subject = f"{nip}/{year}"
    facts = registry.Facts(title=TITLES[PAK], period=f"Tahun {year}", employee_name=credit.get("name"), nip=nip)
    issued = issue_pdf(
        conn,
        documents,
        settings,
        prefix=PREFIX,
        doc_type=PAK,
        subject=subject,
        revision=None,
        facts=facts,
        story=lambda frame: pak_story(credit, names, frame.width),
    )
    _audit_issue(uow, actor, issued, PAK, subject)
    return Document(issued, _filename("pak", nip, str(year)))
