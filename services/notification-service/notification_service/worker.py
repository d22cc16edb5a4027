"""The worker process: ``notification-service worker``.

Outbox relay (NotificationDelivered), the consumers of the plan, activity and evaluation
topics (handlers.py), and three background jobs: the e-mail sender (mailer.py), the webhook
dispatcher (webhooks.py) and the reminder scheduler (reminders.py).
"""
from kinerja_shared.worker import run_worker

from .service import SPEC


def main():
    run_worker(SPEC)
