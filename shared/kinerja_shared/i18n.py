"""People-facing texts in Bahasa Indonesia (the default) or English, chosen by ``Accept-Language``.

The code keeps writing its messages in English, as it always has (``field_error("cursor", "is
not one this service gave out")``, ``NotFound(f"plan {plan_id} does not exist")``); the catalogue
maps each English *template* to its Indonesian text and a stable ``code``::

    from kinerja_shared.i18n import catalogue
    catalogue.add("plan_not_found", "plan {plan_id} does not exist", "rencana {plan_id} tidak ada")
    catalogue.label("quantity", "Jumlah")   # errors[].message: "Jumlah (quantity): ..."

A rendered English text is matched against the templates (the most specific first), its
placeholders are captured and translated in turn when the catalogue knows them, and the
Indonesian template is filled in. A text the catalogue does not know is returned unchanged;
shared/tests/test_i18n.py and each service's tests/test_messages.py fail when the code can
produce a text without an Indonesian version, so adding a message means adding its catalogue line
(shared texts: ``kinerja_shared.messages``; service texts: ``<service>/messages.py``).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

ID, EN = "id", "en"
LANGUAGES = (ID, EN)  # the first is the default when Accept-Language names neither
DEFAULT = ID

_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=\S)")
# A placeholder's value holds no "; " or ". " (so "{rule}: ..." cannot swallow a list of rules), except
# these, which stand for several sentences or "; "-joined items:
SPANNING = ("rules", "reasoning", "details")
# Texts (and placeholder values translated in turn) longer than these are matched exactly or left as
# they are: a value a client sent, echoed in a message, cannot make the template search expensive.
MAX_MATCHED_CHARS = 1500
MAX_NESTED_CHARS = 300


@dataclass(frozen=True)
class Entry:
    code: str
    en: str
    id: str
    pattern: re.Pattern
    literal: int  # characters outside placeholders: the more, the more specific
    pieces: tuple[str, ...] = ()  # the literal parts in order: a quick test before the pattern

    def may_match(self, text: str) -> bool:
        at = 0
        for piece in self.pieces:
            at = text.find(piece, at)
            if at < 0:
                return False
            at += len(piece)
        return True

    def render(self, lang: str, params: dict) -> str:
        return (self.en if lang == EN else self.id).format_map(_Verbatim(params))


class _Verbatim(dict):
    """Placeholder values for ``format_map``; a placeholder without one stays as written. (A client may send
    the template's own text as a value, e.g. the path /plans/{plan_id}: the message then equals the
    English template exactly, with no values, and must still render.)"""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _literals(template: str) -> tuple[str, ...]:
    return tuple(text for text, _name, _spec, _conv in string.Formatter().parse(template) if text)


def _compile(template: str) -> tuple[re.Pattern, int, tuple[str, ...]]:
    parts, names, literal = [], [], 0
    for text, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(text))
        literal += len(text)
        if name is not None:
            if name in names:
                parts.append(f"(?P={name})")
            else:
                value = ".+?" if name in SPANNING else r"(?:(?![.;] ).)+?"
                parts.append(f"(?P<{name}>{value})")
                names.append(name)
    return re.compile("".join(parts), re.DOTALL), literal, tuple(names)


class Catalogue:
    """English template → (code, Indonesian template), plus Indonesian names of API fields."""

    def __init__(self):
        self._entries: dict[str, Entry] = {}
        self._codes: dict[str, str] = {}
        self._sorted: list[Entry] | None = None
        self._found: dict[str, tuple[Entry, dict] | None] = {}  # recent matches (error answers repeat)
        self.labels: dict[str, str] = {}

    def add(self, code: str, en: str, id: str) -> None:
        pattern, literal, names = _compile(en)
        _, _, id_names = _compile(id)
        if set(id_names) != set(names):
            raise ValueError(
                f"{code}: the Indonesian text must use the placeholders {sorted(names)}, not {sorted(id_names)}"
            )
        if literal == 0:
            raise ValueError(f"{code}: a template needs some text besides placeholders")
        known = self._entries.get(en)
        if known is not None and (known.id != id or known.code != code):
            raise ValueError(f"{en!r} is already in the catalogue as {known.code}: {known.id!r}")
        if self._codes.get(code, en) != en:
            raise ValueError(f"code {code} is already used for {self._codes[code]!r}")
        self._entries[en] = Entry(code, en, id, pattern, literal, _literals(en))
        self._codes[code] = en
        self._sorted = None
        self._found.clear()

    def update(self, entries, namespace: str | None = None) -> None:
        """Add many: an iterable of (code, en, id); a service's codes read ``<namespace>.<code>``."""
        for code, en, id_text in entries:
            self.add(f"{namespace}.{code}" if namespace else code, en, id_text)

    def label(self, field: str, name_id: str) -> None:
        self.labels[field] = name_id

    def entries(self) -> list[Entry]:
        if self._sorted is None:
            self._sorted = sorted(self._entries.values(), key=lambda e: (-e.literal, e.en))
        return self._sorted

    def match(self, text: str) -> tuple[Entry, dict] | None:
        """The entry whose English template renders as ``text``, with the placeholder values."""
        if not isinstance(text, str) or not text:
            return None
        exact = self._entries.get(text)
        if exact is not None:
            return exact, {}
        if len(text) > MAX_MATCHED_CHARS:
            return None
        if text in self._found:
            return self._found[text]
        result = None
        for entry in self.entries():
            if entry.may_match(text):
                found = entry.pattern.fullmatch(text)
                if found is not None:
                    result = entry, found.groupdict()
                    break
        if len(self._found) > 2048:
            self._found.clear()
        self._found[text] = result
        return result

    def translate(self, text: str, lang: str = DEFAULT, *, _depth: int = 0) -> str:
        """``text`` in ``lang``: English texts are returned unchanged, unknown texts too."""
        if lang == EN or not isinstance(text, str) or not text or _depth > 4:
            return text
        found = self.match(text)
        if found is not None:
            entry, params = found
            return entry.render(
                lang,
                {
                    k: self.translate(v, lang, _depth=_depth + 1) if len(v) <= MAX_NESTED_CHARS or k in SPANNING else v
                    for k, v in params.items()
                },
            )
        segments = self._segments(text)
        if segments is None:
            return text
        return " ".join(self.translate(piece, lang, _depth=_depth + 1) + tail for piece, tail in segments)

    def _segments(self, text: str) -> list[tuple[str, str]] | None:
        """Several sentences (or "; "-joined rules), each one the catalogue knows: [(text, trailing
        punctuation)], the longest known run of pieces first; None when some piece is unknown."""
        if len(text) > MAX_MATCHED_CHARS:
            return None
        pieces = _SENTENCE_END.split(text)
        if len(pieces) < 2 or len(pieces) > 40:
            return None
        out, i = [], 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                run = " ".join(pieces[i:j])
                if self.match(run) is not None:
                    out.append((run, ""))
                    break
                if run[-1] in ".;" and self.match(run[:-1]) is not None:
                    out.append((run[:-1], run[-1]))
                    break
            else:
                return None
            i = j
        return out

    def code(self, text: str) -> str | None:
        found = self.match(text)
        return found[0].code if found else None

    def knows(self, text: str) -> bool:
        """True when ``text`` (or each of its sentences) has an Indonesian text."""
        return self.match(text) is not None or self._segments(text) is not None

    def field_label(self, field: str, lang: str = DEFAULT) -> str:
        """How a message names ``field``: ``Jumlah (quantity)`` in Indonesian when known."""
        if lang == EN or not field or field.startswith("("):
            return field
        leaf = next((p for p in reversed(str(field).split(".")) if not p.isdigit()), "")
        name = self.labels.get(field) or self.labels.get(leaf)
        return f"{name} ({field})" if name else field


catalogue = Catalogue()


def negotiate(header_languages=None) -> str:
    """The language of the current request (``Accept-Language``; Indonesian by default)."""
    if header_languages is None:
        from flask import has_request_context, request

        if not has_request_context():
            return DEFAULT
        header_languages = request.accept_languages
    return header_languages.best_match(LANGUAGES, default=DEFAULT) or DEFAULT


def current_language() -> str:
    """The request's language, remembered on ``g`` so the response can say which one it used."""
    from flask import g, has_request_context

    lang = negotiate()
    if has_request_context():
        g.content_language = lang
    return lang


def t(text: str, lang: str | None = None) -> str:
    """Translate one English text to the request's language (or ``lang``)."""
    _load()
    return catalogue.translate(text, lang or current_language())


_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from . import messages  # noqa: F401  (registers the shared texts)


def load() -> Catalogue:
    _load()
    return catalogue


def _localized_field():
    import marshmallow as ma

    class LocalizedString(ma.fields.String):
        """A people-facing text the service writes in English, dumped in the request's language
        (Indonesian unless Accept-Language asks for English)."""

        def _serialize(self, value, attr, obj, **kwargs):
            value = super()._serialize(value, attr, obj, **kwargs)
            return t(value) if value is not None else None

    return LocalizedString


LocalizedString = _localized_field()
