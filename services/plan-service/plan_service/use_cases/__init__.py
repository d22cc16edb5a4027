"""The use cases of plan-service: one function per command and query (docs/architecture.md)."""
