"""The use cases of evaluation-service: one function per command and query (docs/architecture.md)."""
