"""Reading and checking a directory import, alone (no Flask, no database)."""

import json
from datetime import date

import pytest

from plan_service import importer
from plan_service.importer import ImportFileError, check, parse

TODAY = date(2026, 6, 15)
A, B, C = "199001012015011003", "199202022016022004", "198001012005011002"
UNITS = {
    "dinas": {"name": "Dinas", "parent_id": None, "path": ["dinas"], "head_nip": None},
    "bidang": {"name": "Bidang", "parent_id": "dinas", "path": ["dinas", "bidang"], "head_nip": None},
}


def run(text: str, *, filename=None, units=UNITS, employees=None, content_type=None):
    parsed = parse(text.encode("utf-8"), filename=filename, content_type=content_type)
    return check(parsed, existing_units=units, existing_employees=employees or {}, default_effective=TODAY, today=TODAY)


def errors(plan):
    return [(e.line, e.field) for e in plan.errors]


def test_csv_with_semicolons_a_bom_and_indonesian_headers():
    text = (
        "\ufeffNIP;Nama;Jabatan;Unit;NIP Atasan;aktif\n"
        f"{C};Kepala Bidang;Kabid;bidang;;ya\n"
        f"{A};Andi;Perawat;bidang;{C};1\n"
    )
    plan = run(text, filename="pegawai.csv")
    assert plan.errors == []
    assert [(e.nip, e.action) for e in plan.employees] == [(C, "created"), (A, "created")]
    andi = plan.employees[1].after
    assert (andi["name"], andi["position"], andi["unit_id"], andi["rater_nip"], andi["active"]) == (
        "Andi",
        "Perawat",
        "bidang",
        C,
        True,
    )


def test_every_bad_row_is_reported_with_its_line_and_field():
    text = (
        "nip,name,unit_id,rater_nip,email,functional_coefficient,active,effective_date\n"
        f"{A},Andi,bidang,{C},andi@binjaikota.go.id,,,\n"  # line 2: the rater is unknown
        "199213172019031004,Bad Date,bidang,,,,,\n"  # line 3: birth month 13
        f"{B},,nowhere,,not-an-email,-3,maybe,2026-02-30\n"  # line 4: five problems
        "\n"  # line 5: blank, skipped
        f"{A},Andi Again,bidang,,,,,\n"
    )  # line 6: a repeated NIP
    plan = run(text)
    assert errors(plan) == [
        (2, "rater_nip"),
        (3, "nip"),
        (4, "name"),
        (4, "email"),
        (4, "unit_id"),
        (4, "functional_coefficient"),
        (4, "active"),
        (4, "effective_date"),
        (6, "nip"),
    ]
    assert "line 2" in [e for e in plan.errors if e.line == 6][0].message
    assert plan.errors[1].message.startswith("digits 1-8 must be a valid birth date")


def test_the_rater_may_come_later_in_the_same_file_and_the_superior_is_derived():
    text = f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,{C}\n{C},Kabid,bidang,{B}\n{B},Kadis,dinas,\n"
    plan = run(text)
    assert plan.errors == []
    by_nip = {e.nip: e.after for e in plan.employees}
    assert by_nip[A]["rater_superior_nip"] == B and by_nip[C]["rater_superior_nip"] is None


def test_an_unchanged_row_is_unchanged_and_absent_columns_keep_stored_values():
    stored = {
        A: {
            "nip": A,
            "name": "Andi",
            "position": "Perawat",
            "rank": None,
            "grade": None,
            "unit_id": "bidang",
            "rater_nip": None,
            "rater_superior_nip": None,
            "email": None,
            "phone": "0812",
            "functional_coefficient": 12.0,
            "active": True,
            "version": 3,
        }
    }
    plan = run(f"nip,name,unit_id,functional_coefficient\n{A},Andi,bidang,12\n", employees=stored)
    assert [(e.action, e.changed) for e in plan.employees] == [("unchanged", [])]
    assert plan.employees[0].after["phone"] == "0812"  # no phone column: kept
    plan = run(f"nip,name,unit_id,phone\n{A},Andi,dinas,\n", employees=stored)
    [op] = plan.employees
    assert (op.action, op.changed, op.tracked_changes) == ("updated", ["unit_id", "phone"], ["unit_id"])
    assert op.after["phone"] is None  # an empty cell clears


def test_json_rows_report_the_line_where_they_start():
    document = {
        "units": [{"id": "seksi", "name": "Seksi", "parent_id": "bidang"}, {"id": "x y", "name": "Bad"}],
        "employees": [
            {"nip": A, "name": "Andi", "unit_id": "seksi"},
            {"nip": "123", "name": "Short", "unit_id": "seksi"},
            {"nip": B, "name": 42.5, "unit_id": "seksi", "extra": 1},
        ],
    }
    plan = run(json.dumps(document, indent=2))
    lines = json.dumps(document, indent=2).splitlines()
    assert errors(plan)[0][1] == "id" and lines[errors(plan)[0][0] - 1].strip() == "{"
    assert [f for _, f in errors(plan)] == ["id", "nip"]
    assert all(line is not None for line, _ in errors(plan))
    assert plan.ignored_columns == ["employees.extra"]
    [seksi] = [u for u in plan.units if u.id == "seksi"]
    assert seksi.after["path"] == ["dinas", "bidang", "seksi"] and seksi.action == "created"
    assert [e.after["name"] for e in plan.employees if e.nip == B] == ["42.5"]


def test_a_bare_json_list_is_a_list_of_employees():
    plan = run(json.dumps([{"nip": A, "name": "Andi", "unit_id": "bidang"}]), content_type="application/json")
    assert [e.action for e in plan.employees] == ["created"]


def test_units_from_csv_columns_and_conflicting_names():
    text = (
        "nip,name,unit_id,unit_name,parent_unit_id\n"
        f"{A},Andi,seksi,Seksi Rujukan,bidang\n"
        f"{B},Siti,seksi,Seksi Lain,bidang\n"
    )
    plan = run(text)
    assert errors(plan) == [(3, "unit_name")]
    assert [(u.id, u.action, u.after["path"]) for u in plan.units] == [
        ("seksi", "created", ["dinas", "bidang", "seksi"])
    ]


def test_unit_cycles_and_unknown_parents_are_refused():
    plan = run(json.dumps({"units": [{"id": "dinas", "name": "Dinas", "parent_id": "bidang"}]}))
    assert [(e.field, "cycle" in e.message) for e in plan.errors] == [("parent_id", True)]
    plan = run(json.dumps({"units": [{"id": "baru", "name": "Baru", "parent_id": "nowhere"}]}))
    assert [e.field for e in plan.errors] == ["parent_id"]


def test_moving_a_unit_moves_its_descendants():
    plan = run(
        json.dumps({"units": [{"id": "lain", "name": "Lain"}, {"id": "bidang", "name": "Bidang", "parent_id": "lain"}]})
    )
    assert plan.errors == []
    paths = {u.id: (u.action, u.after["path"]) for u in plan.units}
    assert paths == {"lain": ("created", ["lain"]), "bidang": ("updated", ["lain", "bidang"])}


@pytest.mark.parametrize(
    "data,field",
    [
        (b"\xff\xfe\x00bad", "file"),
        (b"   ", "file"),
        (b"name,unit_id\nA,b\n", "file"),  # no nip column
        (b"nip,nip\n1,2\n", "file"),
        (b'{"employees": {"nip": 1}}', "employees"),
        (b'{"employees": [', "file"),
        (b"42", "file"),
    ],
)
def test_unreadable_files(data, field):
    with pytest.raises(ImportFileError) as caught:
        parse(data, filename="x.json" if data.startswith(b"{") or data == b"42" else "x.csv")
    assert caught.value.field == field


def test_summary_counts():
    plan = run(f"nip,name,unit_id\n{A},Andi,bidang\n")
    assert plan.summary() == {
        "units": {"created": 0, "updated": 0, "unchanged": 0},
        "employees": {"created": 1, "updated": 0, "unchanged": 0},
        "acting_heads": {"created": 0, "updated": 0, "unchanged": 0},
    }
    assert importer.referenced_nips(parse(f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,{C}\n".encode())) == {A, C}


@pytest.mark.parametrize("value", ["101", "1e308", "inf", "nan"])
def test_a_coefficient_outside_the_documented_bounds_is_refused(value):
    plan = run(f"nip,name,unit_id,functional_coefficient\n{A},Andi,bidang,{value}\n")
    assert errors(plan) == [(2, "functional_coefficient")]
    assert "from 0 to 100" in plan.errors[0].message


def test_a_coefficient_keeps_three_decimals():
    plan = run(f'nip,name,unit_id,functional_coefficient\n{A},Andi,bidang,"3,7549"\n')
    assert plan.employees[0].after["functional_coefficient"] == 3.755


D = "199606062020011005"


def test_a_rater_cycle_within_the_file_is_refused_on_the_row_that_closes_it():
    # A is rated by B and B by A: the second row closes the cycle.
    plan = run(f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,{B}\n{B},Budi,bidang,{A}\n")
    assert errors(plan) == [(3, "rater_nip")]
    assert "cycle" in plan.errors[0].message and A in plan.errors[0].message and B in plan.errors[0].message
    assert plan.errors[0].key == B
    # three long: A -> B -> C -> A, closed on line 4
    plan = run(f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,{B}\n{B},Budi,bidang,{C}\n{C},Citra,bidang,{A}\n")
    assert errors(plan) == [(4, "rater_nip")]
    # self-rating
    assert errors(run(f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,{A}\n")) == [(2, "rater_nip")]


def _stored(nip, rater):
    return {
        "nip": nip,
        "name": nip,
        "position": None,
        "rank": None,
        "grade": None,
        "unit_id": "bidang",
        "rater_nip": rater,
        "rater_superior_nip": None,
        "email": None,
        "phone": None,
        "functional_coefficient": None,
        "active": True,
        "version": 1,
    }


def test_a_rater_cycle_through_stored_employees_is_refused():
    # Stored: B is rated by C, C by D. The file makes D rated by B: B -> C -> D -> B.
    stored = {B: _stored(B, C), C: _stored(C, D), D: _stored(D, None)}
    plan = check(
        parse(f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,\n{D},Dedi,bidang,{B}\n".encode()),
        existing_units=UNITS,
        existing_employees={D: stored[D], B: stored[B]},
        default_effective=TODAY,
        today=TODAY,
        stored_raters={nip: e["rater_nip"] for nip, e in stored.items()},
    )
    assert errors(plan) == [(3, "rater_nip")]
    assert all(n in plan.errors[0].message for n in (B, C, D))
    assert plan.employees == [] or D not in [e.nip for e in plan.employees]


def test_a_file_that_breaks_a_stored_link_makes_no_cycle():
    # Stored: B is rated by A. The file makes A rated by B, and moves B under C: no cycle in the result.
    stored = {B: _stored(B, A), A: _stored(A, None), C: _stored(C, None)}
    plan = check(
        parse(f"nip,name,unit_id,rater_nip\n{A},Andi,bidang,{B}\n{B},Budi,bidang,{C}\n".encode()),
        existing_units=UNITS,
        existing_employees=stored,
        default_effective=TODAY,
        today=TODAY,
        stored_raters={nip: e["rater_nip"] for nip, e in stored.items()},
    )
    assert plan.errors == []
