"""The employee's realisation of a period (realisasi pegawai) and the rater's per-result feedback: the rules.

Plain Python, tested alone in tests/test_self_assessment.py.

Before the rater rates, the employee submits per result of the plan: the realisation (prefilled
from the verified activities), a short narrative, and the evidence (bukti dukung): links, evidence
already attached to their verified activities of the period, or uploaded files. Statuses:

    (none) --save--> draft --submit--> submitted --return (rater, with a reason)--> returned
    returned --save/submit--> draft / submitted

A submitted realisation is locked: only the rater's return opens it again. Everything is locked
once the rater has submitted the evaluation. Once the employee has submitted, the rater's form
needs feedback for every main result. An employee who never submits does not block the
evaluation: the rater may evaluate anyway, and after the employee's deadline the form says the
realisation was not submitted in time.
"""

from __future__ import annotations

from datetime import date

from kinerja_shared import evidence as shared_evidence

from . import domain as form_rules

DRAFT, SUBMITTED, RETURNED = "draft", "submitted", "returned"
STATUSES = (DRAFT, SUBMITTED, RETURNED)
NOT_STARTED = "not_started"

MAX_REALISATION = 1000  # characters of a result's realisation text
MAX_NARRATIVE = 2000  # characters of a result's narrative ("short")
MAX_FEEDBACK = 2000  # characters of the rater's feedback on a result
MAX_EVIDENCE = 10  # evidence items per result
MAX_LINK_NAME = 200

LINK, ACTIVITY, FILE = "link", "activity", "file"
EVIDENCE_KINDS = (LINK, ACTIVITY, FILE)


class DomainError(ValueError):
    """A rule was broken; ``field`` names what the caller should fix (422), or a state refuses it (409)."""

    def __init__(self, field: str | None, message: str, status: int = 422):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


def may_edit(status: str | None, evaluation_status: str) -> None:
    """The employee may save or submit while the evaluation is open and their realisation is not submitted."""
    if evaluation_status != "open":
        raise DomainError(
            None, "The rater has already evaluated this period; the realisation can no longer change.", status=409
        )
    if status == SUBMITTED:
        raise DomainError(
            None, "The realisation is submitted and locked; only the rater can return it to you.", status=409
        )


def may_return(status: str | None, evaluation_status: str) -> None:
    if evaluation_status != "open":
        raise DomainError(None, "The evaluation is no longer open; the realisation cannot be returned.", status=409)
    if status != SUBMITTED:
        raise DomainError(None, "Only a submitted realisation can be returned.", status=409)


def bounded_text(value: str | None, field: str, limit: int) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(field, f"must be at most {limit} characters")
    return value or None


def check_results(
    plan_result_ids: list[str], results: list[dict], activity_evidence: dict[str, list[dict]]
) -> list[dict]:
    """The employee's results cleaned and checked: each a result of the plan, once; texts within bounds;
    links http(s); an activity pick names evidence one of their verified activities of the period has.

    ``activity_evidence``: activity id -> that activity's evidence (only verified activities of the
    plan in the period are given). Returns the results as stored (files are kept as they were).
    """
    try:
        form_rules.check_form(plan_result_ids, results, [])  # each a result of the plan, once
    except form_rules.DomainError as exc:
        raise DomainError(exc.field, exc.message) from None
    out = []
    for i, entry in enumerate(results):
        rid = entry["result_id"]
        items = entry.get("evidence") or []
        if len(items) > MAX_EVIDENCE:
            raise DomainError(f"results.{i}.evidence", f"at most {MAX_EVIDENCE} evidence items per result")
        out.append(
            {
                "result_id": rid,
                "realisation": bounded_text(entry.get("realisation"), f"results.{i}.realisation", MAX_REALISATION),
                "narrative": bounded_text(entry.get("narrative"), f"results.{i}.narrative", MAX_NARRATIVE),
                "evidence": [
                    _evidence_item(item, f"results.{i}.evidence.{j}", activity_evidence) for j, item in enumerate(items)
                ],
            }
        )
    return out


def _evidence_item(item: dict, field: str, activity_evidence: dict[str, list[dict]]) -> dict:
    kind = item.get("kind")
    if kind == LINK:
        try:
            url = shared_evidence.check_link(item.get("url") or "", f"{field}.url")
        except shared_evidence.EvidenceError as exc:
            raise DomainError(exc.field, exc.message) from None
        return {"kind": LINK, "url": url, "name": bounded_text(item.get("name"), f"{field}.name", MAX_LINK_NAME)}
    if kind == ACTIVITY:
        activity_id = item.get("activity_id")
        attached = activity_evidence.get(activity_id or "")
        if attached is None:
            raise DomainError(
                f"{field}.activity_id",
                f"{activity_id!r} is not one of your verified activities of this period with evidence",
            )
        file_id, url = item.get("file_id"), item.get("url")
        if bool(file_id) == bool(url):
            raise DomainError(
                f"{field}.file_id", "name the activity's evidence by file_id (a file) or url (a link), one of them"
            )
        match = next(
            (
                e
                for e in attached
                if (file_id and e.get("file_id") == file_id) or (url and e.get("kind") == LINK and e.get("url") == url)
            ),
            None,
        )
        if match is None:
            raise DomainError(
                f"{field}.file_id" if file_id else f"{field}.url", f"activity {activity_id} has no such evidence"
            )
        picked = {"kind": ACTIVITY, "activity_id": activity_id, "evidence_kind": match.get("kind")}
        picked.update({k: match.get(k) for k in ("file_id", "url", "name", "sha256") if match.get(k)})
        return picked
    if kind == FILE:
        raise DomainError(f"{field}.kind", "upload a file to the realisation's evidence endpoint; it is kept by itself")
    raise DomainError(f"{field}.kind", f"must be one of {LINK}, {ACTIVITY}")


def merge_files(results: list[dict], stored: list[dict]) -> list[dict]:
    """Keep the uploaded files of each result as stored (a draft save sends links and picks only)."""
    files = {r["result_id"]: [e for e in r.get("evidence") or [] if e.get("kind") == FILE] for r in stored}
    merged = []
    for r in results:
        kept = files.pop(r["result_id"], [])
        if len(r["evidence"]) + len(kept) > MAX_EVIDENCE:
            raise DomainError("evidence", f"at most {MAX_EVIDENCE} evidence items per result (with the uploaded files)")
        merged.append({**r, "evidence": r["evidence"] + kept})
    for rid, kept in files.items():  # a result left out keeps its files
        if kept:
            merged.append({"result_id": rid, "realisation": None, "narrative": None, "evidence": kept})
    return merged


def prefill_text(indicators: list[dict]) -> str | None:
    """The realisation the system knows, in the employee's words: per indicator, what verified activities add up to."""
    parts = []
    for ind in indicators:
        realised = ind.get("realised_to_date")
        if realised is None:
            continue
        unit = ind.get("target_unit") or ""
        line = f"{ind.get('text') or ind.get('indicator_id')}: {realised:g} {unit}".strip()
        if ind.get("target_value") is not None:
            line += f" dari target {ind['target_value']:g} {unit}".rstrip()
        parts.append(line)
    return "; ".join(parts)[:MAX_REALISATION] or None


def missing_feedback(main_result_ids: list[str], form_results: list[dict]) -> list[str]:
    """Main results the rater has not given feedback on (needed once the employee has submitted)."""
    given = {r.get("result_id") for r in form_results if (r.get("feedback") or "").strip()}
    return [rid for rid in main_result_ids if rid not in given]


def status_note(status: str, deadline: date, today: date) -> str:
    """What the rater's form says about the employee's realisation, in Bahasa Indonesia."""
    day = deadline.isoformat()
    if status == SUBMITTED:
        return "Pegawai telah menyampaikan realisasi; beri umpan balik untuk setiap hasil kerja utama."
    if status == RETURNED:
        return f"Realisasi dikembalikan kepada pegawai untuk diperbaiki (batas waktu {day})."
    if today > deadline:
        return (
            f"Pegawai tidak menyampaikan realisasi sampai batas waktu {day}; penilai dapat menilai tanpa "
            "realisasi pegawai."
        )
    return f"Pegawai belum menyampaikan realisasi (batas waktu {day})."
