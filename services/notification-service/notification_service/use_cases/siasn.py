"""The SIASN channel (admins): the records owed to BKN's SIASN, one record with what would be sent now,
a resend, the reconciliation report per unit and the dry-run export of a unit's period."""

from __future__ import annotations

from kinerja_shared.errors import Conflict, NotFound

from .. import access, paging, siasn
from .. import siasn_mapping as mapping
from .. import siasn_store as store

FILTERS = ("status", "unit_id", "year", "kind", "nip")
REPORTED = {
    "sent": (siasn.SENT,),
    "waiting": (siasn.PENDING, siasn.REOPENED),
    "refused": (siasn.REFUSED,),
    "failed": (siasn.FAILED,),
    "needs_data": (siasn.NEEDS_DATA,),
}


def shown(row) -> dict:
    out = dict(row._mapping)
    out.pop("evaluation", None)
    return out


def _load(uow, record_id: int, *, lock: bool = False):
    row = store.record(uow.conn, record_id, lock=lock) if record_id <= paging.MAX_ID else None
    if row is None:
        raise NotFound(f"SIASN record {record_id} does not exist")
    return row


def list_records(uow, actor, args: dict) -> dict:
    """``{items, next_cursor}``: the records, newest first, filtered by status, unit, year, kind or NIP."""
    access.may_see_siasn(actor)
    query = store.listing({name: args[name] for name in FILTERS if args.get(name) is not None})
    return paging.newest_first(uow.conn, query, store.records.c.id, args, shown)


def get_record(uow, actor, record_id: int) -> dict:
    """One record with ``body``: exactly what would be sent now (None while data is missing)."""
    access.may_see_siasn(actor)
    row = _load(uow, record_id)
    body, missing = siasn.body_of(uow.conn, row)
    return {**shown(row), "body": body, "missing": missing if row.status == siasn.NEEDS_DATA else row.missing}


def resend_record(uow, actor, record_id: int) -> dict:
    """Send a refused, failed, sent or needs-data record again, built from the directory as it is now."""
    access.may_see_siasn(actor)
    row = _load(uow, record_id, lock=True)
    if row.status not in siasn.RESENDABLE:
        raise Conflict(
            f"The record is {row.status}: only a refused, failed, sent or needs-data record is sent again.",
            title="Status does not allow this",
            current_status=row.status,
        )
    status = siasn.resend(uow.conn, row, uow.now())
    uow.audit(
        actor=actor,
        action="siasn.resent",
        entity_type="siasn_record",
        entity_id=str(record_id),
        before={"status": row.status},
        after={"status": status},
    )
    return shown(_load(uow, record_id))


def report(uow, actor, year: int, unit_id: str | None = None) -> dict:
    """Per unit of ``year``: how many records are sent, waiting, refused, failed, need data."""
    access.may_see_siasn(actor)
    rows = store.per_unit(uow.conn, year, unit_id, REPORTED)
    return {
        "year": year,
        "units": [
            {"year": year, **{k: int(v or 0) if k != "unit_id" else v for k, v in r._mapping.items()}} for r in rows
        ],
    }


def export(uow, actor, unit_id: str, period_id: str) -> dict:
    """The JSON records that would be sent for a unit and period, with those still lacking data named."""
    access.may_see_siasn(actor)
    records, lacking = [], []
    for row in store.of_unit_period(uow.conn, unit_id, period_id):
        body, missing = siasn.body_of(uow.conn, row)
        if body is None:
            lacking.append({"record_id": row.id, "nip": row.nip, "kind": row.kind, "missing": missing})
        else:
            records.append(
                {"record_id": row.id, "kind": row.kind, "method": "POST", "path": mapping.PATHS[row.kind], "body": body}
            )
    return {"unit_id": unit_id, "period_id": period_id, "records": records, "needs_data": lacking}
