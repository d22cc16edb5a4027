"""The standalone benchmarks' PostgreSQL (bench/evaluation_unit.py, bench/units_growth.py): the server of
DATABASE_URL, or one started here in a temp folder, and a fresh database of its own per run."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text

from kinerja_shared.config import Settings
from kinerja_shared.testing.servers import start_local_postgres


def postgres():
    """(the admin URL, the PostgreSQL started here to stop at the end, or None when DATABASE_URL names one)."""
    pg = None
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        pg = start_local_postgres()
        admin_url = pg.url
    return Settings.from_env("bench", {"DATABASE_URL": admin_url}).database_url, pg


def new_database(admin_url: str, prefix: str) -> str:
    """Create ``<prefix>_<random>`` on the server of ``admin_url``; its URL."""
    db = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    return admin_url.rsplit("/", 1)[0] + "/" + db
