"""Audit every pin of constraints.txt for known vulnerabilities (issues 9 and 14); `make audit` runs it, CI too.

1. pip-audit over constraints.txt (``--no-deps``: every line is pinned with ``==``), first against the PyPI
   vulnerability service, then against OSV, for whatever the first could not audit.
2. Where neither answers for a pin (a network that lets only the package index through, as on the build
   machines), the PyPI project document is read instead: its ``vulnerabilities`` are those of the latest
   release, so it audits exactly the pins that ARE the latest release.
3. The verdict: a known vulnerability fails (exit 1). A pin nobody could audit from here (it is behind its
   latest release, or nothing answered) is REPORTED on every run, by name and in a count, with the reason
   from HELD_BACK when it is held back on purpose, but it does not fail: the same commit must pass CI
   tomorrow as it did today, whatever upstream released since. Keeping pins fresh is a routine command,
   ``make update-pins`` (tests/security/update_pins.py), which bumps them, runs the tests and writes the
   report; it runs this audit with ``--strict``, where a pin not audited and not held back fails (exit 1)
   and no data at all fails (exit 2).

Plain ``pip-audit`` prints "No known vulnerabilities found" and exits 0 when it could audit nothing:
this script exists so that an unreachable service is never mistaken for a clean audit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
# pip-audit's services, each with the request that shows whether it answers from here (probed first,
# so an unreachable service costs seconds, not pip-audit's retries for every pin).
SERVICES = {
    "pypi": lambda name, version: urllib.request.Request(f"https://pypi.org/pypi/{name}/{version}/json"),
    "osv": lambda name, version: urllib.request.Request(
        "https://api.osv.dev/v1/query",
        method="POST",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"package": {"name": name, "ecosystem": "PyPI"}, "version": version}).encode(),
    ),
}

# Pins knowingly behind their latest release, so the project document cannot audit them: name -> reason.
# Remove an entry when the pin moves to the latest release; add one only with a reason a reviewer accepts.
HELD_BACK: dict[str, str] = {
    "sqlalchemy": "2.1 is a new minor line; the services are written and tested on 2.0 (DESIGN: SQLAlchemy 2.x)",
    "pyyaml": "6.0.4 lets a later map of a `<<: [a, b]` merge list win over an earlier one (the YAML merge "
    "spec and Docker Compose: the earlier wins), which misreads deploy/compose (tests/deploy fail)",
    "jsonschema-rs": "the version schemathesis (the fuzzing tool) accepts;"
    " the services use it for the fast event check; moves with the next schemathesis upgrade",
}


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@dataclass
class Audit:
    pins: dict[str, str]  # canonical name -> version
    vulns: dict[str, list[dict]] = field(default_factory=dict)  # audited pins -> their vulnerabilities
    sources: dict[str, str] = field(default_factory=dict)  # audited pins -> who answered
    latest: dict[str, str] = field(default_factory=dict)  # pins -> latest release, where the index said

    @property
    def unaudited(self) -> list[str]:
        return sorted(set(self.pins) - set(self.vulns))

    def record(self, name: str, vulns: list[dict], source: str) -> None:
        name = canonical(name)
        if name in self.pins and name not in self.vulns:
            self.vulns[name] = vulns
            self.sources[name] = source


def read_pins(path: Path) -> dict[str, str]:
    """name==version per line; anything looser would make ``--no-deps`` audit something else than we install."""
    pins, loose = {}, []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not version.strip() or any(c in version for c in "<>=!~*,;"):
            loose.append(line)
            continue
        pins[canonical(name.strip())] = version.strip()
    if loose:
        raise SystemExit(f"{path.name}: every line must pin one version with ==; not pinned: {', '.join(loose)}")
    return pins


def run_pip_audit(constraints: Path, service: str, timeout: int) -> list[dict]:
    """pip-audit's JSON ``dependencies`` list (entries with ``vulns`` were audited, with ``skip_reason`` were not)."""
    argv = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        str(constraints),
        "--no-deps",
        "-f",
        "json",
        "--progress-spinner",
        "off",
        "-s",
        service,
        "--timeout",
        str(timeout),
    ]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout * 20)
    except subprocess.TimeoutExpired:
        print(f"[audit] pip-audit ({service}) did not finish in {timeout * 20} s", file=sys.stderr)
        return []
    try:
        return json.loads(result.stdout).get("dependencies", [])
    except json.JSONDecodeError:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        print(f"[audit] pip-audit ({service}) gave no report: {' | '.join(tail)}", file=sys.stderr)
        return []


def reachable(service: str, name: str, version: str, timeout: int) -> bool:
    try:
        with urllib.request.urlopen(SERVICES[service](name, version), timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"[audit] pip-audit's {service} service does not answer from here ({exc}); skipped", file=sys.stderr)
        return False


def apply_pip_audit(audit: Audit, dependencies: list[dict], service: str) -> None:
    for dep in dependencies:
        if "vulns" in dep:
            audit.record(
                dep["name"],
                [
                    {"id": v["id"], "fix_versions": v.get("fix_versions", []), "aliases": v.get("aliases", [])}
                    for v in dep["vulns"]
                ],
                f"pip-audit/{service}",
            )


def project_document(name: str, timeout: int) -> dict | None:
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=timeout) as response:
            return json.load(response)
    except (urllib.error.URLError, OSError, json.JSONDecodeError):
        return None


def apply_project_document(audit: Audit, name: str, document: dict | None) -> None:
    """The document's ``vulnerabilities`` describe its latest release only: they audit a pin that is that release."""
    if not document:
        return
    latest = document.get("info", {}).get("version")
    if latest:
        audit.latest[name] = latest
    if latest != audit.pins[name]:
        return
    vulns = [
        {"id": v.get("id"), "fix_versions": v.get("fixed_in") or [], "aliases": v.get("aliases") or []}
        for v in document.get("vulnerabilities") or []
        if not v.get("withdrawn")
    ]
    audit.record(name, vulns, "pypi-project-document")


def verdict(audit: Audit, held_back: dict[str, str], strict: bool = False) -> tuple[int, list[str]]:
    """(exit code, report lines). Only a known vulnerability fails, unless ``strict``."""
    lines, code = [], 0
    vulnerable = {name: v for name, v in audit.vulns.items() if v}
    for name, vulns in sorted(vulnerable.items()):
        for v in vulns:
            fix = ", ".join(v["fix_versions"]) or "no fixed release yet"
            lines.append(f"VULNERABLE {name}=={audit.pins[name]}: {v['id']} ({', '.join(v['aliases'])}) fixed in {fix}")
        code = 1
    not_held = [n for n in audit.unaudited if n not in held_back]
    for name in audit.unaudited:
        why = held_back.get(name)
        behind = (
            f", latest is {audit.latest[name]}" if audit.latest.get(name, audit.pins[name]) != audit.pins[name] else ""
        )
        tag = (
            f"NOT AUDITED (held back: {why})"
            if why
            else f"NOT AUDITED (behind its latest release{behind}; `make update-pins` moves it)"
            if behind
            else "NOT AUDITED (no vulnerability data reached for it)"
        )
        lines.append(f"{tag}: {name}=={audit.pins[name]}")
    if strict and not_held:
        code = code or 1
    if not audit.vulns:
        lines.append("no vulnerability data was reachable for any pin (pip-audit's services and the package index)")
        if strict:
            code = 2
    by_source: dict[str, int] = {}
    for source in audit.sources.values():
        by_source[source] = by_source.get(source, 0) + 1
    lines.append(
        f"audited {len(audit.vulns)} of {len(audit.pins)} pins ("
        + ", ".join(f"{n} by {s}" for s, n in sorted(by_source.items()))
        + f"); "
        f"{sum(len(v) for v in vulnerable.values())} known vulnerabilities; {len(audit.unaudited)} not audited "
        f"({len(audit.unaudited) - len(not_held)} held back on purpose, {len(not_held)} behind or unreachable)"
    )
    return code, lines


def report(audit: Audit, held_back: dict[str, str], code: int) -> dict:
    """The audit as a JSON document (``--report``): what `make update-pins` leaves for review."""
    return {
        "verdict": "failed" if code else "passed",
        "pins": len(audit.pins),
        "audited": {
            name: {"version": audit.pins[name], "by": audit.sources[name], "vulnerabilities": audit.vulns[name]}
            for name in sorted(audit.vulns)
        },
        "not_audited": {
            name: {"version": audit.pins[name], "latest": audit.latest.get(name), "held_back": held_back.get(name)}
            for name in audit.unaudited
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt", help="the pins to audit")
    parser.add_argument("--timeout", type=int, default=20, help="network timeout in seconds per request (20)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also fail on a pin not audited and not held back (1), or on no data at all (2)",
    )
    parser.add_argument("--report", type=Path, help="write the audit as JSON to this file")
    args = parser.parse_args(argv)

    audit = Audit(read_pins(args.constraints))
    probe = next(iter(audit.pins.items()))
    for service in SERVICES:
        if audit.unaudited and reachable(service, *probe, timeout=args.timeout):
            apply_pip_audit(audit, run_pip_audit(args.constraints, service, args.timeout), service)
    with ThreadPoolExecutor(max_workers=8) as pool:
        documents = pool.map(lambda n: (n, project_document(n, args.timeout)), audit.unaudited)
        for name, document in list(documents):
            apply_project_document(audit, name, document)
    code, lines = verdict(audit, HELD_BACK, strict=args.strict)
    for line in lines:
        print("[audit] " + line)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report(audit, HELD_BACK, code), indent=2, sort_keys=True) + "\n")
        print(f"[audit] report written to {args.report}")
    print(
        "[audit] "
        + (
            "FAILED"
            if code
            else "passed"
            + (
                f" ({len(audit.unaudited)} of {len(audit.pins)} pins not audited, listed above)"
                if audit.unaudited
                else ""
            )
        )
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
