"""Templates and the SKP document as use cases on an in-memory database: events, audit rows, one refusal each."""

import sys
from pathlib import Path

import pytest

from kinerja_shared.documents import registry
from kinerja_shared.errors import Conflict, DomainError, Forbidden, InvalidField, NotFound, PreconditionFailed
from plan_service.models import documents
from plan_service.use_cases import amendments, plans, templates
from plan_service.use_cases.documents import document_state, issue_plan_document

sys.path.insert(0, str(Path(__file__).parent))
from use_case_kit import COLLEAGUE, EMPLOYEE, RATER, STAFF, YEAR, actions, admin, body, org, person, result, run, types  # noqa: E402


@pytest.fixture
def rt():
    return org()


def template_body(**kw) -> dict:
    content = body()
    return {
        "name": "Perawat",
        "position": "Perawat Ahli Pertama",
        "description": None,
        "approach": content["approach"],
        "model": content["model"],
        "results": content["results"],
        "behaviours": content["behaviours"],
        "attachments": content["attachments"],
        **kw,
    }


def stale(entity_id, version):
    raise PreconditionFailed(f"stale {entity_id}")


def test_create_template_is_for_admins_and_audited(rt):
    template, uow = run(rt, templates.create_template, admin(), template_body())
    assert (template.version, template.position) == (1, "Perawat Ahli Pertama") and actions(uow) == ["template.created"]
    with pytest.raises(Forbidden, match="manage plan templates"):
        run(rt, templates.create_template, person(RATER), template_body())


def test_a_template_names_no_cascade_link(rt):
    with pytest.raises(DomainError) as refused:
        run(rt, templates.create_template, admin(), template_body(results=[result(supports="r1")]))
    assert refused.value.status == 422 and refused.value.errors[0]["field"] == "results.0.supports_result_id"


def test_replace_template_bumps_its_version_and_refuses_a_stale_one(rt):
    template = run(rt, templates.create_template, admin(), template_body())[0]
    replaced, uow = run(rt, templates.replace_template, admin(), template.id, template_body(name="Perawat Terampil"))
    assert (replaced.name, replaced.version) == ("Perawat Terampil", 2) and actions(uow) == ["template.updated"]
    with pytest.raises(PreconditionFailed):
        run(rt, templates.replace_template, admin(), template.id, template_body(), check_version=stale)


def test_delete_template_and_read_what_is_left(rt):
    kept = run(rt, templates.create_template, admin(), template_body(position="Pelaksana"))[0]
    gone = run(rt, templates.create_template, admin(), template_body())[0]
    _, uow = run(rt, templates.delete_template, admin(), gone.id)
    assert actions(uow) == ["template.deleted"] and uow.audited[0]["after"] is None
    rows, more = run(rt, templates.list_templates, person(STAFF), position=None, after=None, limit=5)[0]
    assert [r.id for r in rows] == [kept.id] and not more
    assert run(rt, templates.get_template, person(STAFF), kept.id)[0].position == "Pelaksana"
    with pytest.raises(NotFound):
        run(rt, templates.delete_template, admin(), gone.id)


def test_assign_template_drafts_for_the_unit_and_skips_who_has_a_plan(rt):
    template = run(rt, templates.create_template, admin(), template_body())[0]
    own = run(rt, plans.create_plan, person(COLLEAGUE), body())[0]
    answer, uow = run(
        rt,
        templates.assign_template,
        person(RATER),
        template.id,
        {"unit_id": "bidang", "year": YEAR, "include_subunits": True, "only_matching_position": True},
    )
    assert {(i["nip"], i["outcome"]) for i in answer["items"]} == {(EMPLOYEE, "created"), (COLLEAGUE, "skipped")}
    assert answer["items"][[i["nip"] for i in answer["items"]].index(COLLEAGUE)]["plan_id"] == own.id
    assert actions(uow) == ["plan.created", "template.assigned"] and types(uow) == []


def test_assign_template_refuses_an_unknown_unit_and_who_heads_none_of_it(rt):
    template = run(rt, templates.create_template, admin(), template_body())[0]
    with pytest.raises(InvalidField):
        run(
            rt,
            templates.assign_template,
            admin(),
            template.id,
            {"unit_id": "nope", "year": YEAR, "include_subunits": False, "only_matching_position": False},
        )
    with pytest.raises(Forbidden):
        run(
            rt,
            templates.assign_template,
            person(EMPLOYEE),
            template.id,
            {"unit_id": "bidang", "year": YEAR, "include_subunits": False, "only_matching_position": False},
        )


def test_the_skp_of_an_approved_plan_is_issued_once_and_superseded_by_an_amendment(rt):
    draft = run(rt, plans.create_plan, person(EMPLOYEE), body())[0]
    with pytest.raises(Conflict, match="no approved revision yet"):
        run(rt, issue_plan_document, person(EMPLOYEE), draft.id, revision=None, settings=rt.settings)
    run(rt, plans.submit_plan, person(EMPLOYEE), draft.id)
    plan = run(rt, plans.approve_plan, person(RATER), draft.id)[0]
    (issued, filename), uow = run(rt, issue_plan_document, person(RATER), plan.id, revision=None, settings=rt.settings)
    assert issued.new and issued.pdf.startswith(b"%PDF") and filename == f"skp_{EMPLOYEE}_{YEAR}_r1.pdf"
    assert actions(uow) == ["document.issue"] and uow.audited[0]["entity_id"] == issued.code
    kept = dict(plan.content["results"][0], text="Baru")
    amendment = run(
        rt, amendments.propose_amendment, person(EMPLOYEE), plan.id, {**body(results=[kept]), "reason": "Tugas baru"}
    )[0]
    run(rt, amendments.approve_amendment, person(RATER), plan.id, amendment.id)
    with rt.engine.connect() as conn:
        row = registry.find(conn, documents, issued.code)
        assert document_state(conn, row)[0] == registry.SUPERSEDED
