"""The caller's notification preferences: channels per category, quiet hours, language."""

from __future__ import annotations

from collections.abc import Callable

from kinerja_shared.errors import field_error

from .. import access, domain, inbox_store
from ..config import NotifySettings

VersionCheck = Callable[[str, int], None]  # (entity id, current version): raises 412/428 (kinerja_shared.web.etag)


def view(nip: str, row, cfg: NotifySettings) -> dict:
    """The preferences as the API shows them, with the defaults filled in."""
    overrides = dict(row.channels or {}) if row is not None else {}
    if row is None or row.quiet_hours is None:
        quiet, quiet_default = cfg.quiet_hours, True
    else:
        quiet, quiet_default = domain.parse_quiet_hours(row.quiet_hours), False
    return {
        "nip": nip,
        "locale": (row.locale if row is not None and row.locale else cfg.locale),
        "quiet_hours": {"start": f"{quiet.start:%H:%M}", "end": f"{quiet.end:%H:%M}"} if quiet else None,
        "quiet_hours_default": quiet_default,
        "categories": {
            c: {
                **domain.channels_for(c, overrides.get(c)),
                "customised": c in overrides,
                "description": domain.CATEGORY_DESCRIPTIONS[c],
            }
            for c in domain.CATEGORIES
        },
        "version": row.version if row is not None else 0,
    }


def get_preferences(uow, actor, cfg: NotifySettings) -> dict:
    nip = access.own_inbox(actor)
    return view(nip, inbox_store.settings_row(uow.conn, nip), cfg)


def _quiet_text(body: dict) -> str | None:
    if "quiet_hours" in body and body.get("quiet_hours_default"):
        raise field_error("quiet_hours_default", "give either quiet_hours or quiet_hours_default, not both")
    if not body.get("quiet_hours"):
        return None
    try:
        return domain.QuietHours(
            domain.parse_hhmm(body["quiet_hours"]["start"]), domain.parse_hhmm(body["quiet_hours"]["end"])
        ).as_text()
    except ValueError as exc:
        raise field_error("quiet_hours.end", str(exc)) from None


def _channels(row, body: dict) -> dict:
    channels = dict(row.channels or {}) if row is not None else {}
    for category in body.get("reset_categories", []):
        channels.pop(category, None)
    for category, choice in (body.get("categories") or {}).items():
        effective = domain.channels_for(category, {**channels.get(category, {}), **choice})
        if effective == domain.DEFAULT_CHANNELS[category]:
            channels.pop(category, None)  # the same as the defaults: follow future changes of them
        else:
            channels[category] = effective
    return channels


def update_preferences(uow, actor, cfg: NotifySettings, body: dict, *, if_match: VersionCheck) -> dict:
    """Change some of the caller's preferences (only the given fields); audited."""
    nip = access.own_inbox(actor)
    quiet_text = _quiet_text(body)
    row = inbox_store.settings_row(uow.conn, nip, lock=True)
    version = row.version if row is not None else 0
    if_match(nip, version)
    before = view(nip, row, cfg)
    locale = body["locale"] if "locale" in body else (row.locale if row is not None else None)
    quiet = row.quiet_hours if row is not None else None
    if "quiet_hours" in body:
        quiet = quiet_text or "off"
    if body.get("quiet_hours_default"):
        quiet = None
    inbox_store.save_settings(
        uow.conn,
        dict(
            nip=nip,
            locale=locale,
            quiet_hours=quiet,
            channels=_channels(row, body),
            version=version + 1,
            updated_at=uow.now(),
        ),
    )
    after = view(nip, inbox_store.settings_row(uow.conn, nip), cfg)
    uow.audit(
        actor=actor,
        action="preferences.updated",
        entity_type="preferences",
        entity_id=nip,
        before=_audited(before),
        after=_audited(after),
    )
    return after


def _audited(view: dict) -> dict:
    chosen = {c: {k: v[k] for k in domain.PERSON_CHANNELS} for c, v in view["categories"].items() if v["customised"]}
    return {k: view[k] for k in ("locale", "quiet_hours")} | {"channels": chosen}
