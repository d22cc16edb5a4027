"""What the documentation names, read out of README.md, docs/*.md and services/*/README.md, and what exists.

The names a newcomer types or looks up: CLI commands (``<service> <command>``), settings
(``ENV_NAME``-style variables), endpoints (``/api/v1/...``), event types (catalog-style
``SubjectVerbed`` names) and repository files. tests/docs/test_docs_claims.py holds one against the other.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .endpoint_tables import ROOT, SERVICES, openapi, spec_of

GENERIC = "<service>"


def doc_files() -> list[Path]:
    return [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        *(ROOT / "services" / s / "README.md" for s in SERVICES),
    ]


@dataclass(frozen=True)
class Claim:
    file: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}: {self.text}"


def lines(path: Path):
    """(line number, line, inside a fenced code block) of a Markdown file."""
    fenced = False
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        yield n, line, fenced


def code_parts(path: Path):
    """(line number, text) of what a reader would type: inline code spans and fenced blocks' lines."""
    for n, line, fenced in lines(path):
        if fenced:
            yield n, line
        else:
            for span in re.findall(r"`([^`]+)`", line):
                yield n, span


# -- CLI commands --------------------------------------------------------------------------------


@cache
def cli_commands(service: str) -> frozenset[str]:
    """Every command of the service's click CLI, groups' commands as "dlq list"."""
    import click

    module = __import__(f"{service.replace('-', '_')}.cli", fromlist=["cli"])

    def walk(group: click.Group, prefix: str = ""):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield prefix + name
                yield from walk(command, f"{prefix}{name} ")
            else:
                yield prefix + name

    return frozenset(walk(module.cli))


def common_commands() -> frozenset[str]:
    return frozenset.intersection(*(cli_commands(s) for s in SERVICES))


_SERVICE_WORD = r"(?<![\w<-])((?:plan|activity|evaluation|notification)-service|<service>)"
_COMMAND = re.compile(_SERVICE_WORD + r" ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")
_PIPE_LIST = re.compile(_SERVICE_WORD + r" ([a-z][a-z -]*(?:\|[a-z -]+)+)")


def command_claims():
    """(claim, service or <service>, command words) for each ``<service> <command>`` in code."""
    for path in doc_files():
        for n, text in code_parts(path):
            for match in _COMMAND.finditer(text):
                service, first, second = match.groups()
                if first.endswith("-service"):
                    continue
                yield Claim(path, n, match.group(0)), service, first, second


def pipe_lists():
    """(claim, service, [commands]) for each ``<service> a | b | dlq list`` list of commands in code."""
    for path in doc_files():
        for n, text in code_parts(path):
            for match in _PIPE_LIST.finditer(text):
                yield Claim(path, n, match.group(0)), match.group(1), [c.strip() for c in match.group(2).split("|")]


def command_exists(service: str, first: str, second: str | None) -> bool:
    services = SERVICES if service == GENERIC else (service,)
    for s in services:
        commands = cli_commands(s)
        if second and f"{first} {second}" in commands:
            return True
        if first in commands and (not second or first not in _groups(s)):
            return True
    return False


def _groups(service: str) -> set[str]:
    return {c.split(" ")[0] for c in cli_commands(service) if " " in c}


# -- settings ------------------------------------------------------------------------------------

_SETTING = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w-])")
# Where a setting is read or set: the library, the services' packages and gunicorn files, the deploy files;
# the tests' code too (the fault suite's FAULTS_KEEP_LOGS, constants such as EXTRA_RELATIONS the docs explain).
_SETTING_SOURCES = ("shared/kinerja_shared", "services", "deploy", "Makefile", ".ci", "web/config.js", "tests")
_EXPORTED = re.compile(r"\bexport ((?:[A-Z][A-Z0-9_]*=\S*\s*)+)")
_SOURCE_SUFFIXES = {".py", ".yaml", ".yml", ".conf", ".sh", ".env", ".json", ".js", ".toml", ".txt", ""}


@lru_cache(maxsize=1)
def setting_corpus() -> str:
    """The text of every file that reads or sets a setting (tests and migrations aside)."""
    parts = []
    for name in _SETTING_SOURCES:
        base = ROOT / name
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()] if base.exists() else []
        for path in files:
            rel = path.relative_to(ROOT).parts
            if "migrations" in rel or "node_modules" in rel or "results" in rel or path.suffix not in _SOURCE_SUFFIXES:
                continue
            if path.suffix == "" and path.name not in ("Makefile", "Dockerfile", "run"):
                continue
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@lru_cache(maxsize=1)
def exported_in_docs() -> frozenset[str]:
    """Shell variables the docs themselves define (``export RATER_TOKEN=...``): the reader's, not settings."""
    names = set()
    for path in doc_files():
        for _n, text in code_parts(path):
            for group in _EXPORTED.findall(text):
                names.update(re.findall(r"([A-Z][A-Z0-9_]*)=", group))
    return frozenset(names)


def setting_claims():
    for path in doc_files():
        for n, line, _fenced in lines(path):
            for name in _SETTING.findall(line):
                yield Claim(path, n, name), name


def setting_exists(name: str) -> bool:
    if name in exported_in_docs():
        return True
    return name in corpus_words()


@lru_cache(maxsize=1)
def corpus_words() -> frozenset[str]:
    return frozenset(re.findall(r"\b[A-Z][A-Z0-9_]*\b", setting_corpus()))


# -- endpoints -----------------------------------------------------------------------------------

_ENDPOINT = re.compile(r"/api/v1(?:/[^\s`'\"()|,;*\[\]]*)?")
_PLACEHOLDER = re.compile(r"^(\{[^}]*\}|<[^>]*>|\$\{?\w+\}?|:\w+|…|\.\.\.)$")


@lru_cache(maxsize=1)
def documented_paths() -> frozenset[tuple[str, ...]]:
    """Every path of the four OpenAPI documents, as segments."""
    return frozenset(tuple(p.strip("/").split("/")) for s in SERVICES for p in openapi(s)["paths"])


def endpoint_claims():
    for path in doc_files():
        for n, line, _fenced in lines(path):
            for found in _ENDPOINT.findall(line):
                clean = found.split("?")[0].rstrip(".:/")
                if clean.endswith("...") or "…" in clean or clean == "/api/v1":
                    continue
                yield Claim(path, n, clean), clean


def _segment_matches(doc: str, api: str) -> bool:
    """A parameter takes any value or placeholder; a placeholder (``<prefix>``) stands for any segment."""
    return api.startswith("{") or doc == api or _PLACEHOLDER.match(doc) is not None


def endpoint_exists(path: str) -> bool:
    """The path is an operation's path (or the prefix of some: a blueprint's, "/api/v1/plans and below")."""
    segments = tuple(path.strip("/").split("/"))
    for api in documented_paths():
        if len(api) >= len(segments) and all(_segment_matches(d, a) for d, a in zip(segments, api)):
            return True
    return False


# -- events --------------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<![\w.])([A-Z][a-z]+(?:[A-Z][a-z]+)+)(?![\w(])")


@lru_cache(maxsize=1)
def catalog() -> frozenset[str]:
    from kinerja_shared.events.catalog import CATALOG

    return frozenset(CATALOG)


@lru_cache(maxsize=1)
def event_subjects() -> frozenset[str]:
    """The subjects of the catalog's names (EvaluationClosed -> Evaluation, UnitPredicateSet -> UnitPredicate)."""
    return frozenset(re.sub(r"[A-Z][a-z]+$", "", name) for name in catalog())


def looks_like_event(word: str) -> bool:
    """Named like the catalog's events: a subject of the catalog, then a verb in the past (…ed, …en, …wn, Set)."""
    verb = re.search(r"[A-Z][a-z]+$", word).group(0)
    subject = word[: -len(verb)]
    return subject in event_subjects() and (verb.endswith(("ed", "en", "wn")) or verb == "Set")


def event_claims():
    for path in doc_files():
        for n, line, _fenced in lines(path):
            for word in _CAMEL.findall(line):
                if looks_like_event(word):
                    yield Claim(path, n, word), word


# -- the library's names ---------------------------------------------------------------------------

_LIBRARY_NAME = re.compile(r"\bkinerja_shared(?:\.[A-Za-z_]\w*)+")


def library_claims():
    for path in doc_files():
        for n, line, _fenced in lines(path):
            for name in _LIBRARY_NAME.findall(line):
                yield Claim(path, n, name), name


def library_name_exists(name: str) -> bool:
    """The longest importable module prefix, then attributes (a trailing ``.py`` names the module's file)."""
    import importlib

    parts = name.removesuffix(".py").split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


# -- files ---------------------------------------------------------------------------------------

_REPO_PATH = re.compile(r"(?<![\w./-])((?:docs|deploy|services|shared|tests|web|bench|\.ci)/[\w./{}<>*-]*\w)")
_MD_NAME = re.compile(r"(?<![\w/.-])([A-Z][A-Z_]+\.md)\b")


def file_claims():
    """Repository paths named in code spans (``deploy/gateway/nginx.conf``) and Markdown files by name."""
    for path in doc_files():
        for n, text in code_parts(path):
            for found in _REPO_PATH.findall(text):
                if "kubectl" in text and re.match(r"deploy/[\w-]+$", found):
                    continue  # kubectl's deploy/<name>: a Deployment, not a folder
                if not re.search(r"[{}<>*]", found):
                    yield Claim(path, n, found), found
        for n, line, _fenced in lines(path):
            for name in _MD_NAME.findall(line):
                yield Claim(path, n, name), name


def file_exists(name: str) -> bool:
    """The file is in the repository, or is what a command writes (a git-ignored or results/ path
    in an existing folder)."""
    if "/" not in name:
        return (ROOT / name).exists() or any(ROOT.glob(f"*/{name}"))
    path = ROOT / name
    if path.exists():
        return True
    if not path.parent.exists():
        return False

    ignored = any(
        subprocess.run(["git", "check-ignore", "-q", candidate], cwd=ROOT).returncode == 0
        for candidate in (name, name + "/")
    )
    return ignored or path.parent.name == "results"


__all__ = [
    "Claim",
    "command_claims",
    "pipe_lists",
    "command_exists",
    "common_commands",
    "cli_commands",
    "setting_claims",
    "setting_exists",
    "endpoint_claims",
    "endpoint_exists",
    "event_claims",
    "catalog",
    "library_claims",
    "library_name_exists",
    "file_claims",
    "file_exists",
    "spec_of",
]
