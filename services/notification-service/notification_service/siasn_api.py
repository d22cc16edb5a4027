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
from sqlalchemy import case, func, select

from kinerja_shared import audit
from kinerja_shared.web.answer_json import answer_dumps
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors
from kinerja_shared.web.downloads import attachment
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound

from . import paging, siasn
from . import siasn_mapping as mapping
from .models import siasn_records
from .siasn_schemas import ExportQuery, RecordDetail, RecordOut, RecordPage, RecordQuery, Report, ReportQuery

blp = Blueprint("siasn", __name__, url_prefix="/api/v1/integrations/siasn",
                description="The SIASN channel (admins only): the SKP, periodic-performance and credit-point records "
                "sent to BKN's SIASN, their status and SIASN's answers; resend, reconciliation report, dry-run export.")

MAX_ID = paging.MAX_ID


def _require_admin():
    if not current_principal().is_admin:
        raise Forbidden("Only an admin (BKPSDM) may see and resend the records sent to SIASN.")


def _load(conn, record_id: int, for_update: bool = False):
    if record_id > MAX_ID:
        raise NotFound(f"SIASN record {record_id} does not exist")
    query = select(siasn_records).where(siasn_records.c.id == record_id)
    row = conn.execute(query.with_for_update() if for_update and conn.dialect.name == "postgresql" else query).first()
    if row is None:
        raise NotFound(f"SIASN record {record_id} does not exist")
    return row


def _out(row) -> dict:
    out = dict(row._mapping)
    out.pop("evaluation", None)
    return out


@blp.route("/records")
@blp.arguments(RecordQuery, location="query")
@blp.response(200, RecordPage)
@errors(blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_records(args):
    """The records owed to SIASN, newest first; filter by status, unit, year, kind or NIP."""
    _require_admin()
    query = select(siasn_records)
    for name in ("status", "unit_id", "year", "kind", "nip"):
        if args.get(name) is not None:
            query = query.where(siasn_records.c[name] == args[name])
    return paging.newest_first(query, siasn_records.c.id, args, _out)


@blp.route("/records/<int:record_id>")
@blp.response(200, RecordDetail)
@errors(blp, (404, "No such record"))
def get_record(record_id):
    """One record, with ``body``: exactly what would be sent to SIASN now (null while data is missing)."""
    _require_admin()
    with runtime().engine.connect() as conn:
        row = _load(conn, record_id)
        body, missing = siasn.body_of(conn, row)
    return {**_out(row), "body": body, "missing": missing if row.status == siasn.NEEDS_DATA else row.missing}


@blp.route("/records/<int:record_id>/resend", methods=["POST"])
@blp.response(200, RecordOut)
@errors(blp, (404, "No such record"), (409, "Pending or reopened: nothing to resend"))
def resend_record(record_id):
    """Send a record again (admin), built from the directory as it is now: after fixing what SIASN refused,
    after a failure, or to refresh one sent. Without the data it needs it stays ``needs_data``."""
    _require_admin()
    with runtime().engine.begin() as conn:
        row = _load(conn, record_id, for_update=True)
        if row.status not in siasn.RESENDABLE:
            raise Conflict(f"The record is {row.status}: only a refused, failed, sent or needs-data record is sent "
                           "again.", title="Status does not allow this", current_status=row.status)
        status = siasn.resend(conn, row)
        audit.record(conn, actor=current_principal(), action="siasn.resent", entity_type="siasn_record",
                     entity_id=str(record_id), before={"status": row.status}, after={"status": status})
        return _out(_load(conn, record_id))


@blp.route("/report")
@blp.arguments(ReportQuery, location="query")
@blp.response(200, Report)
@errors(blp, (422, "Bad year or unit"))
def report(args):
    """Reconciliation per unit for a year: how many records are sent, waiting, refused, failed, need data."""
    _require_admin()
    c = siasn_records.c

    def count(*statuses):
        return func.sum(case((c.status.in_(statuses), 1), else_=0))

    query = (select(c.unit_id, count(siasn.SENT).label("sent"), count(siasn.PENDING, siasn.REOPENED).label("waiting"),
                    count(siasn.REFUSED).label("refused"), count(siasn.FAILED).label("failed"),
                    count(siasn.NEEDS_DATA).label("needs_data"))
             .where(c.year == args["year"]).group_by(c.unit_id).order_by(c.unit_id))
    if args.get("unit_id"):
        query = query.where(c.unit_id == args["unit_id"])
    with runtime().engine.connect() as conn:
        rows = conn.execute(query).all()
    return {"year": args["year"], "units": [{"year": args["year"], **{k: int(v or 0) if k != "unit_id" else v
                                                                       for k, v in r._mapping.items()}} for r in rows]}


@blp.route("/export")
@blp.arguments(ExportQuery, location="query")
@blp.response(200, content_type="application/json",
              description="A download: {unit_id, period_id, records: [{record_id, kind, method, path, body}], "
              "needs_data: [{record_id, nip, kind, missing}]}")
@errors(blp, (422, "Bad unit or period"))
def export(args):
    """Dry run (admin): the JSON records that would be sent to SIASN for a unit and period, as a download."""
    _require_admin()
    query = (select(siasn_records).where(siasn_records.c.unit_id == args["unit_id"],
                                         siasn_records.c.period_id == args["period_id"])
             .order_by(siasn_records.c.nip, siasn_records.c.kind))
    records, lacking = [], []
    with runtime().engine.connect() as conn:
        for row in conn.execute(query).all():
            body, missing = siasn.body_of(conn, row)
            if body is None:
                lacking.append({"record_id": row.id, "nip": row.nip, "kind": row.kind, "missing": missing})
            else:
                records.append({"record_id": row.id, "kind": row.kind, "method": "POST",
                                "path": mapping.PATHS[row.kind], "body": body})
    document = {"unit_id": args["unit_id"], "period_id": args["period_id"], "records": records, "needs_data": lacking}
    return attachment(answer_dumps(document), f"siasn-{args['unit_id']}-{args['period_id']}.json", "application/json")
