"""What the use cases of the realisation, the dialogues and the documents hand back, and how they take If-Match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

VersionCheck = Callable[[int], None] | None  # the route's If-Match check, run on the version read in the transaction


@dataclass(frozen=True)
class Answer:
    """A use case's plain answer: the body and the version its ETag carries."""

    body: dict
    version: int


def checked(check_version: VersionCheck, version: int) -> None:
    """Run the caller's If-Match check against ``version`` (None: no check)."""
    if check_version is not None:
        check_version(version)
