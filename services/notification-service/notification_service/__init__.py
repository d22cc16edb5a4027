"""notification-service: per-user inbox, e-mail, reminders, and signed webhooks for other systems."""
