"""Find every people-facing message a package's code can produce, for the catalogue tests.

The source is read (not run): each call that makes a problem or a refusal — ``field_error``,
``Problem`` and its subclasses, ``ValidationError``, the services' ``DomainError`` /
``TransitionError`` / ``ImportFileError``, ``AuthError``, ``errors.add`` in the importer, a ``*_problem``
helper's returned text, ``title=``/``error=`` arguments, ``{"message": ...}`` rows — gives its text; an f-string
becomes a sample with ``X0``, ``X1``... in place of its values. A test then asks the catalogue for each one
(``missing_translations``), so a message added without its Indonesian text fails a test that
names the file and line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

# callee name -> index of the message among the positional arguments
MESSAGE_ARG = {
    "Problem": 0,
    "BadRequest": 0,
    "Unauthorized": 0,
    "Forbidden": 0,
    "NotFound": 0,
    "Conflict": 0,
    "PreconditionFailed": 0,
    "Unprocessable": 0,
    "ServiceUnavailable": 0,
    "ValidationError": 0,
    "problem_response": 1,
    "field_error": 1,
    "DomainError": 1,
    "ImportFileError": 1,
    "TransitionError": 0,
    "RowError": 4,
    "add": 1,
    "__init__": 0,
    "AuthError": 0,
    "EvidenceError": 1,
}
MESSAGE_KEYWORDS = ("title", "error", "detail", "message")
# Calls whose arguments are not people-facing even though the callee name matches.
NOT_MESSAGES = {"add"}  # only with a receiver named errors/e (the importer's error sink)


@dataclass(frozen=True)
class Message:
    path: str
    line: int
    sample: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.sample!r}"


def _sample(node, counter: list[int]) -> str | None:
    """The text of a str constant / f-string / concatenation, values replaced by X0, X1..."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            else:
                out.append(f"X{counter[0]}")
                counter[0] += 1
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _sample(node.left, counter), _sample(node.right, counter)
        if left is None and right is None:
            return None
        if left is None:
            left = f"X{counter[0]}"
            counter[0] += 1
        if right is None:
            right = f"X{counter[0]}"
            counter[0] += 1
        return left + right
    if isinstance(node, ast.IfExp):
        return None
    return None


def _texts(node) -> list:
    """The candidate message nodes of an argument (both branches of a conditional)."""
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return [node]


def _callee(call: ast.Call) -> tuple[str | None, str | None]:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id, None
    if isinstance(func, ast.Attribute):
        receiver = func.value.id if isinstance(func.value, ast.Name) else None
        return func.attr, receiver
    return None, None


def phrase_parameters(tree) -> dict[str, int]:
    """Functions with a ``what`` parameter (a phrase put into a message, "may {what}"): name -> index."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
            if "what" in names:
                found[node.name] = names.index("what")
    return found


def messages_in_source(source: str, path: str, phrases: dict[str, int] | None = None) -> list[Message]:
    tree = ast.parse(source)
    found: list[Message] = []
    phrases = {**phrase_parameters(tree), **(phrases or {})}
    assigned: dict[str, list] = {}  # a message kept in a variable first: too_long = f"..."
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, []).append(node.value)

    def take(node, line):
        if isinstance(node, ast.Name):
            for value in assigned.get(node.id, []):
                take(value, line)
            return
        for candidate in _texts(node):
            text = _sample(candidate, [0])
            if text and any(c.isalpha() for c in re.sub(r"X\d+", "", text)):
                found.append(Message(path, line, text))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name, receiver = _callee(node)
            if name in phrases:
                index = phrases[name]
                if len(node.args) > index:
                    take(node.args[index], node.lineno)
                for kw in node.keywords:
                    if kw.arg == "what":
                        take(kw.value, node.lineno)
            if name in MESSAGE_ARG:
                if name in NOT_MESSAGES and receiver not in ("errors", "e"):
                    continue
                index = MESSAGE_ARG[name]
                if len(node.args) > index:
                    take(node.args[index], node.lineno)
                if name != "add":
                    for kw in node.keywords:
                        if kw.arg in MESSAGE_KEYWORDS:
                            take(kw.value, node.lineno)
            elif name == "append" and receiver == "problems" and node.args and isinstance(node.args[0], ast.Tuple):
                take(node.args[0].elts[1], node.lineno)
            elif name in ("Length", "Range", "OneOf", "Regexp", "Email", "URL", "Predicate", "NoneOf", "Equal"):
                for kw in node.keywords:
                    if kw.arg == "error":
                        take(kw.value, node.lineno)
        elif isinstance(node, ast.Dict):  # {"field": ..., "message": "..."} rows and rule texts
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "message":
                    take(value, node.lineno)
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Return) and sub.value is not None:
                    take(sub.value, sub.lineno)
    return sorted(found, key=lambda m: m.line)


def messages_in_package(directory: Path, root: Path | None = None) -> list[Message]:
    """Every message the ``.py`` files under ``directory`` can produce (tests and testing excluded)."""
    root = root or directory
    files = [
        f
        for f in sorted(Path(directory).rglob("*.py"))
        if not {"tests", "testing", "migrations"} & set(f.relative_to(directory).parts)
    ]
    sources = {f: f.read_text(encoding="utf-8") for f in files}
    phrases: dict[str, int] = {}
    for source in sources.values():
        phrases.update(phrase_parameters(ast.parse(source)))
    found: list[Message] = []
    for file, source in sources.items():
        found.extend(messages_in_source(source, str(file.relative_to(root)), phrases))
    return found


def missing_translations(messages, catalogue=None) -> list[Message]:
    """The messages the catalogue has no Indonesian text for."""
    from ..i18n import load

    catalogue = catalogue or load()
    return [m for m in messages if not catalogue.knows(m.sample)]


def untranslated(package) -> list[str]:
    """``file:line: text`` of each message in ``package`` (an imported module) without an Indonesian text."""
    import importlib

    directory = Path(package.__file__).parent
    for module in sorted(directory.glob("*messages.py")):  # messages.py and each feature's <feature>_messages.py
        importlib.import_module(f"{package.__name__}.{module.stem}")
    return [str(m) for m in missing_translations(messages_in_package(directory))]
