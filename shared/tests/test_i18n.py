"""People-facing texts follow Accept-Language: Indonesian by default, English on request; every
message the code, marshmallow, webargs and werkzeug can produce has its Indonesian text."""

import inspect
import string
from http import HTTPStatus
from pathlib import Path

import marshmallow as ma
import marshmallow.fields
import marshmallow.validate
import pytest
from werkzeug.exceptions import default_exceptions

import kinerja_shared
from kinerja_shared.i18n import Catalogue, load
from kinerja_shared.testing.messages import messages_in_package, messages_in_source, missing_translations
from kinerja_shared.testing.plugin import plain_client

NIP = "199001012015011001"


def _sample(template: str) -> str:
    """A template as marshmallow would render it, every placeholder filled."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**{name: "X" for name in names})


def _marshmallow_messages() -> list[str]:
    found = set()
    for _, cls in inspect.getmembers(ma.fields, inspect.isclass):
        if issubclass(cls, ma.fields.Field):
            for klass in cls.__mro__:
                found.update(vars(klass).get("default_error_messages", {}).values())
    found.update(ma.Schema._default_error_messages.values())
    for _, cls in inspect.getmembers(ma.validate, inspect.isclass):
        for attr, value in vars(cls).items():
            if isinstance(value, str) and attr in (
                "default_message",
                "message_all",
                "message_min",
                "message_max",
                "message_equal",
            ):
                found.add(value)
    texts = set()
    range_ = ma.validate.Range
    for text in found:
        if "{min_op}" in text or "{max_op}" in text:  # Range: its operator phrases first, then the bounds
            for low in (range_.message_gt, range_.message_gte):
                for high in (range_.message_lt, range_.message_lte):
                    texts.add(_sample(text.format(min_op=low, max_op=high)))
        else:
            texts.add(_sample(text))
    return sorted(texts)


def test_every_marshmallow_webargs_and_http_text_has_an_indonesian_version():
    catalogue = load()
    texts = _marshmallow_messages() + ["Invalid JSON body."]
    texts += [cls.description for cls in default_exceptions.values()]
    texts += [status.phrase for status in HTTPStatus if status.value >= 400]
    missing = [text for text in texts if not catalogue.knows(text)]
    assert len(_marshmallow_messages()) > 40
    assert missing == []


def test_every_message_of_the_shared_library_has_an_indonesian_version():
    root = Path(kinerja_shared.__file__).parent
    messages = messages_in_package(root)
    assert len(messages) > 15
    assert [str(m) for m in missing_translations(messages)] == []


def test_a_new_message_without_its_translation_is_caught():
    source = """
def check(value):
    if value is None:
        raise field_error("value", "is required")
    raise field_error("value", f"must not exceed {LIMIT} things")
    too_deep = f"nests deeper than {DEPTH} levels"
    raise field_error("(body)", too_deep, status=413)
"""
    found = messages_in_source(source, "guard.py")
    assert [m.sample for m in found] == ["is required", "must not exceed X0 things", "nests deeper than X0 levels"]
    assert [m.sample for m in missing_translations(found)] == [
        "must not exceed X0 things",
        "nests deeper than X0 levels",
    ]


def test_the_catalogue_refuses_a_translation_that_loses_a_placeholder():
    catalogue = Catalogue()
    with pytest.raises(ValueError, match="placeholders"):
        catalogue.add("x", "plan {plan_id} does not exist", "rencana tidak ada")
    catalogue.add("plan_not_found", "plan {plan_id} does not exist", "rencana {plan_id} tidak ada")
    assert catalogue.translate("plan P-1 does not exist", "id") == "rencana P-1 tidak ada"
    assert catalogue.translate("plan P-1 does not exist", "en") == "plan P-1 does not exist"
    assert catalogue.translate("something unknown", "id") == "something unknown"


def test_problems_are_in_indonesian_without_accept_language(probe):
    client = plain_client(probe.app)
    r = client.post("/api/v1/notes", json={"nip": NIP}, headers=probe.token(NIP))
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    assert r.headers["Content-Language"] == "id" and "Accept-Language" in r.headers["Vary"]
    assert r.json["title"] == "Validasi gagal"
    assert r.json["errors"] == [
        {"field": "text", "location": "body", "message": "Teks (text): Wajib diisi.", "code": "required"}
    ]
    assert r.json["detail"] == "Teks (text): Wajib diisi."

    unauthenticated = client.get("/api/v1/audit")
    assert unauthenticated.status_code == 401 and unauthenticated.headers["Content-Language"] == "id"
    assert unauthenticated.json["title"] == "Belum terautentikasi"
    assert unauthenticated.json["detail"] == "Kirim token bearer: Authorization: Bearer <JWT>."
    unknown = client.get("/api/v1/nothing-here", headers=probe.token(NIP))
    assert unknown.status_code == 404 and unknown.json["title"] == "Tidak ditemukan"
    assert unknown.json["detail"].startswith("Alamat yang diminta tidak ada")


def test_problems_are_in_english_on_request_with_the_same_fields_and_codes(probe):
    client = plain_client(probe.app)
    for header in ("en", "en-US,en;q=0.9,id;q=0.5"):
        r = client.post("/api/v1/notes", json={"nip": NIP}, headers={**probe.token(NIP), "Accept-Language": header})
        assert r.status_code == 422 and r.headers["Content-Language"] == "en"
        assert r.json["title"] == "Validation failed" and r.json["detail"] == "text: Missing data for required field."
        assert r.json["errors"] == [
            {"field": "text", "location": "body", "message": "Missing data for required field.", "code": "required"}
        ]
    for header in ("id-ID", "fr, de;q=0.5", "*"):
        r = client.post("/api/v1/notes", json={"nip": NIP}, headers={**probe.token(NIP), "Accept-Language": header})
        assert r.headers["Content-Language"] == "id" and r.json["title"] == "Validasi gagal", header


def test_a_server_error_asks_for_the_correlation_id_it_gives_in_both_languages(probe):
    client = plain_client(probe.app)
    headers = {**probe.token(NIP), "X-Correlation-ID": "cid-i18n-1"}
    r = client.post("/api/v1/notes", json={"nip": NIP, "text": "boom"}, headers=headers)
    assert r.status_code == 500 and r.json["correlation_id"] == "cid-i18n-1" == r.headers["X-Correlation-ID"]
    assert "ID korelasi" in r.json["detail"] and "secret" not in r.get_data(as_text=True)
    english = client.post(
        "/api/v1/notes", json={"nip": NIP, "text": "boom"}, headers={**headers, "Accept-Language": "en"}
    )
    assert "correlation id" in english.json["detail"]


def test_a_long_client_value_inside_a_message_is_left_as_it_is():
    """A value a client sent, echoed in a message, is not searched through the templates when long."""
    catalogue = Catalogue()
    catalogue.add("not_found", "activity {id} does not exist", "kegiatan {id} tidak ada")
    catalogue.add(
        "counts", "{n} of {total} results assessed: {above} above", "{n} dari {total} dinilai: {above} di atas"
    )
    assert catalogue.translate("activity a-1 does not exist", "id") == "kegiatan a-1 tidak ada"
    hostile = "activity " + "1 of 2 results assessed: 1 above, " * 3000 + " does not exist"
    assert catalogue.translate(hostile, "id") == hostile and not catalogue.knows(hostile)
    nested = "activity " + "x" * 400 + " does not exist"  # matched, its long value copied untranslated
    assert catalogue.translate(nested, "id") == "kegiatan " + "x" * 400 + " tidak ada"


def test_a_value_that_spells_the_template_itself_renders_instead_of_failing():
    """Found by the hostile run: GET /plans/{plan_id} with the braces as the id was a 500 (KeyError) while
    translating "plan {plan_id} does not exist"."""
    import plan_service.messages  # noqa: F401 - its catalogue
    from kinerja_shared import i18n

    assert i18n.t("plan {plan_id} does not exist", "id") == "rencana (SKP) {plan_id} tidak ada"
