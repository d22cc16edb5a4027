"""Message templates: plain-text Jinja2 files kept in the package, one per category and language.

``templates/<locale>/<category>.txt``: the first line is the title (the e-mail subject), the
rest the body. Bahasa Indonesia (``id``) is the default and complete set; English (``en``)
is optional per category (a missing English file falls back to Indonesian). Files starting
with ``_`` are building blocks of e-mails (footer, batch).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from . import domain

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["predicate"] = domain.predicate_name
    env.filters["org_predicate"] = lambda code: domain.ORG_PREDICATE_NAMES_ID.get(code, code)
    env.filters["rating"] = domain.rating_name
    return env


def _template(locale: str, name: str):
    env = _environment()
    try:
        return env.get_template(f"{locale}/{name}.txt")
    except TemplateNotFound:
        if locale == "id":
            raise
        return env.get_template(f"id/{name}.txt")


def render(category: str, locale: str, params: dict) -> tuple[str, str]:
    """(title, body) of a category's message in ``locale`` (falls back to Indonesian)."""
    text = _template(locale, category).render(**params, locale=locale, fmt_date=lambda d: _fmt_date(d, locale))
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def render_block(name: str, locale: str, **params) -> str:
    """A building block (``_email_footer``, ``_email_batch``) rendered to text."""
    return _template(locale, name).render(**params, locale=locale, fmt_date=lambda d: _fmt_date(d, locale)).strip()


def _fmt_date(value, locale: str) -> str:
    from datetime import date

    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return domain.format_date(value, locale)
