"""Issue 9, dependencies: the audit's verdict (tests/security/audit_dependencies.py; `make audit` runs it in CI).

The network part is pip-audit's and the package index's; these tests pin down what the verdict makes of
their answers, so an unreachable vulnerability service can never read as a clean audit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from . import audit_dependencies as audit_cli
from . import update_pins

ROOT = Path(__file__).resolve().parents[2]


def audit_of(**pins) -> audit_cli.Audit:
    return audit_cli.Audit({audit_cli.canonical(n): v for n, v in pins.items()})


def test_every_line_of_constraints_pins_one_version_and_held_back_names_real_pins():
    pins = audit_cli.read_pins(ROOT / "constraints.txt")
    assert "pip-audit" in pins and "flask" in pins
    assert set(audit_cli.HELD_BACK) <= set(pins), "HELD_BACK lists a package constraints.txt no longer pins"


def test_a_loose_pin_is_refused(tmp_path):
    (tmp_path / "c.txt").write_text("Flask==3.1.3\nrequests>=2\n")
    with pytest.raises(SystemExit, match="requests>=2"):
        audit_cli.read_pins(tmp_path / "c.txt")


def test_a_known_vulnerability_fails_with_its_id_and_fix():
    audit = audit_of(Jinja2="3.1.2", Flask="3.1.3")
    audit_cli.apply_pip_audit(
        audit,
        [
            {
                "name": "jinja2",
                "version": "3.1.2",
                "vulns": [{"id": "PYSEC-2024-1", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"]}],
            },
            {"name": "flask", "version": "3.1.3", "vulns": []},
        ],
        "pypi",
    )
    code, lines = audit_cli.verdict(audit, {})
    assert code == 1
    assert any("VULNERABLE jinja2==3.1.2: PYSEC-2024-1" in line and "3.1.3" in line for line in lines)


def test_pip_audit_skipping_everything_is_not_a_clean_audit():
    """Plain pip-audit exits 0 here ("No known vulnerabilities found"); the verdict reports every pin as not
    audited and says no data was reached; --strict (make update-pins) exits 2."""
    audit = audit_of(Flask="3.1.3", Werkzeug="3.1.9")
    audit_cli.apply_pip_audit(
        audit,
        [
            {"name": "flask", "skip_reason": "Dependency not found on PyPI"},
            {"name": "werkzeug", "skip_reason": "Dependency not found on PyPI"},
        ],
        "pypi",
    )
    for name in list(audit.unaudited):
        audit_cli.apply_project_document(audit, name, None)  # the index did not answer either
    code, lines = audit_cli.verdict(audit, {})
    assert code == 0
    assert sum("NOT AUDITED" in line for line in lines) == 2
    assert any("no vulnerability data was reachable" in line for line in lines)
    assert any("audited 0 of 2 pins" in line and "2 not audited" in line for line in lines)
    code, _ = audit_cli.verdict(audit, {}, strict=True)
    assert code == 2


def test_the_project_document_audits_only_a_pin_that_is_the_latest_release():
    audit = audit_of(ecdsa="0.19.2", SQLAlchemy="2.0.44", Flask="3.1.3")
    audit_cli.apply_project_document(
        audit,
        "ecdsa",
        {
            "info": {"version": "0.19.2"},
            "vulnerabilities": [
                {"id": "GHSA-wj6h-64fc-37mp", "fixed_in": [], "aliases": ["CVE-2024-23342"], "withdrawn": None}
            ],
        },
    )
    audit_cli.apply_project_document(audit, "sqlalchemy", {"info": {"version": "2.1.9"}, "vulnerabilities": []})
    audit_cli.apply_project_document(
        audit,
        "flask",
        {
            "info": {"version": "3.1.3"},
            "vulnerabilities": [
                {"id": "OLD-1", "fixed_in": ["3.1.3"], "aliases": [], "withdrawn": "2026-01-01T00:00:00Z"}
            ],
        },
    )
    assert audit.unaudited == ["sqlalchemy"]
    code, lines = audit_cli.verdict(audit, {"sqlalchemy": "held on 2.0"})
    assert code == 1 and any("VULNERABLE ecdsa==0.19.2: GHSA-wj6h-64fc-37mp" in line for line in lines)
    assert not any("OLD-1" in line for line in lines), "a withdrawn advisory must not fail the audit"


def test_a_pin_behind_its_latest_release_is_reported_by_name_not_failed_so_ci_is_repeatable():
    """Upstream releasing a new version must not fail the same commit tomorrow (issue 14): the pin is
    reported with its latest release and counted; only --strict (make update-pins) fails on it."""
    audit = audit_of(filelock="4.3.1", Flask="3.1.3")
    audit_cli.apply_project_document(audit, "flask", {"info": {"version": "3.1.3"}, "vulnerabilities": []})
    audit_cli.apply_project_document(audit, "filelock", {"info": {"version": "4.4.0"}, "vulnerabilities": []})
    code, lines = audit_cli.verdict(audit, {})
    assert code == 0
    assert any(
        "NOT AUDITED (behind its latest release, latest is 4.4.0" in line and "filelock==4.3.1" in line
        for line in lines
    )
    assert any("audited 1 of 2 pins" in line and "1 not audited" in line for line in lines)
    code, _ = audit_cli.verdict(audit, {}, strict=True)
    assert code == 1
    document = audit_cli.report(audit, {}, 0)
    assert document["not_audited"] == {"filelock": {"version": "4.3.1", "latest": "4.4.0", "held_back": None}}
    assert document["audited"]["flask"]["by"] == "pypi-project-document"


def test_a_vulnerability_fails_even_when_other_pins_are_not_audited():
    audit = audit_of(ecdsa="0.19.2", filelock="4.3.1")
    audit_cli.apply_project_document(
        audit,
        "ecdsa",
        {
            "info": {"version": "0.19.2"},
            "vulnerabilities": [
                {"id": "GHSA-wj6h-64fc-37mp", "fixed_in": [], "aliases": ["CVE-2024-23342"], "withdrawn": None}
            ],
        },
    )
    audit_cli.apply_project_document(audit, "filelock", {"info": {"version": "4.4.0"}, "vulnerabilities": []})
    code, lines = audit_cli.verdict(audit, {})
    assert code == 1 and any(line.startswith("VULNERABLE ecdsa==0.19.2") for line in lines)


def test_a_held_back_pin_is_reported_with_its_reason():
    audit = audit_of(SQLAlchemy="2.0.44", Flask="3.1.3")
    audit_cli.apply_project_document(audit, "flask", {"info": {"version": "3.1.3"}, "vulnerabilities": []})
    code, lines = audit_cli.verdict(audit, {"sqlalchemy": "held on 2.0"}, strict=True)
    assert code == 0 and any("NOT AUDITED (held back: held on 2.0): sqlalchemy==2.0.44" in line for line in lines)


def test_update_pins_moves_every_pin_but_the_held_back_ones_and_says_what_moved():
    old = {"flask": "3.1.2", "sqlalchemy": "2.0.44", "filelock": "4.3.1", "gone": "1.0"}
    frozen = update_pins.parse_freeze(
        "Flask==3.1.3\nSQLAlchemy==2.1.9\nfilelock==4.3.1\nnewdep==0.1\n"
        "-e git+https://example.invalid/x#egg=x\nlocal @ file:///tmp/x\n"
    )
    lines, changes = update_pins.merge(old, frozen, held={"sqlalchemy"})
    assert lines == ["filelock==4.3.1", "Flask==3.1.3", "newdep==0.1", "SQLAlchemy==2.0.44"]
    assert changes == ["~ Flask 3.1.2 -> 3.1.3", "+ newdep==0.1 (new dependency)", "- gone==1.0 (no longer needed)"]


def test_the_pin_tools_have_help_text():
    for script in ("audit_dependencies.py", "update_pins.py"):
        out = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "security" / script), "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "usage:" in out and "--report" in out
