"""/api/v1/integrations/siasn: every record owed to BKN's SIASN and its fate (admins only).

- ``GET /records?status=&unit_id=&year=&kind=&nip=``: the records, newest first, paginated;
- ``GET /records/{id}``: one record with ``body``, exactly what would be sent now;
- ``POST /records/{id}/resend``: build it again from the directory and send it (a refused,
  failed, sent or needs-data record);
- ``GET /report?year=&unit_id=``: per unit, how many are sent, waiting, refused, failed, need data;
- ``GET /export?unit_id=&period_id=``: a download of the JSON records that would be sent for a
  unit and period (regions that upload by hand), with those still lacking data named.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.answer_json import answer_dumps
from kinerja_shared.web.app_factory import current_principal, unit_of_work
from kinerja_shared.web.docs import errors
from kinerja_shared.web.downloads import attachment

from .siasn_schemas import ExportQuery, RecordDetail, RecordOut, RecordPage, RecordQuery, Report, ReportQuery
from .use_cases import siasn

blp = Blueprint(
    "siasn",
    __name__,
    url_prefix="/api/v1/integrations/siasn",
    description="The SIASN channel (admins only): the SKP, periodic-performance and credit-point records "
    "sent to BKN's SIASN, their status and SIASN's answers; resend, reconciliation report, dry-run export.",
)


@blp.route("/records")
@blp.arguments(RecordQuery, location="query")
@blp.response(200, RecordPage)
@errors(blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_records(args):
    """The records owed to SIASN, newest first; filter by status, unit, year, kind or NIP."""
    with unit_of_work() as uow:
        return siasn.list_records(uow, current_principal(), args)


@blp.route("/records/<int:record_id>")
@blp.response(200, RecordDetail)
@errors(blp, (404, "No such record"))
def get_record(record_id):
    """One record, with ``body``: exactly what would be sent to SIASN now (null while data is missing)."""
    with unit_of_work() as uow:
        return siasn.get_record(uow, current_principal(), record_id)


@blp.route("/records/<int:record_id>/resend", methods=["POST"])
@blp.response(200, RecordOut)
@errors(blp, (404, "No such record"), (409, "Pending or reopened: nothing to resend"))
def resend_record(record_id):
    """Send a record again (admin), built from the directory as it is now: after fixing what SIASN refused,
    after a failure, or to refresh one sent. Without the data it needs it stays ``needs_data``."""
    with unit_of_work() as uow:
        return siasn.resend_record(uow, current_principal(), record_id)


@blp.route("/report")
@blp.arguments(ReportQuery, location="query")
@blp.response(200, Report)
@errors(blp, (422, "Bad year or unit"))
def report(args):
    """Reconciliation per unit for a year: how many records are sent, waiting, refused, failed, need data."""
    with unit_of_work() as uow:
        return siasn.report(uow, current_principal(), args["year"], args.get("unit_id"))


@blp.route("/export")
@blp.arguments(ExportQuery, location="query")
@blp.response(
    200,
    content_type="application/json",
    description="A download: {unit_id, period_id, records: [{record_id, kind, method, path, body}], "
    "needs_data: [{record_id, nip, kind, missing}]}",
)
@errors(blp, (422, "Bad unit or period"))
def export(args):
    """Dry run (admin): the JSON records that would be sent to SIASN for a unit and period, as a download."""
    with unit_of_work() as uow:
        document = siasn.export(uow, current_principal(), args["unit_id"], args["period_id"])
    return attachment(answer_dumps(document), f"siasn-{args['unit_id']}-{args['period_id']}.json", "application/json")
