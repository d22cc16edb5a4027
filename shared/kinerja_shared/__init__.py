"""kinerja_shared: the plumbing every Kinerja service shares.

Events (CloudEvents envelope, catalog, JSON Schemas), the transactional outbox and
its relay, the idempotent consumer runner with retries and a dead-letter queue,
JWT auth, Flask helpers (problem+json, Idempotency-Key, correlation ids, health and
metrics), settings from the environment and JSON logs. Written once, used by all four
services the same way.
"""
