"""The worker process: ``plan-service worker`` (outbox relay; plan-service consumes no events yet)."""

from kinerja_shared.worker import run_worker

from .service import SPEC


def main():
    run_worker(SPEC)
