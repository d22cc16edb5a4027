"""The performance dialogue (dialog kinerja) as use cases on an in-memory database: record, edit, confirm,
correct, list and read, each with a refusal, and the audit rows and PerformanceDialogueRecorded events they leave."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from evaluation_service.use_cases import dialogues
from kinerja_shared.errors import Conflict, Forbidden, InvalidField, NotFound

sys.path.insert(0, str(Path(__file__).parent))
# the tests take the imported fixture `world` as their parameter: not a redefinition
# ruff: noqa: F811
from memory_world import EMPLOYEE, HEAD, NOW, RATER, world  # noqa: E402,F401  (world: the fixture)


def body(world, **kw) -> dict:
    return {
        "plan_id": world.plan_id,
        "stage": "planning",
        "held_on": kw.pop("held_on", NOW.date()),
        "topics": "Target laporan bulanan",
        "follow_ups": "Pelatihan",
        **kw,
    }


def record(world, who=None, **kw):
    with world.rt.unit_of_work() as uow:
        answer = dialogues.record_dialogue(uow, who or world.employee, body(world, **kw))
    return answer, uow


def confirm(world, dialogue_id, who):
    with world.rt.unit_of_work() as uow:
        answer = dialogues.confirm_dialogue(uow, who, dialogue_id)
    return answer, uow


def test_the_employee_records_and_the_rater_confirms(world):
    recorded, uow = record(world, participants=[HEAD])
    d = recorded.body
    assert (d["status"], d["version"], d["awaiting"], d["period_id"]) == ("recorded", 1, RATER, world.period.id)
    assert [(p["nip"], p["role"]) for p in d["participants"]] == [
        (EMPLOYEE, "employee"),
        (RATER, "rater"),
        (HEAD, "other"),
    ]
    assert [e["type"] for e in uow.published] == ["PerformanceDialogueRecorded"]
    assert uow.published[0]["data"]["action"] == "recorded" and uow.audited[0]["action"] == "dialogue.recorded"
    confirmed, uow = confirm(world, d["id"], world.rater)
    assert confirmed.body["status"] == "confirmed" and confirmed.version == 2 and confirmed.body["awaiting"] is None
    assert uow.published[0]["data"]["action"] == "confirmed" and uow.audited[0]["action"] == "dialogue.confirmed"
    with pytest.raises(Conflict, match="confirmed this dialogue already"):
        confirm(world, d["id"], world.rater)
    assert world.outbox_types() == ["PerformanceDialogueRecorded"] * 2


def test_recording_is_refused_to_others_and_for_a_date_in_the_future_or_a_second_time(world):
    with pytest.raises(InvalidField, match="plan_id"):
        record(world, who=world.outsider)
    with pytest.raises(Forbidden, match="Only the employee and their rater"):
        record(world, who=world.head)  # reads the plan (heads the unit above), does not take part
    with pytest.raises(InvalidField, match="held_on"):
        record(world, held_on=NOW.date() + timedelta(days=1))
    with pytest.raises(InvalidField, match="evaluation_id"):
        record(world, stage="evaluation")
    with pytest.raises(InvalidField, match="participants"):
        record(world, participants=["199909092019091009"])
    record(world)
    with pytest.raises(Conflict, match="is recorded already"):
        record(world, who=world.rater)
    assert world.audit_actions() == ["dialogue.recorded"]


def test_an_evaluation_dialogue_belongs_to_the_plans_evaluation(world):
    evaluation_id = world.open_evaluation()
    answer, _ = record(world, stage="evaluation", evaluation_id=evaluation_id)
    assert answer.body["evaluation_id"] == evaluation_id and answer.body["stage"] == "evaluation"
    with pytest.raises(InvalidField, match="is not an evaluation of plan"):
        record(world, stage="evaluation", evaluation_id="no-such-evaluation")


def test_an_edit_before_both_confirmed_asks_the_other_again(world):
    recorded, _ = record(world)
    with world.rt.unit_of_work() as uow:
        edited = dialogues.edit_dialogue(uow, world.rater, recorded.body["id"], {"topics": "Target triwulan"})
    assert edited.body["topics"] == "Target triwulan" and edited.body["awaiting"] == EMPLOYEE
    assert uow.published[0]["data"]["action"] == "edited"
    assert uow.audited[0]["before"]["topics"] == "Target laporan bulanan"
    with pytest.raises(InvalidField, match="send at least one"):
        with world.rt.unit_of_work() as uow:
            dialogues.edit_dialogue(uow, world.rater, recorded.body["id"], {})
    confirm(world, recorded.body["id"], world.employee)
    with pytest.raises(Conflict, match="a change is a correction"):
        with world.rt.unit_of_work() as uow:
            dialogues.edit_dialogue(uow, world.rater, recorded.body["id"], {"topics": "lagi"})


def test_a_correction_after_both_confirmed_keeps_the_confirmed_one_in_the_history(world):
    recorded, _ = record(world)
    dialogue_id = recorded.body["id"]
    with pytest.raises(Conflict, match="not confirmed by both yet"):
        with world.rt.unit_of_work() as uow:
            dialogues.correct_dialogue(uow, world.employee, dialogue_id, {"reason": "salah tanggal"})
    confirm(world, dialogue_id, world.rater)
    with world.rt.unit_of_work() as uow:
        corrected = dialogues.correct_dialogue(
            uow, world.employee, dialogue_id, {"reason": "salah tanggal", "held_on": NOW.date() - timedelta(days=1)}
        )
    assert (corrected.body["revision"], corrected.body["status"], corrected.body["awaiting"]) == (2, "recorded", RATER)
    assert uow.audited[0]["reason"] == "salah tanggal" and uow.published[0]["data"]["action"] == "corrected"
    with world.rt.engine.connect() as conn:
        detail = dialogues.get_dialogue(conn, world.head, dialogue_id)
    assert [h["revision"] for h in detail.body["history"]] == [1] and detail.version == corrected.version
    assert detail.body["held_on"] == date.fromordinal(NOW.date().toordinal() - 1)


def test_reading_and_listing_follow_who_may_read(world):
    first, _ = record(world, stage="evaluation", evaluation_id=world.open_evaluation())
    world.rt.clock.advance(minutes=5)
    recorded, _ = record(world)
    with world.rt.engine.connect() as conn:
        with pytest.raises(NotFound, match="does not exist"):
            dialogues.get_dialogue(conn, world.outsider, recorded.body["id"])
        items, after = dialogues.list_dialogues(conn, world.head, {}, after=None, limit=10)
        assert [i["id"] for i in items] == [recorded.body["id"], first.body["id"]] and after is None
        assert dialogues.list_dialogues(conn, world.outsider, {}, after=None, limit=10) == ([], None)
        items, after = dialogues.list_dialogues(conn, world.admin, {}, after=None, limit=1)
        assert [i["id"] for i in items] == [recorded.body["id"]] and after[1] == recorded.body["id"]
        items, after = dialogues.list_dialogues(conn, world.admin, {}, after=after, limit=1)
        assert [i["id"] for i in items] == [first.body["id"]] and after is None
        assert (
            dialogues.list_dialogues(conn, world.admin, {"stage": "planning"}, after=None, limit=5)[0][0]["id"]
            == recorded.body["id"]
        )
