"""Verification codes: short enough to type from paper, too many to guess.

A code is one letter naming the issuing service (``P`` plan-service, ``E`` evaluation-service; the gateway
routes ``/api/v1/documents/verify/{code}`` by it) and 12 characters of Crockford's base32 alphabet drawn from
``secrets``: 60 bits of entropy, about 1.15e18 codes. With the public endpoint bounded to a few requests a
minute per client (nginx ``limit_req``, and the service's own bound), finding any one of a million issued
documents by guessing takes on the order of 1e12 requests per hit.

Printed grouped (``E-7K3M-Q9XD-2HTA``); read back leniently: case, dashes and spaces do not matter, and the
letters people mistake for digits (I, L -> 1; O -> 0) are read as those digits (Crockford's rule).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_CHARS = 12
ENTROPY_BITS = RANDOM_CHARS * 5
ISSUERS = {"P": "plan-service", "E": "evaluation-service"}
_CANONICAL = re.compile(rf"^[A-Z][{ALPHABET}]{{{RANDOM_CHARS}}}$")
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code(prefix: str) -> str:
    """A fresh code of the service ``prefix`` (canonical form, no dashes)."""
    if prefix not in ISSUERS:
        raise ValueError(f"unknown issuer prefix {prefix!r}")
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))


def canonical(text: str) -> str | None:
    """The canonical code of what someone typed or scanned, or None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    raw = re.sub(r"[\s-]", "", text).upper()
    if not raw:
        return None
    code = raw[0] + raw[1:].translate(_READ_AS)
    return code if _CANONICAL.match(code) and code[0] in ISSUERS else None


def grouped(code: str) -> str:
    """``E7K3MQ9XD2HTA`` -> ``E-7K3M-Q9XD-2HTA`` (as printed)."""
    body = code[1:]
    return "-".join([code[0], *(body[i : i + 4] for i in range(0, len(body), 4))])
