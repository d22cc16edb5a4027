"""Evidence files (bukti dukung) of an entry: attach one to your own unverified entry, read one back, remove one.

The file's size and type (declared and recognised by content) are checked while it is received, its SHA-256
recorded, and it is kept under a generated name (``kinerja_shared.evidence``); a failed change discards it.
"""

from __future__ import annotations

import dataclasses

from kinerja_shared import evidence
from kinerja_shared.errors import NotFound, field_error

from .. import access, domain, events, evidence_store, store
from .common import ENTITY, rules

# The kept upload (kinerja_shared.evidence.StoredFile): file_id, stored_name, name, content_type, size, sha256.
KeptFile = evidence.StoredFile


def file_name(name: str | None) -> str:
    """The upload's file name, checked (no path in it)."""
    with rules():
        return domain.check_file_name(name)


def may_attach(conn, actor, activity_id: str, *, today, what: str = "add evidence to"):
    """The caller may attach evidence to the entry now: their own, not verified nor withdrawn."""
    row, rel = access.visible_activity(conn, actor, activity_id, today=today)
    access.owner_only(rel, what)
    domain.next_status("edit", row.status)
    return row


def kept_file(upload, cfg, name: str = ""):
    """Receive ``upload`` (checked), keep it, and discard it again when the block fails (kinerja_shared.evidence)."""
    return evidence.kept_upload(upload, name, cfg.evidence_dir, cfg.evidence_max_bytes, cfg.evidence_types)


def attach_evidence(uow, actor, activity_id: str, name: str, file: KeptFile, *, if_match=lambda version: None):
    """Record a kept file as evidence of the caller's entry; publishes ActivityUpdated. The evidence item and
    the updated entry. ``if_match(version)`` checks an If-Match sent."""
    conn, now = uow.conn, uow.now()
    row, _ = access.visible_activity(conn, actor, activity_id, today=uow.today(), for_update=True)
    domain.next_status("edit", row.status)
    if_match(row.version)
    if len(row.evidence) >= domain.MAX_EVIDENCE_ITEMS:
        raise field_error("file", f"at most {domain.MAX_EVIDENCE_ITEMS} evidence items per activity")
    item = dataclasses.replace(file, name=name).item()
    evidence_store.add_file(
        conn,
        id=file.file_id,
        activity_id=activity_id,
        nip=row.nip,
        original_name=name,
        stored_name=file.stored_name,
        content_type=file.content_type,
        size=file.size,
        sha256=file.sha256,
        uploaded_by=actor.sub,
        uploaded_at=now,
    )
    updated = store.update_activity(
        conn, activity_id, dict(evidence=[*row.evidence, item], version=row.version + 1, updated_at=now)
    )
    uow.audit(actor=actor, action="activity.evidence_added", entity_type=ENTITY, entity_id=activity_id, after=item)
    uow.publish(events.activity_updated(updated._mapping))
    return item, updated


def _file(conn, activity_id: str, file_id: str):
    row = evidence_store.evidence_file(conn, activity_id, file_id)
    if row is None:
        raise NotFound(f"activity {activity_id} has no evidence file {file_id}")
    return row


def evidence_file(conn, actor, activity_id: str, file_id: str, *, today):
    """The record of an evidence file of an entry the caller may see (404 otherwise)."""
    access.visible_activity(conn, actor, activity_id, today=today)
    return _file(conn, activity_id, file_id)


def remove_evidence(uow, actor, activity_id: str, file_id: str, *, if_match):
    """Remove an evidence file from the caller's own unverified entry; publishes ActivityUpdated. The removed
    file's record (the caller deletes the stored file after the commit) and the updated entry."""
    conn, now = uow.conn, uow.now()
    row, rel = access.visible_activity(conn, actor, activity_id, today=uow.today(), for_update=True)
    access.owner_only(rel, "remove evidence from")
    domain.next_status("edit", row.status)
    if_match(row.version)
    file_row = _file(conn, activity_id, file_id)
    evidence_store.mark_removed(conn, file_id, now)
    remaining = [e for e in row.evidence if e.get("file_id") != file_id]
    updated = store.update_activity(
        conn, activity_id, dict(evidence=remaining, version=row.version + 1, updated_at=now)
    )
    uow.audit(
        actor=actor,
        action="activity.evidence_removed",
        entity_type=ENTITY,
        entity_id=activity_id,
        before={"file_id": file_id, "name": file_row.original_name, "sha256": file_row.sha256},
    )
    uow.publish(events.activity_updated(updated._mapping))
    return file_row, updated
