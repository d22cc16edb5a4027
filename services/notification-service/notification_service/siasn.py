"""The SIASN channel: closed evaluations and credit points delivered to BKN's SIASN web services.

SIASN does not read Kafka; this channel sits next to the webhooks (the same consumer, the same
worker, the same claim-and-retry machinery of store.py) and keeps one row per record it owes
SIASN (``siasn_records``: an evaluation and a web service), whose fate an admin sees
(siasn_api.py).

When what is sent
- EvaluationClosed, annual → ``skp22/save``; monthly or quarterly → ``kinerjaperiodik/save``; an
  annual one with credit points (a functional) → ``angkakredit/save`` too (siasn_mapping.py).
- EvaluationReopened → the records wait (``reopened``) for the new revision's EvaluationClosed,
  which is sent as an update of the same SIASN record (its ``id``, kept from the first answer).
- EmployeeUpserted → records that waited for the directory (``needs_data``) are built again and
  sent when nothing is missing any more.

Statuses: ``needs_data`` (``missing`` names the fields), ``pending`` (due or retrying with backoff),
``sent`` (SIASN's id kept), ``refused`` (a 4xx: SIASN's message kept for an admin to fix and
resend), ``failed`` (SIASN_MAX_ATTEMPTS timeouts or 5xx: resend), ``reopened``.

Delivery is idempotent: an attempt is claimed and committed before the call (a lease), so a
worker killed mid-call leaves a record whose next attempt first looks the employee's SIASN
history up (``GET /pns/rw-…/{nip}``) and updates the record found there instead of creating a
second one; a record with SIASN's id is always sent as an update.

Documents (SIASN_DOCUMENTS=true): after saving, the evaluation's PDF is fetched
(SIASN_DOCUMENT_URL with the channel's own token) and attached (``upload-dok-rw``, 873 SKP, 890
periodic). Off, or no PDF yet (404), the record goes without it and ``document`` is ``pending``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from kinerja_shared.db import utcnow
from kinerja_shared.jobs import PeriodicJob

from . import domain
from . import siasn_mapping as mapping
from . import siasn_store as store
from .siasn_client import Client, Reply, TokenError, fetch_document, saved_id

log = logging.getLogger(__name__)

NEEDS_DATA, PENDING, SENT, REFUSED, FAILED, REOPENED = "needs_data", "pending", "sent", "refused", "failed", "reopened"
STATUSES = (NEEDS_DATA, PENDING, SENT, REFUSED, FAILED, REOPENED)
RESENDABLE = (REFUSED, FAILED, NEEDS_DATA, SENT)
DOC_PENDING, DOC_UPLOADED = "pending", "uploaded"
HISTORY = {
    mapping.SKP: "/pns/rw-skp22/{nip}",
    mapping.PERIODIC: "/pns/rw-kinerjaperiodik/{nip}",
    mapping.CREDIT: "/pns/rw-angkakredit/{nip}",
}
SAME_RECORD = {  # the fields that make a record in an employee's SIASN history the one this row owes
    mapping.SKP: ("tahun",),
    mapping.PERIODIC: ("tahun", "periodikId", "bulanMulaiPenilaian", "bulanSelesaiPenilaian"),
    mapping.CREDIT: ("tahunMulaiPenailan", "bulanMulaiPenailan", "tahunSelesaiPenailan", "bulanSelesaiPenailan"),
}


# -- building a record from the evaluation and the directory ---------------------------------


def person(conn, nip: str | None) -> mapping.Person | None:
    if not nip:
        return None
    row = store.contact(conn, nip)
    if row is None:
        return None
    return mapping.Person(
        nip=row.nip,
        name=row.name,
        position=row.position,
        unit_name=row.unit_name,
        siasn_pns_id=row.siasn_pns_id,
        rank_code=row.rank_code,
        functional_level=row.functional_level,
    )


def build(conn, kind: str, evaluation: dict) -> tuple[dict | None, list[str]]:
    return mapping.build(kind, evaluation, person(conn, evaluation["nip"]), person(conn, evaluation.get("rater_nip")))


def body_of(conn, row) -> tuple[dict | None, list[str]]:
    """Exactly what would be sent for a record now (with SIASN's id when it is an update)."""
    record, missing = build(conn, row.kind, row.evaluation)
    return (mapping.with_identity(record, row.siasn_id) if record is not None else None), missing


# -- the consumer's side (in its transaction) ------------------------------------------------


def on_evaluation_closed(conn, event) -> None:
    d = event.data
    now = utcnow()
    for kind in mapping.kinds_for(d):
        known = store.record_of(conn, d["evaluation_id"], kind)
        if known is not None and (
            known.revision > d["revision"] or (known.revision == d["revision"] and known.status != REOPENED)
        ):
            continue  # an older revision, or this one again
        record, missing = build(conn, kind, d)
        values = dict(
            nip=d["nip"],
            rater_nip=d.get("rater_nip"),
            unit_id=d["unit_id"],
            year=mapping.year_of(d),
            period_id=d["period"]["id"],
            revision=d["revision"],
            evaluation=dict(d),
            status=PENDING if record is not None else NEEDS_DATA,
            missing=missing,
            attempts=0,
            next_attempt_at=now,
            last_status_code=None,
            last_error=None,
            updated_at=now,
        )
        if known is None:
            store.insert(conn, dict(evaluation_id=d["evaluation_id"], kind=kind, created_at=now, **values))
        else:
            store.change(conn, known.id, values)


def on_evaluation_reopened(conn, event) -> None:
    """The records of a reopened evaluation wait for its next close (SIASN keeps the last one sent)."""
    d = event.data
    store.reopen(conn, d["evaluation_id"], d["revision"], utcnow(), REOPENED)


def on_directory_changed(conn, nip: str) -> int:
    """Records waiting for the directory about ``nip`` (as employee or rater) are built again; those
    complete now become due. Returns how many became due."""
    due = 0
    for row in store.waiting_for(conn, nip, NEEDS_DATA):
        record, missing = build(conn, row.kind, row.evaluation)
        values = dict(missing=missing, updated_at=utcnow())
        if record is not None:
            values.update(status=PENDING, attempts=0, next_attempt_at=utcnow())
            due += 1
        store.change(conn, row.id, values)
    return due


def resend(conn, row, now=None) -> str:
    """An admin's resend: built again from the directory now; due at once, or ``needs_data``."""
    record, missing = build(conn, row.kind, row.evaluation)
    status = PENDING if record is not None else NEEDS_DATA
    now = now or utcnow()
    store.change(conn, row.id, dict(status=status, missing=missing, attempts=0, next_attempt_at=now, updated_at=now))
    return status


# -- the worker's side -----------------------------------------------------------------------


def _lease(cfg) -> timedelta:
    """How long a claimed attempt keeps others off: every call it may make (tokens, history, save, document)."""
    return timedelta(seconds=cfg.siasn.timeout_seconds * 6 + 5)


def _claim(engine, cfg, now):
    """Claim one due record for an attempt and commit the claim (attempts + 1, a lease) before calling SIASN."""
    with engine.begin() as conn:
        row = store.claim_due(conn, now, PENDING)
        if row is None:
            return None, None
        record, missing = build(conn, row.kind, row.evaluation)
        if record is None:  # the directory changed since: wait for it again
            store.change(conn, row.id, dict(status=NEEDS_DATA, missing=missing, updated_at=now))
            return row, None
        lease = now + _lease(cfg)
        store.change(conn, row.id, dict(attempts=row.attempts + 1, next_attempt_at=lease))
        return SimpleNamespace(**{**row._mapping, "attempts": row.attempts + 1, "next_attempt_at": lease}), record


def _find_in_history(client: Client, row, record: dict) -> str | None:
    """SIASN's id of this record if an earlier attempt stored it (the answer was lost)."""
    reply = client.get(HISTORY[row.kind].format(nip=row.nip))
    if not reply.ok:
        raise _Retry(reply)
    items = (reply.body or {}).get("data") or []
    keys = SAME_RECORD[row.kind]
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id") and all(str(item.get(k)) == str(record[k]) for k in keys):
            return str(item["id"])
    return None


class _Retry(Exception):
    def __init__(self, reply: Reply):
        super().__init__(reply.message)
        self.reply = reply


def _document(cfg, client: Client, row, siasn_id: str) -> str | None:
    ref = mapping.DOCUMENT_REFS.get(row.kind)
    if ref is None:
        return None
    if not cfg.siasn.documents:
        return DOC_PENDING
    pdf = fetch_document(cfg.siasn, row.evaluation_id)
    if pdf is None:
        return DOC_PENDING
    reply = client.attach_document(siasn_id, ref, pdf, f"{row.kind}-{row.evaluation_id}.pdf")
    if not reply.ok:
        log.warning("siasn document upload failed", extra={"record_id": row.id, "status": reply.status})
        return DOC_PENDING
    return DOC_UPLOADED


def attempt(engine, cfg, client: Client, clock=utcnow) -> bool:
    """One due record: claim, send (update when SIASN's id is known), record the outcome. False: none due."""
    row, record = _claim(engine, cfg, clock())
    if row is None:
        return False
    if record is None:
        return True
    siasn_id, document = row.siasn_id, None
    try:
        if siasn_id is None and row.attempts > 1:
            siasn_id = _find_in_history(client, row, record)
        reply = client.save(mapping.PATHS[row.kind], mapping.with_identity(record, siasn_id))
        if reply.ok:
            siasn_id = saved_id(reply) or siasn_id
            document = _document(cfg, client, row, siasn_id) if siasn_id else None
    except TokenError as exc:
        reply = Reply(None, None, str(exc)) if exc.retryable else Reply(400, {"message": str(exc)})
    except _Retry as exc:
        reply = exc.reply
    _record_outcome(engine, cfg, row, reply, siasn_id, document, clock())
    return True


def _record_outcome(engine, cfg, row, reply: Reply, siasn_id: str | None, document: str | None, now) -> None:
    with engine.begin() as conn:
        if siasn_id and siasn_id != row.siasn_id:  # SIASN's id is kept whatever happened to the row meanwhile
            store.change(conn, row.id, dict(siasn_id=siasn_id))
        if reply.ok:
            values = dict(status=SENT, sent_revision=row.revision, sent_at=now, last_error=None, document=document)
            outcome = "sent"
        elif reply.retryable:
            gave_up = row.attempts >= cfg.siasn.max_attempts
            delay = domain.backoff_seconds(row.attempts, cfg.siasn.backoff_seconds, cfg.siasn.backoff_max_seconds)
            values = dict(
                status=FAILED if gave_up else PENDING,
                next_attempt_at=now + timedelta(seconds=delay),
                last_error=reply.message,
            )
            outcome = "failed" if gave_up else "retry"
        else:
            values = dict(status=REFUSED, last_error=reply.message)
            outcome = "refused"
        changed = store.finish_attempt(
            conn, row, PENDING, dict(last_status_code=reply.status, updated_at=now, **values)
        )
    log.log(
        logging.INFO if reply.ok else logging.WARNING,
        "siasn record " + outcome,
        extra={
            "record_id": row.id,
            "kind": row.kind,
            "evaluation_id": row.evaluation_id,
            "attempt": row.attempts,
            "status": reply.status,
            "siasn_id": siasn_id,
            "superseded": not changed,
        },
    )


def deliver_due(engine, cfg, client: Client, limit: int = 50, *, clock=utcnow) -> int:
    """Attempt up to ``limit`` due records; how many were taken. Nothing without SIASN_BASE_URL."""
    if not cfg.siasn.sending:
        return 0
    done = 0
    for _ in range(limit):
        if not attempt(engine, cfg, client, clock):
            break
        done += 1
    return done


_CLIENTS: dict[int, tuple[object, Client]] = {}  # per worker's config: one client (its tokens) for every round


def run_round(rt) -> int:
    """One round of the worker's SIASN job, on the runtime's clock; nothing without SIASN_BASE_URL."""
    cfg = rt.config
    if not cfg.siasn.sending:
        return 0
    known = _CLIENTS.get(id(cfg))
    if known is None or known[0] is not cfg:
        known = _CLIENTS[id(cfg)] = (cfg, Client(cfg.siasn))
    return deliver_due(rt.engine, cfg, known[1], clock=rt.clock.now)


JOB = PeriodicJob("siasn-sender", run_round, interval=lambda rt: rt.config.siasn.poll_seconds)
