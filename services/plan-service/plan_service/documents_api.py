"""HTTP API of plan-service's official document (issue 17): the SKP as a verifiable PDF.

- ``GET /api/v1/plans/{plan_id}/document.pdf[?revision=N]``: the SKP of an approved revision (default the
  latest), whoever may read the plan (others 404, as for the plan); a plan never approved has none (409);
- ``GET|POST /api/v1/documents/verify/{code}``: public (kinerja_shared.documents.verify_api); an SKP is
  superseded once a later revision of its plan was approved (an amendment, a rater change, a transfer).
"""

from __future__ import annotations

import marshmallow as ma

from kinerja_shared.documents import issuing
from kinerja_shared.documents.verify_api import make_verify_blueprint
from kinerja_shared.numbers import MAX_VERSION
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work

from .models import documents
from .plans_api import NOT_FOUND, plans_blp
from .use_cases import documents as use_cases
from .web import errors

PREFIX = use_cases.PREFIX


class DocumentQuery(ma.Schema):
    revision = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(min=1, max=MAX_VERSION),
        metadata={"description": "An approved revision (default: the latest)"},
    )


verify_blp = make_verify_blueprint(documents, use_cases.document_state)


@plans_blp.route("/<plan_id>/document.pdf")
@plans_blp.arguments(DocumentQuery, location="query")
@plans_blp.doc(responses=issuing.PDF_RESPONSE_DOC)
@errors(plans_blp, NOT_FOUND, (409, "The plan has no approved revision yet"), (422, "Bad revision"))
def plan_document_pdf(args, plan_id):
    """The SKP (Sasaran Kinerja Pegawai) of an approved revision of the plan as a PDF (A4): the employee and the
    rater, the results with their indicators and targets, the behaviour expectations, the approvals as
    recorded, the three attachments, and a verification code with its QR code. ``revision``: any approved
    revision (default the latest); an earlier one is issued as superseded. Same readers as the plan."""
    with unit_of_work() as uow:
        issued, filename = use_cases.issue_plan_document(
            uow, current_principal(), plan_id, revision=args["revision"], settings=runtime().settings
        )
    return issuing.pdf_response(issued, filename)
