"""The worker process: ``notification-service worker``.

Outbox relay (NotificationDelivered), the consumers of the plan, activity and evaluation
topics (handlers.py), and four background jobs (``kinerja_shared.jobs.PeriodicJob``, on the runtime's
clock): the e-mail sender (mailer.py), the webhook dispatcher (webhooks.py), the reminder scheduler
(reminders.py) and the SIASN sender (siasn.py).
"""

from kinerja_shared.worker import run_worker

from .service import SPEC


def main():
    run_worker(SPEC)
