"""Marshmallow fields with the domain's bounds (kinerja_shared.numbers) in both the check and the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from ..numbers import round_half_up


class BoundedNumber(ma.fields.Float):
    """A finite number in [minimum, maximum], rounded half up to ``places`` decimals when loaded.

    The bounds are a ``validate.Range`` (so the OpenAPI document shows minimum/maximum) checked
    after rounding; NaN and ±Infinity are refused. The description gains the bounds in words.
    """

    def __init__(self, *, minimum: float, maximum: float, places: int, **kwargs):
        metadata = dict(kwargs.pop("metadata", {}) or {})
        said = metadata.get("description", "").rstrip(". ")
        bounds = f"From {minimum:,} to {maximum:,}, rounded to {places} decimal places"
        metadata["description"] = f"{said}. {bounds}." if said else f"{bounds}."
        validators = [v.Range(min=minimum, max=maximum, error=f"must be from {minimum:,} to {maximum:,}")]
        extra = kwargs.pop("validate", None)
        if extra is not None:
            validators.extend(extra if isinstance(extra, (list, tuple)) else [extra])
        super().__init__(allow_nan=False, validate=validators, metadata=metadata, **kwargs)
        self.places = places

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        return round_half_up(number, self.places) + 0.0 if number is not None else None  # + 0.0: no -0.0
