"""The commands and queries of notification-service, one function each, called by the routes (``*_api.py``),
the event handlers, the jobs, the CLI and the tests with a unit of work (``kinerja_shared.uow``):

- ``inbox``: the caller's notifications (list, unread count, read one, mark read, mark all read, the
  live stream's rounds);
- ``preferences``: the caller's channels per category, quiet hours and language;
- ``webhooks``: subscriptions (register, list, read, change/rotate the secret, delete, enable, disable,
  replay), their delivery log, the re-encryption of stored secrets;
- ``siasn``: the records owed to BKN's SIASN (list, read, resend, reconciliation report, export);
- ``notifications``: what events and reminders cause for people (one item with its NotificationDelivered,
  a member counted into a digest, a reminder once a day), called by ``handlers.py`` and ``dialogues.py``
  in the consumer's transaction (``joined_unit_of_work``) and by the reminder job.

The event handlers also keep the read models (``read_models_store``), fan events out to webhooks
(``webhooks.fan_out``) and keep the SIASN records (``siasn``); the background jobs are each module's
``JOB`` in ``mailer``, ``webhooks``, ``reminders`` and ``siasn``.
"""
