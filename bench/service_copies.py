"""Copies of activity-service's database, each served by a web of its own (section growth, activity_growth.py).

A copy is made with ``CREATE DATABASE ... TEMPLATE``: the read models, plans, entries and the planner's statistics
(or their absence) exactly as they are. Its web is started with the service's own command, environment and gunicorn
settings, pointed at the copy, and registered with the bench under a name of its own (``bench.system.urls``,
``db_urls``, ``engines``, ``processes``; ``bench.webs`` for the CPU and access-log accounting of wrk runs), so
``bench.pool_run``, ``bench.batch_runs`` and ``bench.count`` take that name as they take ``"activity-service"``.
No worker runs for a copy: activity-service's own worker is paused during the HTTP sections too.
"""

from __future__ import annotations

SERVICE = "activity-service"


def _admin_execute(bench, statement: str, **params) -> None:
    """One statement on the server's admin database, outside a transaction (CREATE/DROP DATABASE need that)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(bench.infra.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement), params)
    finally:
        admin.dispose()


def _url(bench, database: str) -> str:
    return bench.system.db_urls[SERVICE].rsplit("/", 1)[0] + "/" + database


def service_database(bench) -> str:
    return bench.system.db_urls[SERVICE].rsplit("/", 1)[1]


def copy_service_database(bench, suffixes: list[str]) -> list[str]:
    """Copies ``<db>_<suffix>`` of activity-service's database; their names. The service's web stops while they
    are made (a database is copied only while nobody is connected to it) and is ready again on return."""
    system = bench.system
    source = service_database(bench)
    web = system.processes[f"{SERVICE}.web"]
    web.stop()
    system.engines[SERVICE].dispose()
    try:
        _admin_execute(bench, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db", db=source)
        copies = [copy_database(bench, source, f"{source}_{suffix}") for suffix in suffixes]
    finally:
        web.start()
    system.wait_ready()
    return copies


def copy_database(bench, template: str, copy: str) -> str:
    """``CREATE DATABASE copy TEMPLATE template`` (nobody may be connected to the template); ``copy``."""
    _admin_execute(bench, f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    bench.infra.databases.append(copy)
    return copy


def serve(bench, name: str, database: str, pool_size: int = 2) -> str:
    """Start a web of activity-service on ``database`` under ``name`` and wait until it is ready; its URL."""
    from kinerja_shared.db import make_engine
    from kinerja_shared.processes import ManagedProcess, service_command, wait_ready
    from kinerja_shared.testing.servers import free_port

    system = bench.system
    url = _url(bench, database)
    port = free_port()
    argv = service_command(system.bin_dir, SERVICE, "web", "--bind", f"127.0.0.1:{port}")
    env = {**system.envs[SERVICE], "DATABASE_URL": url}
    web = ManagedProcess(f"{name}.web", argv, env, system.log_dir / f"{name.replace('@', '-')}.web.log")
    system.processes[web.name] = web.start()
    system.urls[name] = f"http://127.0.0.1:{port}"
    system.db_urls[name] = url
    system.engines[name] = make_engine(url, pool_size=pool_size)
    bench.webs[system.urls[name]] = web
    try:
        wait_ready(system.urls[name], timeout=120)
    except TimeoutError:
        raise RuntimeError(f"{name} did not become ready:\n{system.tail(name)}") from None
    return system.urls[name]


def retire(bench, name: str, drop: bool = True) -> None:
    """Stop the web serving ``name`` and forget it; with ``drop``, drop its database too."""
    system = bench.system
    system.processes.pop(f"{name}.web").stop()
    system.engines.pop(name).dispose()
    bench.webs.pop(system.urls.pop(name), None)
    database = system.db_urls.pop(name).rsplit("/", 1)[1]
    if drop:
        _admin_execute(bench, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        bench.infra.databases.remove(database)
