"""Use cases of plan-service's official document (issue 17): the SKP of an approved revision as a verifiable PDF,
and whether an issued SKP was superseded (for the public verify endpoints)."""

from __future__ import annotations

from kinerja_shared.documents import issuing, registry
from kinerja_shared.errors import Conflict, NotFound

from .. import access, plans_store, store
from ..documents import DOC_TYPE, TITLE, skp_story
from ..models import documents

PREFIX = "P"  # codes of this service start with P (the gateway routes /api/v1/documents/verify/P... here)


def document_state(conn, row):
    """An SKP is superseded once a later revision of its plan was approved (amendment, rater change, transfer)."""
    current = plans_store.current_revision(conn, row.subject)
    if current is not None and current > row.revision:
        return registry.SUPERSEDED, f"SKP telah direvisi; kini revisi {current}."
    return None


def _people(conn, plan, rev) -> dict:
    employee, rater = plans_store.employee(conn, plan.nip), plans_store.employee(conn, rev.rater_nip)
    cascade = store.rater_plan(conn, rev.rater_nip, plan.year)
    return {
        "nip": plan.nip,
        "employee": employee,
        "employee_unit": plans_store.unit_name(conn, rev.unit_id),
        "rater": rater,
        "rater_unit": plans_store.unit_name(conn, rater.unit_id) if rater else None,
        "submitted_at": plan.submitted_at,
        "rater_results": {r["result_id"]: r.get("text") for r in cascade.content["results"]} if cascade else {},
    }


def issue_plan_document(uow, actor, plan_id: str, *, revision: int | None, settings) -> tuple[registry.Issued, str]:
    """The SKP of revision ``revision`` (default the latest approved) of a plan the caller may read, issued once
    (registered and audited); an earlier revision is issued as superseded. Returns (the document, its file name)."""
    conn = uow.conn
    plan, _ = access.readable_plan(conn, actor, plan_id, today=uow.today())
    rev = plans_store.revision(conn, plan_id, revision)
    if rev is None and revision is not None:
        raise NotFound(f"plan {plan_id} has no revision {revision}")
    if rev is None:
        raise Conflict(
            f"plan {plan_id} has no approved revision yet: its SKP is issued once the rater approves it",
            title="Plan not approved",
            current_status=plan.status,
        )
    people = _people(conn, plan, rev)
    employee = people["employee"]
    facts = registry.Facts(
        title=TITLE, period=f"Tahun {plan.year}", employee_name=employee.name if employee else None, nip=plan.nip
    )
    issued = issuing.issue_pdf(
        conn,
        documents,
        settings,
        prefix=PREFIX,
        doc_type=DOC_TYPE,
        subject=plan_id,
        revision=rev.revision,
        facts=facts,
        status=registry.SUPERSEDED if rev.revision < plan.revision else registry.VALID,
        signer_nips=(plan.nip, rev.rater_nip or ""),
        story=lambda frame: skp_story(rev, people, frame.width),
    )
    if issued.new:
        uow.audit(
            actor=actor,
            action="document.issue",
            entity_type="document",
            entity_id=issued.code,
            after={"doc_type": DOC_TYPE, "subject": plan_id, "revision": rev.revision, "sha256": issued.sha256},
        )
    return issued, f"skp_{plan.nip}_{plan.year}_r{rev.revision}.pdf"
