"""kinerja_shared.web.etag: what a write's precondition accepts and refuses."""

from __future__ import annotations

import pytest
from flask import Flask

from kinerja_shared.web.etag import check_if_match, etag_for, require_if_match
from kinerja_shared.web.problems import Problem

APP = Flask(__name__)


def outcome(fn, header: str | None) -> int:
    headers = {} if header is None else {"If-Match": header}
    with APP.test_request_context("/x", method="PATCH", headers=headers):
        try:
            fn("a1", 3)
        except Problem as problem:
            return problem.status
    return 200


@pytest.mark.parametrize(
    "header,required,optional",
    [
        (None, 428, 200),  # missing: required refuses, optional lets through
        ("   ", 428, 200),  # blank is missing
        ('"a1.3"', 200, 200),  # current
        ('W/"a1.3"', 200, 200),  # weak form of the current tag
        ('"a1.1", "a1.3"', 200, 200),  # one of a list
        ('"a1.2"', 412, 412),  # stale
        ('"b9.3"', 412, 412),  # another resource's tag
        ("*", 200, 200),  # explicitly whatever the current version is
    ],
)
def test_require_and_check_if_match(header, required, optional):
    assert outcome(require_if_match, header) == required
    assert outcome(check_if_match, header) == optional


def test_a_missing_if_match_is_a_428_naming_the_header():
    with APP.test_request_context("/x", method="DELETE"):
        with pytest.raises(Problem) as raised:
            require_if_match("a1", 3)
    problem = raised.value
    assert problem.status == 428 and "If-Match" in problem.detail
    assert problem.errors == [
        {"field": "If-Match", "location": "headers", "message": "required: the ETag of the version you read"}
    ]
    assert problem.extensions["current_version"] == 3 and etag_for("a1", 3) == '"a1.3"'
