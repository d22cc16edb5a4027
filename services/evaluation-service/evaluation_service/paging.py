"""Keyset pages, newest first: the clause that keeps the rows after a page's last (time, id)."""

from __future__ import annotations

from sqlalchemy import or_


def after(stamp, key, last: tuple):
    """Rows older than ``last`` = (time, id) by (``stamp``, ``key``) descending: the next page's rows."""
    when, last_id = last
    return or_(stamp < when, (stamp == when) & (key < last_id))
