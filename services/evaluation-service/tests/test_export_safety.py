"""The predicates CSV export is safe to open: names a spreadsheet would run as formulas arrive as text, and a
unit id with quotes and semicolons cannot break the Content-Disposition header."""

import csv
import io

from werkzeug.http import parse_options_header

from .test_units_api import COLLEAGUE, EMPLOYEE, HEAD, THIRD, _submit

FOURTH = "199404042018011008"
HOSTILE_UNIT = 'a"b;c'
NAMES = {EMPLOYEE: '=HYPERLINK("http://x","y")', COLLEAGUE: "+1+1", THIRD: "-2", FOURTH: "@SUM(1)"}


def test_formula_names_reach_the_csv_neutralised(evaluation):
    evaluation.org()
    evaluation.apply(*[evaluation.ev.employee(nip, name=name) for nip, name in NAMES.items()])
    evaluation.apply(*[evaluation.ev.plan(nip) for nip in NAMES])
    for e in evaluation.evaluations():
        _submit(evaluation, e["id"], "meets", "meets", close=True)
    r = evaluation.get(
        "/api/v1/unit-performance/opd/export", HEAD, query_string={"period_id": evaluation.period().id, "format": "csv"}
    )
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    names = {row["nip"]: row["name"] for row in csv.DictReader(io.StringIO(r.get_data(as_text=True)))}
    assert names == {nip: "'" + name for nip, name in NAMES.items()}


def test_a_hostile_unit_id_cannot_break_the_download_header(evaluation):
    e = evaluation.ev
    evaluation.apply(
        e.employee(HEAD, unit_id=HOSTILE_UNIT, unit_path=[HOSTILE_UNIT], rater=None, is_head=True),
        e.employee(EMPLOYEE, unit_id=HOSTILE_UNIT, unit_path=[HOSTILE_UNIT], rater=HEAD),
    )
    period = evaluation.period().id
    r = evaluation.get(
        f"/api/v1/unit-performance/{HOSTILE_UNIT}/export", HEAD, query_string={"period_id": period, "format": "csv"}
    )
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    header = r.headers["Content-Disposition"]
    disposition, params = parse_options_header(header)
    assert disposition == "attachment" and params["filename"] == f"predicates-{HOSTILE_UNIT}-{period}.csv"
    assert f'filename="predicates-a_b_c-{period}.csv"' in header and header.count('"') == 2
