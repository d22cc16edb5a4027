"""One shape for every state machine: a table of ``action -> {from: to}``.

Every service declares its lifecycles the same way::

    PLAN = StateMachine("plan", {
        "submit": {DRAFT: SUBMITTED},
        "approve": {SUBMITTED: APPROVED},
        "close": {DRAFT: CLOSED, SUBMITTED: CLOSED, APPROVED: CLOSED},
    })
    PLAN.next("submit", plan.status)   # -> "submitted", or InvalidTransition (409) naming both states

``hints`` give the refusal's reason for an action (``{"close": "submit it first"}``); a hint may be
a function of the current state; ``describe(action, current)`` replaces the whole text. ``allowed(action)`` lists
the states an action starts from (for help screens and documentation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .errors import InvalidTransition

Hint = str | Callable[[str], str]
REFUSED_TITLE = "Status does not allow this"


class StateMachine:
    def __init__(
        self,
        name: str,
        table: Mapping[str, Mapping[str, str]],
        hints: Mapping[str, Hint] | None = None,
        describe: Callable[[str, str], str] | None = None,
    ):
        self.name = name
        self.table = {action: dict(moves) for action, moves in table.items()}
        self.hints = dict(hints or {})
        self.describe = describe  # (action, current) -> the whole refusal text, when a service keeps its own wording

    def allowed(self, action: str) -> list[str]:
        return sorted(self.table[action])

    def can(self, action: str, current: str) -> bool:
        return current in self.table[action]

    def next(self, action: str, current: str) -> str:
        """The state after ``action``; InvalidTransition when ``current`` forbids it: a 409 titled "Status does not
        allow this" with ``current_status`` (the one way every service answers a refused transition)."""
        moves = self.table[action]
        if current in moves:
            return moves[current]
        raise InvalidTransition(
            self.refusal(action, current),
            action=action,
            current=current,
            title=REFUSED_TITLE,
            current_status=current,
        )

    def refusal(self, action: str, current: str) -> str:
        if self.describe is not None:
            return self.describe(action, current)
        hint = self.hints.get(action)
        if callable(hint):
            hint = hint(current)
        why = hint or f"allowed from: {', '.join(self.allowed(action))}"
        return f"cannot {action} a {self.name} that is {current} ({why})"

    def as_rows(self) -> list[dict]:
        """The table as rows {action, from, to} (documentation, the console's help)."""
        return [
            {"action": action, "from": start, "to": end}
            for action, moves in self.table.items()
            for start, end in sorted(moves.items())
        ]
