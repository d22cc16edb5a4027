"""A tiny probe service for the library's own tests: one POST that changes state and
publishes FeedbackGiven, and a handler for FeedbackGiven that records its effect."""

import marshmallow as ma
import pytest
from flask_smorest import Blueprint
from sqlalchemy import Column, Integer, String, Table, func, select

from kinerja_shared import audit
from kinerja_shared.db import new_metadata
from kinerja_shared.events import make_event
from kinerja_shared.outbox import publish
from kinerja_shared.service import ServiceSpec
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.problems import Conflict, NotFound

metadata = new_metadata()
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("nip", String(18), nullable=False),
    Column("text", String(200), nullable=False),
)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("text", String(200), nullable=False),
)


class NoteIn(ma.Schema):
    nip = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9]{18}$", error="must be 18 digits"))
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class NoteOut(ma.Schema):
    id = ma.fields.Integer()
    nip = ma.fields.String()
    text = ma.fields.String()
    event_id = ma.fields.String()


blp = Blueprint("notes", __name__, url_prefix="/api/v1/notes")


@blp.route("", methods=["POST"])
@blp.arguments(NoteIn)
@blp.response(201, NoteOut)
def create_note(body):
    """Store a note and publish FeedbackGiven about it, in one transaction."""
    if body["text"] == "conflict":
        raise Conflict("this note conflicts", current_status="closed")
    if body["text"] == "boom":
        raise RuntimeError("a bug with a secret stack trace")
    with runtime().engine.begin() as conn:
        note_id = conn.execute(notes.insert().values(**body)).inserted_primary_key[0]
        event = make_event(
            "FeedbackGiven",
            source_service="evaluation-service",
            subject=str(note_id),
            partitionkey=body["nip"],
            data={"feedback_id": str(note_id), "nip": body["nip"], "rater_nip": None, "text": body["text"]},
        )
        publish(conn, event)
        audit.record(
            conn,
            actor=current_principal(),
            action="note.created",
            entity_type="note",
            entity_id=str(note_id),
            after=body,
        )
    return {"id": note_id, **body, "event_id": event["id"]}, 201


@blp.route("/<note_id>", methods=["GET"])
@blp.response(200, NoteOut)
def get_note(note_id):
    """One note (a route with a path parameter, for the input guard's tests)."""
    row = None
    if note_id.isdigit() and len(note_id) < 10:
        with runtime().engine.connect() as conn:
            row = conn.execute(select(notes).where(notes.c.id == int(note_id))).first()
    if row is None:
        raise NotFound(f"no note {note_id}")
    return dict(row._mapping)


class ScoreOut(ma.Schema):
    score = ma.fields.Float()


@blp.route("/<note_id>/score", methods=["GET"])
@blp.response(200, ScoreOut)
def note_score(note_id):
    """A computed number, through a response schema (the strict-JSON tests ask for a non-finite one)."""
    return {"score": float(note_id)}


@blp.route("/<note_id>/score.raw", methods=["GET"])
def note_score_raw(note_id):
    """The same number as a plain dict (Flask's own JSON response)."""
    return {"score": float(note_id)}


@blp.route("/<note_id>/score.problem", methods=["GET"])
def note_score_problem(note_id):
    """The same number inside a problem's extension members."""
    raise Conflict("the score conflicts", score=float(note_id))


REFUSED_TEXTS: set[str] = set()
SEVERING_TEXTS: set[str] = set()  # texts whose first handling loses the database connection (an outage)


def on_feedback(conn, event):
    if event.data["text"] in REFUSED_TEXTS:
        raise ValueError(f"this handler refuses {event.data['text']!r}")
    if event.data["text"] in SEVERING_TEXTS:
        SEVERING_TEXTS.discard(event.data["text"])
        conn.exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")  # the server drops this session
    conn.execute(effects.insert().values(event_id=event.id, text=event.data["text"]))


def make_probe_spec():
    return ServiceSpec(
        name="evaluation-service",
        package="probe",
        title="Probe",
        description="Library test service",
        metadata=metadata,
        migrations_dir=None,
        blueprints=[blp],
        handlers={"FeedbackGiven": on_feedback},
        consumes=["kinerja.evaluation.events"],
    )


@pytest.fixture
def probe(service_factory):
    return service_factory(make_probe_spec())


def count_effects(harness, text=None):
    query = select(func.count()).select_from(effects)
    if text is not None:
        query = query.where(effects.c.text == text)
    with harness.engine.connect() as conn:
        return conn.execute(query).scalar()


@pytest.fixture
def refused_texts():
    """Texts the probe's handler refuses (a handler bug); cleared after the test."""
    yield REFUSED_TEXTS
    REFUSED_TEXTS.clear()


@pytest.fixture
def severing_texts():
    """Texts whose first handling kills the handler's database session (PostgreSQL); cleared after the test."""
    yield SEVERING_TEXTS
    SEVERING_TEXTS.clear()
