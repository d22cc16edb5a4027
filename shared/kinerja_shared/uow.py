"""The unit of work: one transaction that carries a change with its audit rows and its events.

Every command of every service runs in one::

    with runtime.unit_of_work() as uow:          # route, handler or job opens it
        use_cases.submit_plan(uow, actor, plan_id, version=...)

and a use case only ever writes through it:

- ``uow.conn`` — the transaction's connection, given to the service's *stores* (the SQL lives there);
- ``uow.audit(actor=..., action=..., entity_type=..., entity_id=..., before=..., after=..., reason=...)``
  — an audit row (``kinerja_shared.audit``);
- ``uow.publish(event, ...)`` — events for the outbox (``kinerja_shared.outbox``), validated against
  the catalog;
- ``uow.before_commit(fn)`` — ``fn(conn)`` runs last inside the transaction (the web layer stores the
  ``Idempotency-Key`` answer this way: ``kinerja_shared.web.idempotency.keep``);
- ``uow.now()`` / ``uow.today()`` — the runtime's clock.

``UnitOfWork(engine, single_statement=True)`` is for a command whose whole change is one statement
that writes the change with its audit row and its event (activity-service's logging POST, through
``take_pending()``): on PostgreSQL it runs without BEGIN and COMMIT (two round trips fewer), the
statement being its own transaction; its reads see what was committed before each of them began, as
in a READ COMMITTED transaction. Audit rows, events or hooks left pending at its end are an error
(nothing of them is written). Elsewhere (SQLite) it is an ordinary unit of work.

Leaving the ``with`` block normally writes the audit rows and outbox events (one statement each) and
commits; an exception rolls everything back. ``UnitOfWork.joining(conn)`` wraps a transaction someone
else owns (the consumer's, for event handlers): it flushes on exit and leaves commit to the owner.

``audited`` and ``published`` keep what was flushed, so a use-case test asserts on them directly
(``kinerja_shared.testing.memory`` gives a unit of work on an in-memory database and a manual clock).
Hot paths that write the change, its audit row, its event and the key in one statement (activity-
service's logging) take the rows with ``take_pending()`` and insert them themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection, Engine

from . import audit as audit_rows
from . import outbox
from .clock import Clock, SystemClock


class UnitOfWork:
    def __init__(
        self,
        engine: Engine | None,
        *,
        clock: Clock | None = None,
        validate_events: bool = True,
        connection: Connection | None = None,
        single_statement: bool = False,
    ):
        self.engine = engine
        self.single_statement = single_statement
        self.clock = clock or SystemClock()
        self.validate_events = validate_events
        self._joined = connection
        self.conn: Connection | None = None
        self._tx = None
        self._autocommit = None
        self._audit: list[dict] = []
        self._events: list[dict] = []
        self._hooks: list[Callable[[Connection], None]] = []
        self.audited: list[dict] = []
        self.published: list[dict] = []

    @classmethod
    def joining(cls, conn: Connection, *, clock: Clock | None = None, validate_events: bool = True) -> UnitOfWork:
        """A unit of work inside a transaction the caller owns (event handlers: the consumer's)."""
        return cls(None, clock=clock, validate_events=validate_events, connection=conn)

    # -- the transaction -----------------------------------------------------------------------

    def __enter__(self) -> UnitOfWork:
        if self._joined is not None:
            self.conn = self._joined
        elif self.single_statement and self.engine.dialect.name == "postgresql":
            self._autocommit = self.engine.connect()
            self.conn = self._autocommit.execution_options(isolation_level="AUTOCOMMIT")
        else:
            self._tx = self.engine.begin()
            self.conn = self._tx.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._autocommit is not None:
            conn, self._autocommit = self._autocommit, None
            pending = self._audit or self._events or self._hooks
            self._audit, self._events, self._hooks = [], [], []
            conn.close()
            if exc_type is None and pending:
                raise RuntimeError("a single-statement unit of work writes its audit rows and events itself")
            return False
        try:
            if exc_type is None:
                self.flush()
        except BaseException as failure:
            if self._tx is not None:
                self._tx.__exit__(type(failure), failure, failure.__traceback__)
                self._tx = None
            raise
        finally:
            self._audit, self._events, self._hooks = [], [], []
        if self._tx is not None:
            tx, self._tx = self._tx, None
            return tx.__exit__(exc_type, exc, tb)
        return False

    def flush(self) -> None:
        """Write the pending audit rows and events, then run the before-commit hooks."""
        entries, events, hooks = self.take_pending()
        audit_rows.record_many(self.conn, entries)
        outbox.publish(self.conn, *events, validate=self.validate_events)
        for hook in hooks:
            hook(self.conn)

    def take_pending(self) -> tuple[list[dict], list[dict], list[Callable]]:
        """Hand the pending audit rows, events and hooks to a caller that writes them itself (a fast path)."""
        entries, events, hooks = self._audit, self._events, self._hooks
        self._audit, self._events, self._hooks = [], [], []
        self.audited.extend(entries)
        self.published.extend(events)
        return entries, events, hooks

    # -- what a use case records -----------------------------------------------------------------

    def audit(self, **fields) -> dict:
        """Record an audit row (the fields of ``kinerja_shared.audit.entry``) in this transaction."""
        row = audit_rows.entry(**fields)
        row["occurred_at"] = self.clock.now()
        self._audit.append(row)
        return row

    def publish(self, *events: dict) -> None:
        """Add events for the outbox, written with the change (in the given order)."""
        self._events.extend(events)

    def before_commit(self, hook: Callable[[Connection], None]) -> None:
        self._hooks.append(hook)

    # -- time --------------------------------------------------------------------------------------

    def now(self):
        return self.clock.now()

    def today(self):
        return self.clock.today()
