"""Move every pin of constraints.txt to its latest compatible release: `make update-pins` (issue 14).

CI never moves a pin (the same commit must pass tomorrow as today); this routine command does, on a
developer's machine, as a reviewed change:

1. In a scratch virtual environment, install the four services, the common library, the test tools,
   pip-audit and every package constraints.txt pins today, unpinned, except those listed in
   ``audit_dependencies.HELD_BACK`` (kept at their pin, with the reason printed): pip's resolver picks the
   newest release of each that fits all the others.
2. Write its ``pip freeze`` (editable projects left out) back to constraints.txt, sorted as before, and
   print what moved.
3. Unless ``--no-test``: reinstall the project's .venv from the new pins (``make install``) and run the
   tests (``make test``).
4. Run the audit with ``--strict`` and write its report (``--report``, default
   tests/security/results/dependency-audit.json): now every pin not held back is the latest release, so
   the package index audits it, and a known vulnerability or an unaudited pin fails.

``--dry-run`` prints what would move and writes nothing. Needs the package index; CI does not run it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

try:  # imported by the tests as part of the tests.security package
    from .audit_dependencies import HELD_BACK, canonical, read_pins
except ImportError:  # run as a script: python tests/security/update_pins.py
    from audit_dependencies import HELD_BACK, canonical, read_pins

ROOT = Path(__file__).resolve().parents[2]
PROJECTS = [
    "shared",
    "services/plan-service",
    "services/activity-service",
    "services/evaluation-service",
    "services/notification-service",
]
TOOLS = ["pip-audit"]  # besides the Makefile's DEV_TOOLS, which every pin list keeps anyway


def parse_freeze(text: str) -> dict[str, str]:
    """``name==version`` lines of ``pip freeze``; editable and direct-reference lines are not pins."""
    pins = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-e ")) or " @ " in line or "==" not in line:
            continue
        name, _, version = line.partition("==")
        pins[name.strip()] = version.strip()
    return pins


def merge(old: dict[str, str], new: dict[str, str], held: set[str]) -> tuple[list[str], list[str]]:
    """(constraints lines, change lines). Names keep the spelling pip freeze gives; held pins never move."""
    by_canonical = {canonical(n): (n, v) for n, v in new.items()}
    for name, version in old.items():
        if name in held:
            spelled = by_canonical.get(name, (name, version))[0]
            by_canonical[name] = (spelled, version)
    changes = []
    for key, (name, version) in sorted(by_canonical.items()):
        before = old.get(key)
        if before is None:
            changes.append(f"+ {name}=={version} (new dependency)")
        elif before != version:
            changes.append(f"~ {name} {before} -> {version}")
    for key in sorted(set(old) - set(by_canonical)):
        changes.append(f"- {key}=={old[key]} (no longer needed)")
    lines = [f"{name}=={version}" for name, version in sorted(by_canonical.values(), key=lambda nv: nv[0].lower())]
    return lines, changes


def resolve(old: dict[str, str], held: set[str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="kinerja-pins-") as scratch:
        venv.create(scratch, with_pip=True)
        python = str(Path(scratch) / "bin" / "python")
        wanted = [f"{name}=={version}" if name in held else name for name, version in sorted(old.items())]
        editable = [arg for project in PROJECTS for arg in ("-e", str(ROOT / project))]
        subprocess.run(
            [python, "-m", "pip", "install", "-q", "--upgrade", *editable, *wanted, *TOOLS], check=True, cwd=ROOT
        )
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
        ).stdout
    return parse_freeze(frozen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt", help="the pins to move")
    parser.add_argument("--dry-run", action="store_true", help="print what would move; write nothing")
    parser.add_argument("--no-test", action="store_true", help="skip make install and make test")
    parser.add_argument(
        "--report",
        type=Path,
        default=ROOT / "tests" / "security" / "results" / "dependency-audit.json",
        help="where the audit report goes",
    )
    args = parser.parse_args(argv)

    old = read_pins(args.constraints)
    held = {name for name in HELD_BACK if name in old}
    for name in sorted(held):
        print(f"[pins] held back {name}=={old[name]}: {HELD_BACK[name]}")
    lines, changes = merge(old, resolve(old, held), held)
    print("\n".join(f"[pins] {c}" for c in changes) or "[pins] every pin is already the latest compatible release")
    if args.dry_run:
        return 0
    args.constraints.write_text("\n".join(lines) + "\n")
    if not args.no_test:
        subprocess.run(["make", "install"], check=True, cwd=ROOT)
        tests = subprocess.run(["make", "test"], cwd=ROOT)
        if tests.returncode:
            print(
                "[pins] the tests fail on the new pins: hold the culprit back in HELD_BACK (with its reason) "
                "and run again",
                file=sys.stderr,
            )
            return tests.returncode
    audit = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("audit_dependencies.py")),
            "--strict",
            "--constraints",
            str(args.constraints),
            "--report",
            str(args.report),
        ]
    )
    return audit.returncode


if __name__ == "__main__":
    sys.exit(main())
