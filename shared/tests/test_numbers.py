"""The shared numeric bounds, the bounded marshmallow field and strict JSON (no database needed)."""

import json
import math

import marshmallow as ma
import pytest
from flask import Flask, jsonify

from kinerja_shared.numbers import MAX_ENTRY_QUANTITY, finite, round_half_up, usable_quantity, usable_target
from kinerja_shared.web.answer_json import StrictJSONProvider
from kinerja_shared.web.answer_json import answer_dumps as strict_dumps
from kinerja_shared.web.fields import BoundedNumber


def strict(text: str):
    def refuse(name):
        raise AssertionError(f"{name} is not JSON: {text}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "value,expected",
    [
        (1, 1.0),
        ("2.5", 2.5),
        (None, None),
        (True, None),
        ("x", None),
        (math.inf, None),
        (-math.inf, None),
        (math.nan, None),
        (1e308, 1e308),
    ],
)
def test_finite(value, expected):
    assert finite(value) == expected


def test_usable_values_are_the_documented_bounds():
    assert (
        usable_quantity(MAX_ENTRY_QUANTITY) == MAX_ENTRY_QUANTITY and usable_quantity(MAX_ENTRY_QUANTITY + 0.01) is None
    )
    assert usable_quantity(-0.01) is None and usable_quantity(math.nan) is None
    assert usable_target(0.01) == 0.01 and usable_target(0.009) is None and usable_target(1e308) is None


@pytest.mark.parametrize("value", [1e308, -1e308, 5e-324, 123456789012345678901234567890.0, 0.05, 2.675])
def test_round_half_up_never_overflows(value):
    rounded = round_half_up(value, 1)
    assert math.isfinite(rounded)


def test_round_half_up_rounds_half_up():
    assert (round_half_up(0.05, 1), round_half_up(1.005, 2), round_half_up(2.5, 0)) == (0.1, 1.01, 3.0)


class Entry(ma.Schema):
    quantity = BoundedNumber(minimum=0, maximum=10, places=2, required=True, metadata={"description": "How many"})


@pytest.mark.parametrize("sent", [10.01, 11, -0.01, 1e308, "Infinity", "NaN", math.inf])
def test_a_bounded_number_refuses_what_is_outside_or_not_finite(sent):
    with pytest.raises(ma.ValidationError) as caught:
        Entry().load({"quantity": sent})
    assert "quantity" in caught.value.messages


def test_a_bounded_number_rounds_to_its_places_and_documents_its_bounds():
    assert Entry().load({"quantity": 1.236}) == {"quantity": 1.24}
    assert Entry().load({"quantity": 10}) == {"quantity": 10.0}
    assert math.copysign(1, Entry().load({"quantity": -0.001})["quantity"]) == 1  # no -0.0
    assert (
        Entry._declared_fields["quantity"].metadata["description"]
        == "How many. From 0 to 10, rounded to 2 decimal places."
    )


def test_strict_json_never_writes_nan_or_infinity():
    text = strict_dumps({"a": [1.5, math.nan, {"b": math.inf}], "c": -math.inf})
    assert strict(text) == {"a": [1.5, None, {"b": None}], "c": None}
    app = Flask(__name__)
    app.json = StrictJSONProvider(app)
    with app.app_context():
        assert strict(jsonify({"x": math.inf, "y": 2}).get_data(as_text=True)) == {"x": None, "y": 2}
