"""Request/event context carried across a process: the correlation id and the actor."""

from __future__ import annotations

import contextvars
import uuid

correlation_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def current_correlation_id() -> str | None:
    return correlation_id_var.get()


def set_correlation_id(value: str | None) -> contextvars.Token:
    return correlation_id_var.set(value)


settings_var: contextvars.ContextVar = contextvars.ContextVar("settings", default=None)


def current_settings():
    """The Settings of the process handling the current event (set by the consumer for its handlers)."""
    settings = settings_var.get()
    if settings is None:
        raise RuntimeError("no settings in context: current_settings() is for event handlers run by EventConsumer")
    return settings


service_config_var: contextvars.ContextVar = contextvars.ContextVar("service_config", default=None)


def current_service_config():
    """The service's own settings (ServiceSpec.config) for the event handler running now."""
    value = service_config_var.get()
    if value is None:
        raise RuntimeError(
            "no service config in context: current_service_config() is for event handlers run by EventConsumer"
        )
    return value


def current_clock():
    """The clock of the process handling the current event: the machine's, in the settings' time zone."""
    from .clock import system_clock

    return system_clock(settings_var.get())


def joined_unit_of_work(conn):
    """A unit of work inside the consumer's transaction, for an event handler that runs a use case."""
    from .uow import UnitOfWork

    settings = settings_var.get()
    return UnitOfWork.joining(conn, clock=current_clock(), validate_events=getattr(settings, "validate_events", True))
