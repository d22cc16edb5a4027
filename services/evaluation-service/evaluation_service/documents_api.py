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

from kinerja_shared.documents import issuing
from kinerja_shared.documents.verify_api import make_verify_blueprint
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors

from . import api
from .models import documents
from .schemas import CreditPointsQuery
from .use_cases import documents as use_cases
from .use_cases.documents import PREFIX, issue_evaluation  # noqa: F401  (the bulk job's step, the codes' prefix)

NOT_CLOSED = (409, "The evaluation is not closed yet")

verify_blp = make_verify_blueprint(documents, use_cases.document_state)


def _pdf(document: use_cases.Document):
    return issuing.pdf_response(document.issued, document.filename)


@api.evaluations_blp.route("/<evaluation_id>/document.pdf")
@api.evaluations_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@_errors(api.evaluations_blp, (404, "No such evaluation"), NOT_CLOSED)
def evaluation_document_pdf(evaluation_id):
    """The evaluation document (Dokumen Evaluasi Kinerja Pegawai, periodic or annual by the evaluation's period)
    of a closed evaluation as a PDF: realisation and feedback per result, the behaviour expectations and
    feedback, both ratings and the predicate, the approvals as recorded, and a verification code with its QR
    code. Same readers as the evaluation. The same revision always gives the same bytes."""
    with unit_of_work() as uow:
        document = use_cases.evaluation_document(uow, current_principal(), evaluation_id, settings=runtime().settings)
    return _pdf(document)


@api.units_blp.route("/<unit_id>/predicates/<period_id>/document.pdf")
@api.units_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@_errors(api.units_blp, (404, "The unit has no organisational predicate for the period"), (422, "Bad period"))
def unit_decision_pdf(unit_id, period_id):
    """The unit's predicate decision (Penetapan Predikat Kinerja Organisasi) for a period as a PDF: the
    organisational predicate with its basis and who set it, the distribution of the employee predicates
    against the SE 03/2023 rules and, once final, the calibrated predicates. The head of the unit or of a unit
    above it, and admins."""
    with unit_of_work() as uow:
        document = use_cases.unit_decision_document(
            uow, current_principal(), unit_id, period_id, settings=runtime().settings
        )
    return _pdf(document)


@api.evaluations_blp.route("/credit-points/document.pdf")
@api.evaluations_blp.arguments(CreditPointsQuery, location="query")
@api.evaluations_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@_errors(
    api.evaluations_blp,
    (404, "No such employee"),
    (409, "No PAK yet: the annual evaluation is not closed"),
    (422, "Bad NIP or year"),
)
def pak_pdf(args):
    """The credit-point assessment (Penetapan Angka Kredit, PAK) of an employee and year as a PDF: each closed
    period's credit points, their total, the annual evaluation's figure and the coefficient's basis (the
    functional level). Written once the annual evaluation closed. Same readers as the credit points."""
    with unit_of_work() as uow:
        document = use_cases.pak_document(
            uow, current_principal(), args["nip"], args["year"], settings=runtime().settings
        )
    return _pdf(document)
