"""The commands and queries of notification-service, one function each, called by the routes (``*_api.py``),
the CLI and the tests with a unit of work (``kinerja_shared.uow``):

- ``inbox``: the caller's notifications (list, unread count, read one, mark read, mark all read, the
  live stream's rounds);
- ``preferences``: the caller's channels per category, quiet hours and language;
- ``webhooks``: subscriptions (register, list, read, change/rotate the secret, delete, enable, disable,
  replay), their delivery log, the re-encryption of stored secrets;
- ``siasn``: the records owed to BKN's SIASN (list, read, resend, reconciliation report, export).

What events cause (notifications, digests, webhook deliveries, SIASN records) is written by
``handlers.py`` through ``inbox``, ``webhooks`` and ``siasn``; the background jobs are in ``mailer``,
``webhooks``, ``reminders`` and ``siasn`` (``JOB``).
"""
