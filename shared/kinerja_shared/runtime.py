"""The runtime context: what a use case, an event handler or a job is given, explicitly.

One ``Runtime`` per process, built by the composition root (the app factory for the web process,
the worker for relay/consumers/jobs, ``kinerja_shared.testing.memory`` for use-case tests):
the settings, the service's own config (``ServiceSpec.config``), the engine, the token verifier
(web only), and the clock. ``runtime.unit_of_work()`` opens the one transaction a command runs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from .clock import Clock, SystemClock
from .config import Settings
from .service import ServiceSpec
from .uow import UnitOfWork


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: Settings
    engine: Engine
    verifier: object = None  # kinerja_shared.auth.TokenVerifier in the web process; None in a worker's job
    config: object = None  # the service's own settings (ServiceSpec.config)
    clock: Clock = field(default=None)  # type: ignore[assignment]

    def __post_init__(self):
        if self.clock is None:
            self.clock = SystemClock(self.settings.timezone)

    def unit_of_work(self, *, single_statement: bool = False) -> UnitOfWork:
        """A new unit of work on this runtime's engine and clock (enter it with ``with``)."""
        return UnitOfWork(
            self.engine,
            clock=self.clock,
            validate_events=self.settings.validate_events,
            single_statement=single_statement,
        )

    def today(self):
        return self.clock.today()
