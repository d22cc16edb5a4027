"""The ``worker`` process of a service: the outbox relay plus the Kafka consumers.

It creates its topics, relays its outbox in a thread, consumes the topics it subscribes
to in the main thread, runs the service's background jobs, and stops gracefully on
SIGTERM/SIGINT: the current record finishes, offsets of what took effect are committed.
"""

from __future__ import annotations

import logging
import signal
import threading

from .config import Settings
from .consumer import EventConsumer
from .db import make_engine
from .jobs import PeriodicJob
from .kafka_io import ensure_topics, make_consumer, make_producer, topics_for
from .logs import configure_logging
from .relay import PRODUCER_SETTINGS, OutboxRelay
from .runtime import Runtime
from .service import ServiceSpec

log = logging.getLogger(__name__)


def run_worker(spec: ServiceSpec, settings: Settings | None = None, stop: threading.Event | None = None) -> None:
    settings = settings or Settings.from_env(spec.name)
    configure_logging(spec.name, settings.log_level)
    service_config = spec.load_config(settings)  # a bad service setting stops the worker here, named
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    engine = make_engine(settings.database_url)
    ensure_topics(settings, topics_for(settings, spec.consumer_group if spec.handlers else None, spec.consumes))

    threads = []
    relay = OutboxRelay(settings, engine, lambda: make_producer(settings, **PRODUCER_SETTINGS))
    threads.append(threading.Thread(target=relay.run, args=(stop,), name="outbox-relay", daemon=True))
    rt = Runtime(spec=spec, settings=settings, engine=engine, config=service_config)
    for job in spec.background:
        target, args = (job.run, (rt, stop)) if isinstance(job, PeriodicJob) else (job, (settings, engine, stop))
        threads.append(threading.Thread(target=target, args=args, name=getattr(job, "__name__", "job"), daemon=True))
    for thread in threads:
        thread.start()
    log.info("worker started", extra={"consumes": spec.consumes, "handles": sorted(spec.handlers)})
    try:
        if spec.handlers:
            EventConsumer(
                settings,
                engine,
                group_id=settings.group(spec.consumer_group),
                name=spec.consumer_group,
                service_config=service_config,
                topics=[settings.topic(t) for t in spec.consumes],
                handlers=spec.handlers,
                consumer_factory=lambda group, topics: make_consumer(settings, group, topics),
                producer_factory=lambda: make_producer(settings),
            ).run(stop)
        else:
            stop.wait()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        engine.dispose()
        log.info("worker stopped")
