"""activity-service's use cases: one function per command and query, called by the routes (``*_api.py``),
the event handlers and the tests alike.

A command takes the unit of work its caller opened (``uow``: the transaction, ``uow.audit``, ``uow.publish``,
the clock), the caller (``actor``, a Principal) and plain values, and returns plain data (rows, dicts); a
query takes a connection. Refusals are ``kinerja_shared.errors`` (access checks: ``access.py``); the SQL is in
the stores and queries (``store.py``, ``*_store.py``, ``*_queries.py``).
"""

from .changes import edit_activity, withdraw_activity
from .evidence import attach_evidence, evidence_file, file_name, kept_file, may_attach, remove_evidence
from .log_entries import Logged, check_entries, check_entry, log_activity, log_batch
from .read_models import record_employee, record_plan
from .reading import Page, get_activity, list_activities, list_indicators
from .repairs import annul_activity, correct_activity
from .summaries import daily_summary, monthly_summary
from .verification import verify_activity, verify_bulk

__all__ = [
    "Logged",
    "Page",
    "annul_activity",
    "attach_evidence",
    "check_entries",
    "check_entry",
    "correct_activity",
    "daily_summary",
    "edit_activity",
    "evidence_file",
    "file_name",
    "get_activity",
    "kept_file",
    "list_activities",
    "list_indicators",
    "log_activity",
    "log_batch",
    "may_attach",
    "monthly_summary",
    "record_employee",
    "record_plan",
    "remove_evidence",
    "verify_activity",
    "verify_bulk",
    "withdraw_activity",
]
