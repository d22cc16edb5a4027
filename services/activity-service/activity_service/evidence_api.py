"""Evidence files (bukti dukung) of an entry: POST, GET and DELETE /api/v1/activities/<id>/evidence[/<file_id>]."""

from __future__ import annotations

from kinerja_shared import evidence
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import etag_for, if_match_documented

from . import use_cases
from .api import activities_blp, headers, if_match
from .config import current_config
from .schemas import EvidenceOut, EvidenceUpload


@activities_blp.route("/<activity_id>/evidence", methods=["POST"])
@activities_blp.arguments(EvidenceUpload, location="files")
@activities_blp.response(201, EvidenceOut)
@_errors(
    activities_blp,
    (404, "No such activity"),
    (409, "Verified or withdrawn (locked)"),
    (413, "File too large"),
    (415, "Not an accepted type (checked by content)"),
    (422, "No file, a file name with a path in it, or too many evidence items"),
)
def upload_evidence(files, activity_id):
    """Attach an evidence file (bukti dukung) to your own unverified entry; publishes ActivityUpdated.

    Multipart form field ``file``. The size and the type (declared and recognised by content)
    are checked, the SHA-256 is recorded, and the file is stored under a generated name; it
    is served back only to those who may see the entry.
    """
    principal, cfg, rt = current_principal(), current_config(), runtime()
    upload = files["file"]
    name = use_cases.file_name(upload.filename)
    with rt.engine.connect() as conn:  # fail fast, before reading the file
        use_cases.may_attach(conn, principal, activity_id, today=rt.today())
    with use_cases.kept_file(upload, cfg) as kept, unit_of_work() as uow:
        item, updated = use_cases.attach_evidence(
            uow, principal, activity_id, name, kept, if_match=if_match(activity_id)
        )
    out = dict(item, download=f"/api/v1/activities/{activity_id}/evidence/{kept.file_id}")
    return out, 201, {"ETag": etag_for(activity_id, updated.version), "Location": out["download"]}


@activities_blp.route("/<activity_id>/evidence/<file_id>")
@activities_blp.response(
    200,
    description="The file, as an attachment, with its recorded SHA-256 in the X-Evidence-SHA256 header",
    content_type="application/octet-stream",
)
@_errors(activities_blp, (404, "No such activity or file (or not visible to the caller)"))
def download_evidence(activity_id, file_id):
    """Download an evidence file of an entry the caller may see."""
    rt = runtime()
    with rt.engine.connect() as conn:
        file_row = use_cases.evidence_file(conn, current_principal(), activity_id, file_id, today=rt.today())
    return evidence.serve(
        current_config().evidence_dir, file_row, f"activity {activity_id} has no evidence file {file_id}"
    )


@activities_blp.route("/<activity_id>/evidence/<file_id>", methods=["DELETE"])
@activities_blp.response(204)
@_errors(activities_blp, (404, "No such activity or file"), (409, "Verified or withdrawn (locked)"))
@if_match_documented(activities_blp)
def remove_evidence(activity_id, file_id):
    """Remove an evidence file from your own unverified entry; publishes ActivityUpdated."""
    with unit_of_work() as uow:
        file_row, updated = use_cases.remove_evidence(
            uow, current_principal(), activity_id, file_id, if_match=if_match(activity_id, required=True)
        )
    evidence.remove_stored(current_config().evidence_dir, file_row.stored_name)
    return "", 204, headers(updated)
