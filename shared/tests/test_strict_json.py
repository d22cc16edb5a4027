"""Every JSON the services write is strict JSON: a NaN or an infinity can never reach a client or a topic;
it becomes a logged server error (500 problem) instead of a body a client's parser fails on."""

import json
import logging

import pytest

from kinerja_shared.events.envelope import encode_event
from kinerja_shared.strict_json import dumps

NIP = "199001012015011001"


def strict_loads(text: str):
    def refuse(constant):
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def server_errors():
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append
    loggers = [logging.getLogger("kinerja_shared.web.problems"), logging.getLogger("kinerja_shared.web.answer_json")]
    for logger in loggers:
        logger.addHandler(handler)
    yield records
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.parametrize("route", ["score", "score.raw", "score.problem"])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e999"])
def test_a_non_finite_number_is_a_logged_null_never_an_invalid_body_nor_a_500(probe, server_errors, route, value):
    """The last line behind the bounded inputs: a screen keeps working (the number reads as null) and the
    bug is logged as an error, instead of an answer no JSON parser takes or a 500 that breaks the screen."""
    r = probe.client.get(f"/api/v1/notes/{value}/{route}", headers=probe.token(NIP))
    body = r.get_data(as_text=True)
    parsed = strict_loads(body)
    assert "Infinity" not in body and "NaN" not in body
    assert r.status_code < 500, body
    assert parsed["score"] is None
    assert any(rec.levelno >= logging.ERROR for rec in server_errors)


def test_finite_numbers_are_written_as_before(probe):
    r = probe.client.get("/api/v1/notes/1.5/score", headers=probe.token(NIP))
    assert r.status_code == 200 and strict_loads(r.get_data(as_text=True)) == {"score": 1.5}
    r = probe.client.get("/api/v1/notes/2/score.problem", headers=probe.token(NIP))
    assert r.status_code == 409 and r.json["score"] == 2.0


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_the_shared_encoder_and_event_envelopes_refuse_non_finite_numbers(value):
    with pytest.raises(ValueError):
        dumps({"x": [value]})
    with pytest.raises(ValueError):
        dumps({"x": value}, allow_nan=True)  # a caller cannot switch it back on
    with pytest.raises(ValueError):
        encode_event({"id": "e1", "data": {"quantity": value}})


def test_json_columns_are_written_as_strict_json(tmp_path):
    from sqlalchemy import JSON, Column, Integer, MetaData, Table
    from sqlalchemy.exc import StatementError

    from kinerja_shared.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path}/strict.db")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("doc", JSON))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert().values(doc={"ok": 1.5}))
        with pytest.raises(StatementError):
            conn.execute(table.insert().values(doc={"quantity": float("inf")}))


@pytest.mark.parametrize("digits", [400, 5000])
def test_an_integer_with_more_digits_than_any_number_may_have_is_422_naming_the_field(digits):
    """Found by the hostile run: a 5,000-digit integer was a 500 (Python's int() refuses over 4,300 digits)."""
    from kinerja_shared.strict_json import StrictJSONError, loads

    with pytest.raises(StrictJSONError) as refused:
        loads(('{"items": [{"quantity": ' + "9" * digits + "}]}").encode())
    assert refused.value.field == "items.0.quantity" and "finite" in refused.value.message
    assert loads(b'{"n": 12345678901234567890, "m": -7}') == {"n": 12345678901234567890, "m": -7}
