"""An HR export uploaded as a JSON file is read as strictly as a request body: absurd nesting, invalid Unicode
and duplicate keys are a 422 naming the file, never a 500 (a RecursionError or an encoding error)."""

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import assert_problem  # noqa: E402

NEW_A = "199303032018011008"


def upload(svc, text: str):
    files = {"file": (io.BytesIO(text.encode("utf-8", "surrogatepass")), "pegawai.json", "application/json")}
    return svc.call(
        "POST", "/api/v1/directory/imports?dry_run=true", svc.admin, data=files, content_type="multipart/form-data"
    )


@pytest.mark.parametrize(
    "document",
    [
        '{"employees": [%s{"nip": "1"}%s]}' % ("[" * 5000, "]" * 5000),
        '{"employees": [{"nip": "%s", "name": "Dewi \\ud800", "unit_id": "bidang"}]}' % NEW_A,
        '{"employees": [{"nip": "%s", "name": "Dewi \ufffe", "unit_id": "bidang"}]}' % NEW_A,
        '{"employees": [{"nip": "%s", "name": "A", "name": "B", "unit_id": "bidang"}]}' % NEW_A,
    ],
)
def test_a_hostile_json_file_is_a_422_naming_the_file(svc, document):
    body = assert_problem(upload(svc, document), 422, "file")
    assert "\ud800" not in str(body)


def test_an_ordinary_json_file_still_imports(svc):
    r = upload(svc, '{"employees": [{"nip": "%s", "name": "Dewi \U0001f600", "unit_id": "bidang"}]}' % NEW_A)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["summary"]["employees"]["created"] == 1
