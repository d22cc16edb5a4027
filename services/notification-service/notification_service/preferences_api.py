"""HTTP API of the caller's preferences: /api/v1/notifications/preferences."""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.etag import etag_for, if_match_documented, require_if_match

from .schemas import PreferencesOut, PreferencesPatch
from .use_cases import preferences

preferences_blp = Blueprint(
    "preferences",
    __name__,
    url_prefix="/api/v1/notifications/preferences",
    description="The caller's choices: channels per category, quiet hours, language.",
)


@preferences_blp.route("")
@preferences_blp.response(200, PreferencesOut)
@_errors(preferences_blp)
def get_preferences():
    """The caller's notification preferences, with the defaults filled in (ETag for If-Match)."""
    with unit_of_work() as uow:
        view = preferences.get_preferences(uow, current_principal(), runtime().config)
    return view, 200, {"ETag": etag_for(view["nip"], view["version"])}


@preferences_blp.route("", methods=["PATCH"])
@preferences_blp.arguments(PreferencesPatch)
@preferences_blp.response(200, PreferencesOut)
@_errors(preferences_blp, (422, "Unknown category or channel, bad time"))
@if_match_documented(preferences_blp)
def patch_preferences(body):
    """Change some of the caller's preferences: channels per category, quiet hours, language.

    Only the given fields change. `quiet_hours: null` means none; `quiet_hours_default: true`
    goes back to the service default; `reset_categories` puts categories back to the defaults.
    Quiet hours hold e-mail until they end; the inbox still fills. Send `If-Match` with the
    ETag of GET to avoid overwriting a change made elsewhere (412 when stale).
    """
    with unit_of_work() as uow:
        after = preferences.update_preferences(
            uow, current_principal(), runtime().config, body, if_match=require_if_match
        )
    return after, 200, {"ETag": etag_for(after["nip"], after["version"])}
