"""The benchmarks' PostgreSQL: its settings when a benchmark starts its own (every script of bench/), and for the
standalone ones (bench/evaluation_unit.py, bench/units_growth.py) the server of DATABASE_URL, or one started here
in a temp folder, and a fresh database of its own per run."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text

from kinerja_shared.config import Settings
from kinerja_shared.testing.servers import start_local_postgres


def shared_buffers() -> str:
    """A quarter of the machine's memory (at most 8 GB): PostgreSQL's documented starting point for a database
    server, instead of the 128 MB default, which a table of millions of rows outgrows many times over."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(128, min(8192, total // 4 // 2**20))}MB"


PG_SETTINGS = {"shared_buffers": shared_buffers()}  # what a PostgreSQL started by a benchmark runs with


def postgres():
    """(the admin URL, the PostgreSQL started here to stop at the end, or None when DATABASE_URL names one)."""
    pg = None
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        pg = start_local_postgres(PG_SETTINGS)
        admin_url = pg.url
    return Settings.from_env("bench", {"DATABASE_URL": admin_url}).database_url, pg


def new_database(admin_url: str, prefix: str) -> str:
    """Create ``<prefix>_<random>`` on the server of ``admin_url``; its URL."""
    db = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    return admin_url.rsplit("/", 1)[0] + "/" + db
