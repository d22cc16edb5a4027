"""Safe downloads: CSV cells a spreadsheet would run are neutralised, Content-Disposition cannot be broken by
a name, and every response says nosniff."""

import csv
import io

import pytest
from werkzeug.http import parse_options_header

from kinerja_shared.web.downloads import content_disposition, csv_cell, csv_text

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_read_as_a_formula_is_written_as_text(text):
    assert csv_cell(text) == "'" + text
    table = list(csv.reader(io.StringIO(csv_text(["name", "n"], [{"name": text, "n": -2}]), newline="")))
    assert table == [["name", "n"], ["'" + text, "-2"]]


def test_ordinary_cells_and_numbers_are_unchanged():
    for value in ("Budi Santoso", "Sangat Baik", "2026-01-01", "a=b", "", None, -2, 4.688):
        assert csv_cell(value) == value


@pytest.mark.parametrize(
    "name",
    [
        'predicates-a"b;c-2026-Q1.csv',
        "laporan\r\nSet-Cookie: x=1.csv",
        "a\\b'c.csv",
        "Laporan Kinerja é 📄.pdf",
        "=cmd|' /C calc'!A0.csv",
        '";.csv',
        "\ud800.csv",
    ],
)
def test_content_disposition_keeps_the_name_inside_its_parameters(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and header.isascii()
    disposition, params = parse_options_header(header)
    assert disposition == "attachment"
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback and all(c.isalnum() or c in "._-" for c in fallback)
    assert header.count('"') == 2 and header.count(";") == 2
    if "\ud800" not in name:
        assert params["filename"] == name  # filename* wins and carries the exact name


def test_every_response_carries_nosniff(probe):
    nip = "199001012015011001"
    answers = [
        probe.client.post("/api/v1/notes", json={"nip": nip, "text": "x"}, headers=probe.token(nip)),
        probe.client.get("/api/v1/nothing", headers=probe.token(nip)),
        probe.client.post("/api/v1/notes", json={}),
        probe.client.get("/healthz"),
        probe.client.get("/openapi.json"),
    ]
    assert [a.headers.get("X-Content-Type-Options") for a in answers] == ["nosniff"] * len(answers)
