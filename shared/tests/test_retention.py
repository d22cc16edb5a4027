"""`<service> prune`: delivery housekeeping goes, records and pending work stay."""

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from kinerja_shared.cli import make_cli
from kinerja_shared.db import AUDIT_LOG, IDEMPOTENCY_KEYS, OUTBOX, PROCESSED_EVENTS, utcnow
from kinerja_shared.events import make_event
from kinerja_shared.retention import prune

from .conftest import make_probe_spec

NIP = "199001012015011003"


def _count(harness, table, *where):
    with harness.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _outbox_ids(harness):
    with harness.engine.connect() as conn:
        return list(conn.execute(select(OUTBOX.c.id).order_by(OUTBOX.c.id)).scalars())


def _age(harness, table, column, days, *where):
    with harness.engine.begin() as conn:
        conn.execute(update(table).where(*where).values({column: utcnow() - timedelta(days=days)}))


def test_prune_deletes_only_old_published_rows_and_keeps_pending_events_and_the_audit_trail(probe):
    for text in ("one", "two", "three"):
        response = probe.client.post(
            "/api/v1/notes",
            json={"nip": NIP, "text": text},
            headers={**probe.token(NIP), "Idempotency-Key": f"key-{text}"},
        )
        assert response.status_code == 201, response.get_json()
    ids = _outbox_ids(probe)
    # the first two were published ten days ago, the third is still waiting for the broker
    with probe.engine.begin() as conn:
        conn.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids[:2]))
            .values(status="published", published_at=utcnow() - timedelta(days=10))
        )
    _age(probe, IDEMPOTENCY_KEYS, "created_at", 10, IDEMPOTENCY_KEYS.c.idempotency_key == "key-one")
    probe.handle(
        make_event(
            "FeedbackGiven",
            source_service="evaluation-service",
            subject="1",
            partitionkey=NIP,
            data={"feedback_id": "1", "nip": NIP, "rater_nip": None, "text": "seen"},
        )
    )
    _age(probe, PROCESSED_EVENTS, "processed_at", 40)
    audit_before = _count(probe, AUDIT_LOG)

    result = prune(probe.engine, chunk=1)  # chunk=1: the loop, not one lucky statement

    assert (result.outbox, result.idempotency_keys, result.processed_events) == (2, 1, 0)
    assert _outbox_ids(probe) == [ids[2]]
    assert _count(probe, OUTBOX, OUTBOX.c.status == "pending") == 1
    assert _count(probe, IDEMPOTENCY_KEYS) == 2
    assert _count(probe, PROCESSED_EVENTS) == 1, "the inbox is kept unless --inbox-days is given"
    assert _count(probe, AUDIT_LOG) == audit_before == 3

    assert prune(probe.engine, inbox_days=30).processed_events == 1
    assert prune(probe.engine, inbox_days=30) == type(result)(0, 0, 0), "a second run finds nothing"


def test_prune_command_reports_counts_and_refuses_bad_values(probe, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", probe.settings.database_url)
    cli = make_cli(make_probe_spec(), "probe:app")
    ok = CliRunner().invoke(cli, ["prune", "--outbox-days", "0"])
    assert ok.exit_code == 0, ok.output
    assert '"outbox": 0' in ok.output and '"processed_events": 0' in ok.output
    bad = CliRunner().invoke(cli, ["prune", "--inbox-days", "0"])
    assert bad.exit_code == 2 and "--inbox-days" in bad.output
    help_text = " ".join(CliRunner().invoke(cli, ["prune", "--help"]).output.split())
    assert "Records and the audit trail are kept" in help_text
