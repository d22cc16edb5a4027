"""Structure and text of every request: nesting depth, invalid Unicode, duplicate keys, in every place a
service reads text (JSON body, form, multipart, query, path, headers). Each refusal is a 4xx problem that
names the field; none may be a 500."""

import json

import pytest

NIP = "199001012015011001"


def post_raw(probe, body, content_type="application/json", **headers):
    return probe.client.post(
        "/api/v1/notes", data=body, headers={**probe.token(NIP), "Content-Type": content_type, **headers}
    )


def fields(response) -> list[str]:
    assert response.content_type == "application/problem+json", response.get_data(as_text=True)
    return [e["field"] for e in response.json.get("errors", [])]


def nested(depth: int, leaf='"x"') -> str:
    return "[" * depth + leaf + "]" * depth


def test_a_body_nested_deeper_than_the_limit_is_422_before_parsing(probe):
    for depth in (33, 900, 5000, 200_000):
        body = '{"nip": "%s", "text": %s}' % (NIP, nested(depth))
        r = post_raw(probe, body)
        assert r.status_code == 422, (depth, r.status_code)
        assert fields(r) == ["(body)"] and "nested deeper than 32" in r.json["errors"][0]["message"]
    objects = '{"a":' * 40 + "1" + "}" * 40
    r = post_raw(probe, '{"nip": "%s", "text": "x", "extra": %s}' % (NIP, objects))
    assert r.status_code == 422 and fields(r) == ["(body)"]


def test_the_depth_limit_counts_brackets_outside_strings_only_and_is_configurable(probe, service_factory):
    from .conftest import make_probe_spec

    # 31 levels of brackets in the field, inside the top-level object: 32 in all, accepted by the guard
    # (the schema then refuses the list: a 422 naming "text", not "(body)").
    r = post_raw(probe, '{"nip": "%s", "text": %s}' % (NIP, nested(31)))
    assert r.status_code == 422 and fields(r) == ["text"]
    # Brackets inside a string are text, not nesting.
    for text in ("[" * 150 + "{" * 50, 'a "quoted" \\ ' + "[" * 100):
        r = post_raw(probe, json.dumps({"nip": NIP, "text": text}))
        assert r.status_code == 201 and r.json["text"] == text, r.get_data(as_text=True)
    strict = service_factory(make_probe_spec(), KINERJA_MAX_JSON_DEPTH="3")
    r = strict.client.post("/api/v1/notes", json={"nip": NIP, "text": "x", "a": [[[1]]]}, headers=strict.token(NIP))
    assert r.status_code == 422 and "nested deeper than 3 " in r.json["errors"][0]["message"]


@pytest.mark.parametrize(
    "escaped",
    [
        r"\ud800",
        r"\udfff",
        r"a\ud83d",
        r"\ude00b",
        r"\ufffe",
        r"\uffff",
        r"\ufdd0",
        r"\ufdef",
        r"\ud83f\udffe",
        r"\udbff\udfff",
    ],
)
def test_lone_surrogates_and_non_characters_in_a_json_string_are_422_naming_it(probe, escaped):
    r = post_raw(probe, '{"nip": "%s", "text": "ok", "extra": {"deep": ["fine", "%s"]}}' % (NIP, escaped))
    assert r.status_code == 422 and fields(r) == ["extra.deep.1"]
    assert "Unicode" in r.json["errors"][0]["message"]


def test_invalid_unicode_in_a_key_and_raw_bytes_is_422(probe):
    r = post_raw(probe, '{"nip": "%s", "text": "ok", "a\\ud800": 1}' % NIP)
    assert r.status_code == 422 and len(fields(r)) == 1
    raw_noncharacter = ('{"nip": "%s", "text": "a\ufffeb"}' % NIP).encode()
    r = post_raw(probe, raw_noncharacter)
    assert r.status_code == 422 and fields(r) == ["text"]
    invalid_utf8 = b'{"nip": "%s", "text": "caf\xe9 \xed\xa0\x80"}' % NIP.encode()
    r = post_raw(probe, invalid_utf8)
    assert r.status_code == 422 and fields(r) == ["text"]
    assert "UTF-8" in r.json["errors"][0]["message"] or "Unicode" in r.json["errors"][0]["message"]


def test_valid_unicode_passes_escaped_or_not(probe):
    """Emoji as a surrogate pair escape (what json.dumps sends), RTL, zero-width and combining marks are text."""
    text = "Rapat \U0001f600 \u05e9\u05dc\u05d5\u05dd e\u0301 a\u200bb \ufdcf \ufdf0"
    r = probe.client.post(
        "/api/v1/notes",
        data=json.dumps({"nip": NIP, "text": text}),
        headers={**probe.token(NIP), "Content-Type": "application/json"},
    )
    assert r.status_code == 201 and r.json["text"] == text
    r = probe.client.post(
        "/api/v1/notes",
        data=json.dumps({"nip": NIP, "text": text}, ensure_ascii=False).encode(),
        headers={**probe.token(NIP), "Content-Type": "application/json"},
    )
    assert r.status_code == 201 and r.json["text"] == text


def test_duplicate_keys_in_a_json_object_are_422_naming_the_key(probe):
    r = post_raw(probe, '{"nip": "%s", "text": "first", "text": "second"}' % NIP)
    assert r.status_code == 422 and fields(r) == ["text"] and "more than once" in r.json["errors"][0]["message"]
    r = post_raw(probe, '{"nip": "%s", "text": "x", "extra": [{"a": 1, "a": 1}]}' % NIP)
    assert r.status_code == 422 and fields(r) == ["a"]
    assert probe.scalar("select count(*) from notes") == 0


def test_invalid_unicode_in_the_query_string_and_path_is_400_naming_it(probe):
    h = probe.token(NIP)
    for query, name in (
        ("entity_type=%ED%A0%80", "entity_type"),
        ("entity_type=a%FFb", "entity_type"),
        ("entity_type=%EF%BF%BE", "entity_type"),
        ("x%FF=1", "x\ufffd"),
    ):
        r = probe.client.get(f"/api/v1/audit?{query}", headers=h)
        assert r.status_code == 400 and fields(r) == [name], query
    r = probe.client.get(
        "/api/v1/notes/1", headers=h, environ_overrides={"PATH_INFO": "/api/v1/notes/a\xed\xa0\x80b"}
    )  # raw bytes, as WSGI gives them
    assert r.status_code == 400 and fields(r) == ["path"]
    r = probe.client.get("/api/v1/notes/a%EF%BF%BEb", headers=h)
    assert r.status_code == 400 and fields(r) == ["note_id"]
    assert probe.client.get("/api/v1/notes/a%C3%A9", headers=h).status_code == 404


def test_invalid_unicode_in_form_and_multipart_fields_and_file_names_is_a_4xx_naming_it(probe):
    h = probe.token(NIP)
    r = post_raw(probe, b"nip=1&text=a%ED%A0%80", "application/x-www-form-urlencoded")
    assert r.status_code == 422 and fields(r) == ["text"]
    r = post_raw(probe, "nip=1&text=a\ufffe".encode(), "application/x-www-form-urlencoded")
    assert r.status_code == 422 and fields(r) == ["text"]
    part = '--XX\r\nContent-Disposition: form-data; name="text"\r\n\r\na\uffffb\r\n--XX--\r\n'.encode()
    r = post_raw(probe, part, "multipart/form-data; boundary=XX")
    assert r.status_code == 422 and fields(r) == ["text"]
    named = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a\ufdd0.txt"\r\n\r\ndata\r\n--XX--\r\n'
    r = post_raw(probe, named.encode(), "multipart/form-data; boundary=XX")
    assert r.status_code == 422 and fields(r) == ["file"]
    broken = b'--XX\r\nContent-Disposition: form-data; name="file"; filename="a\xffb.txt"\r\n\r\ndata\r\n--XX--\r\n'
    r = probe.client.post(
        "/api/v1/notes", data=broken, headers={**h, "Content-Type": "multipart/form-data; boundary=XX"}
    )
    assert 400 <= r.status_code < 500 and len(fields(r)) == 1
    # an invalid UTF-8 byte inside a multipart field's value (werkzeug would decode it as U+FFFD)
    bad_value = b'--XX\r\nContent-Disposition: form-data; name="text"\r\n\r\na\xffb\r\n--XX--\r\n'
    r = post_raw(probe, bad_value, "multipart/form-data; boundary=XX")
    assert r.status_code == 422 and fields(r) == ["text"]
    assert probe.scalar("select count(*) from notes") == 0
    # a real U+FFFD the client typed is text like any other
    typed = '--XX\r\nContent-Disposition: form-data; name="text"\r\n\r\na\ufffdb\r\n--XX--\r\n'.encode()
    r = post_raw(probe, typed, "multipart/form-data; boundary=XX")
    assert r.status_code < 500 and not any("Unicode" in e["message"] for e in r.get_json().get("errors", [])), (
        r.get_json()
    )


@pytest.mark.parametrize(
    "header", ["Idempotency-Key", "If-Match", "X-Correlation-ID", "X-Request-ID", "Last-Event-ID", "Accept-Language"]
)
def test_invalid_text_in_a_header_the_services_read_is_400_naming_it(probe, header):
    raw = "k\xed\xa0\x80"  # UTF-8 bytes of a surrogate, as a WSGI server hands them over (latin-1)
    r = probe.client.post("/api/v1/notes", json={"nip": NIP, "text": "x"}, headers={**probe.token(NIP), header: raw})
    assert r.status_code == 400 and fields(r) == [header]
    assert "\xed" not in r.headers.get("X-Correlation-ID", "")
    assert probe.scalar("select count(*) from notes") == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1E+400", "1" * 400 + ".5"])
def test_nan_infinity_and_numbers_beyond_a_float_are_422_naming_the_field(probe, number):
    r = post_raw(probe, '{"nip": "%s", "text": "ok", "extra": {"values": [1.5, %s]}}' % (NIP, number))
    assert r.status_code == 422 and fields(r) == ["extra.values.1"] and "finite" in r.json["errors"][0]["message"]
    assert post_raw(probe, number).status_code == 422
