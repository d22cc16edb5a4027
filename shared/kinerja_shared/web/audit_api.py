"""GET /api/v1/audit: the audit trail of this service, read-only, for admins (and the actor)."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from sqlalchemy import select

from ..db import AUDIT_LOG
from .pagination import PageArgs, encode_cursor, int_cursor
from .problems import Forbidden


class AuditQuery(PageArgs):
    entity_type = ma.fields.String(metadata={"description": "e.g. plan, activity, evaluation"})
    entity_id = ma.fields.String()
    actor = ma.fields.String(metadata={"description": "NIP of who made the change"})


class AuditEntry(ma.Schema):
    id = ma.fields.Integer()
    occurred_at = ma.fields.DateTime()
    actor = ma.fields.String()
    actor_roles = ma.fields.String()
    action = ma.fields.String()
    entity_type = ma.fields.String()
    entity_id = ma.fields.String()
    before = ma.fields.Raw(allow_none=True)
    after = ma.fields.Raw(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    correlation_id = ma.fields.String(allow_none=True)


class AuditPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AuditEntry))
    next_cursor = ma.fields.String(allow_none=True)


def make_audit_blueprint() -> Blueprint:
    blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="The audit trail (read-only).")

    @blp.route("")
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditPage)
    @blp.alt_response(401, description="No or bad token")
    @blp.alt_response(403, description="Not an admin")
    def list_audit(args):
        """List audit entries, newest first. Admins see all; others only their own actions."""
        from .app_factory import current_principal, runtime

        principal = current_principal()
        query = select(AUDIT_LOG).order_by(AUDIT_LOG.c.id.desc()).limit(args["limit"] + 1)
        if not principal.is_admin:
            if args.get("actor") not in (None, principal.sub):
                raise Forbidden("Only an admin may read other people's audit entries.")
            query = query.where(AUDIT_LOG.c.actor == principal.sub)
        for name in ("entity_type", "entity_id", "actor"):
            if args.get(name):
                query = query.where(AUDIT_LOG.c[name] == args[name])
        if args.get("cursor"):
            query = query.where(AUDIT_LOG.c.id < int_cursor(args["cursor"]))
        with runtime().engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        more = len(rows) > args["limit"]
        rows = rows[: args["limit"]]
        return {"items": rows, "next_cursor": encode_cursor(rows[-1]["id"]) if more and rows else None}

    return blp
