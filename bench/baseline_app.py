"""The bare baseline of the benchmark: Flask + SQLAlchemy ORM + marshmallow, one-row insert.

``POST /api/v1/activities`` takes the same JSON body as activity-service's endpoint,
validates it with a marshmallow schema, inserts one row through an ORM ``Session`` and
returns the row (201). No token check, no idempotency, no outbox, no audit: what is left is
the cost of the framework path every Python service pays. bench/run.py serves it with
gunicorn under the services' shared settings (kinerja_shared.gunicorn_config, 2 sync workers)
on a database of its own:

    BASELINE_DATABASE_URL=postgresql+psycopg://... python bench/baseline_app.py init
    BASELINE_DATABASE_URL=... gunicorn -c bench/baseline_gunicorn.conf.py --chdir bench baseline_app:app
"""

from __future__ import annotations

import os
import sys
import uuid
from datetime import UTC, date, datetime

import marshmallow as ma
from flask import Flask, jsonify, request
from marshmallow import validate as v
from sqlalchemy import JSON, Date, DateTime, Float, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

HHMM = v.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
NIP = "199001012015031001"


class Base(DeclarativeBase):
    pass


class Activity(Base):
    __tablename__ = "activities"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), index=True)
    date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    indicator_id: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[float] = mapped_column(Float)
    quantity_unit: Mapped[str | None] = mapped_column(String(50), nullable=True)
    evidence: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceIn(ma.Schema):
    url = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    name = ma.fields.String(load_default=None, allow_none=True)


class ActivityIn(ma.Schema):
    id = ma.fields.UUID(load_default=None)
    date = ma.fields.Date(required=True)
    start_time = ma.fields.String(required=True, validate=HHMM)
    end_time = ma.fields.String(required=True, validate=HHMM)
    indicator_id = ma.fields.String(required=True, validate=v.Length(min=1, max=64))
    description = ma.fields.String(required=True, validate=v.Length(min=1, max=4000))
    quantity = ma.fields.Float(required=True, validate=v.Range(min=0))
    quantity_unit = ma.fields.String(load_default=None, allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceIn), load_default=list)


class ActivityOut(ma.Schema):
    id = ma.fields.String()
    nip = ma.fields.String()
    date = ma.fields.Date()
    start_time = ma.fields.String()
    end_time = ma.fields.String()
    indicator_id = ma.fields.String()
    description = ma.fields.String()
    quantity = ma.fields.Float()
    quantity_unit = ma.fields.String(allow_none=True)
    evidence = ma.fields.List(ma.fields.Dict())
    created_at = ma.fields.DateTime()


def _engine():
    # The very engine factory (pool size, overflow, recycle, no pre-ping) the services use: a fair baseline.
    from kinerja_shared.db import make_engine

    return make_engine(os.environ["BASELINE_DATABASE_URL"])


def create_app() -> Flask:
    app = Flask(__name__)
    engine = _engine()
    sessions = sessionmaker(engine, expire_on_commit=False)
    schema_in, schema_out = ActivityIn(), ActivityOut()

    @app.post("/api/v1/activities")
    def log_activity():
        try:
            body = schema_in.load(request.get_json(force=True))
        except ma.ValidationError as exc:
            return jsonify(errors=exc.messages), 422
        row = Activity(id=str(body.pop("id") or uuid.uuid4()), nip=NIP, created_at=datetime.now(UTC), **body)
        with sessions() as session:
            session.add(row)
            session.commit()
        return jsonify(schema_out.dump(row)), 201

    @app.get("/readyz")
    def ready():
        return {"status": "ok"}

    return app


def init_schema() -> None:
    Base.metadata.create_all(_engine())


if __name__ == "__main__" and sys.argv[1:] == ["init"]:
    init_schema()
elif __name__ != "__main__":
    app = create_app()
