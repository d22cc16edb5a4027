"""Fixtures of plan-service's tests: the service under test (PostgreSQL, in-process) with the org of plan_testkit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plan_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import Plans  # noqa: E402


@pytest.fixture
def plan_svc(service_factory):
    """The service on a fresh PostgreSQL database, with no org yet."""
    return Plans(service_factory(SPEC))


@pytest.fixture
def svc(plan_svc):
    """The service with the org of plan_testkit loaded."""
    plan_svc.load_org()
    return plan_svc
