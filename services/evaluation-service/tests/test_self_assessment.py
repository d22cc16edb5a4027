"""The rules of the employee's realisation, alone (no database): evidence, bounds, files kept, the prefill, the
feedback the rater's submit needs, and what the form says about an employee who has not submitted."""

from datetime import date

import pytest

from evaluation_service import self_assessment as rules

ATTACHED = {
    "a1": [{"kind": "link", "url": "https://example.go.id/x"}, {"kind": "file", "file_id": "f1", "name": "x.pdf"}]
}


def test_evidence_links_and_picks_are_checked_and_kept_as_stored():
    [r] = rules.check_results(
        ["r1", "r2"],
        [
            {
                "result_id": "r1",
                "realisation": " 5 dokumen ",
                "narrative": "",
                "evidence": [
                    {"kind": "link", "url": " https://example.go.id/a "},
                    {"kind": "activity", "activity_id": "a1", "file_id": "f1"},
                ],
            }
        ],
        ATTACHED,
    )
    assert (r["realisation"], r["narrative"]) == ("5 dokumen", None)
    assert r["evidence"] == [
        {"kind": "link", "url": "https://example.go.id/a", "name": None},
        {"kind": "activity", "activity_id": "a1", "evidence_kind": "file", "file_id": "f1", "name": "x.pdf"},
    ]


@pytest.mark.parametrize(
    "item, field",
    [
        ({"kind": "link", "url": "javascript:alert(1)"}, "results.0.evidence.0.url"),
        ({"kind": "activity", "activity_id": "a2", "file_id": "f1"}, "results.0.evidence.0.activity_id"),
        ({"kind": "activity", "activity_id": "a1", "url": "https://example.go.id/other"}, "results.0.evidence.0.url"),
        (
            {"kind": "activity", "activity_id": "a1", "file_id": "f1", "url": "https://example.go.id/x"},
            "results.0.evidence.0.file_id",
        ),
        ({"kind": "file", "file_id": "f9"}, "results.0.evidence.0.kind"),
        ({"kind": "photo"}, "results.0.evidence.0.kind"),
    ],
)
def test_bad_evidence_names_its_field(item, field):
    with pytest.raises(rules.DomainError) as caught:
        rules.check_results(["r1"], [{"result_id": "r1", "evidence": [item]}], ATTACHED)
    assert caught.value.field == field


def test_results_and_bounds():
    with pytest.raises(rules.DomainError) as caught:
        rules.check_results(["r1"], [{"result_id": "r1"}, {"result_id": "r1"}], {})
    assert caught.value.field == "results.1.result_id"
    with pytest.raises(rules.DomainError) as caught:
        rules.check_results(["r1"], [{"result_id": "r1", "narrative": "x" * (rules.MAX_NARRATIVE + 1)}], {})
    assert caught.value.field == "results.0.narrative"


def test_uploaded_files_stay_when_a_draft_is_saved_and_count_toward_the_limit():
    stored = [
        {"result_id": "r1", "evidence": [{"kind": "file", "file_id": "f1"}]},
        {"result_id": "r2", "evidence": [{"kind": "file", "file_id": "f2"}]},
    ]
    merged = rules.merge_files(
        [
            {
                "result_id": "r1",
                "realisation": None,
                "narrative": None,
                "evidence": [{"kind": "link", "url": "https://example.go.id"}],
            }
        ],
        stored,
    )
    assert [[e["kind"] for e in r["evidence"]] for r in merged] == [["link", "file"], ["file"]]
    with pytest.raises(rules.DomainError):
        rules.merge_files(
            [{"result_id": "r1", "evidence": [{"kind": "link", "url": "https://e.go.id"}] * rules.MAX_EVIDENCE}], stored
        )


def test_states():
    rules.may_edit(None, "open")
    rules.may_edit(rules.RETURNED, "open")
    for status, evaluation in ((rules.SUBMITTED, "open"), (rules.DRAFT, "submitted"), (None, "closed")):
        with pytest.raises(rules.DomainError) as caught:
            rules.may_edit(status, evaluation)
        assert caught.value.status == 409
    rules.may_return(rules.SUBMITTED, "open")
    with pytest.raises(rules.DomainError):
        rules.may_return(rules.DRAFT, "open")


def test_prefill_feedback_needed_and_the_forms_note():
    assert (
        rules.prefill_text(
            [
                {"text": "Jumlah dokumen", "realised_to_date": 5.0, "target_value": 12.0, "target_unit": "dokumen"},
                {"text": "Mutu", "realised_to_date": None},
            ]
        )
        == "Jumlah dokumen: 5 dokumen dari target 12 dokumen"
    )
    assert rules.missing_feedback(
        ["r1", "r2"], [{"result_id": "r1", "feedback": "baik"}, {"result_id": "r2", "feedback": " "}]
    ) == ["r2"]
    deadline = date(2026, 4, 8)
    assert "belum menyampaikan" in rules.status_note(rules.NOT_STARTED, deadline, date(2026, 4, 8))
    assert "tidak menyampaikan realisasi sampai batas waktu 2026-04-08" in rules.status_note(
        rules.DRAFT, deadline, date(2026, 4, 9)
    )
    assert "telah menyampaikan" in rules.status_note(rules.SUBMITTED, deadline, date(2026, 4, 9))
