"""The four service READMEs read alike (issue 19): the same headings, in the same order; the events they
say go out and come in are the catalog's and the handlers'; the code map names files that exist."""

from __future__ import annotations

import re

import pytest

from .endpoint_tables import ROOT, SERVICES, spec_of

HEADINGS = ["What it owns", "Endpoints", "Events in and out", "Commands", "Settings", "Code map", "Tests"]


def readme(service: str) -> str:
    return (ROOT / "services" / service / "README.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no '## {heading}'"
    return match.group(1)


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_readme_has_the_same_headings(service):
    text = readme(service)
    assert text.startswith(f"# {service}\n")
    assert re.findall(r"^## (.+)$", text, re.M) == HEADINGS


@pytest.mark.parametrize("service", SERVICES)
def test_the_events_section_names_what_the_service_publishes_and_handles(service):
    from kinerja_shared.events.catalog import CATALOG

    named = set(re.findall(r"\b([A-Z][a-z]+(?:[A-Z][a-z]+)+)\b", section(readme(service), "Events in and out")))
    published = {name for name, event in CATALOG.items() if event.producer == service}
    handled = set(spec_of(service).handlers or {})
    named &= set(CATALOG)
    assert named == published | handled, (
        f"missing: {sorted((published | handled) - named)}, not the service's: {sorted(named - published - handled)}"
    )


def code_map_entries(service: str) -> list[str]:
    """The names in the first column of the code map's block (``use_cases/``, ``store.py``, ``*_api.py``)."""
    block = re.search(r"```\n(.*?)```", section(readme(service), "Code map"), re.S).group(1)
    names = []
    for line in block.splitlines()[1:]:
        if line.startswith("  ") and not line.startswith("   "):
            first = re.split(r"\s{2,}", line.strip())[0]
            names += [n.strip() for n in re.split(r",\s*", first) if n.strip()]
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_the_code_map_names_files_that_exist(service):
    """Active once the service has its use_cases (issue 19's new shape): before it, the map describes the
    shape the service is being moved to."""
    package = ROOT / "services" / service / service.replace("-", "_")
    if not ((package / "use_cases").is_dir() or (package / "use_cases.py").is_file()):
        pytest.skip(f"{service} has no use_cases yet")
    missing = []
    for name in code_map_entries(service):
        path = name.split(" ")[0]
        if not list(package.glob(path.rstrip("/"))):
            missing.append(name)
    assert not missing, f"services/{service}/README.md, Code map, names what is not there: {missing}"
