"""Flask helpers: the app factory, problem+json errors, auth, Idempotency-Key, health, metrics."""
