"""plan-service: every text it can produce has its Indonesian version."""

import plan_service
from kinerja_shared.i18n import load
from kinerja_shared.testing.messages import untranslated
from plan_service import domain


def test_every_message_of_the_service_has_an_indonesian_version():
    assert untranslated(plan_service) == []


def test_status_and_behaviour_texts_built_from_parts_have_an_indonesian_version():
    catalogue = load()
    texts = []
    for action in domain.TRANSITIONS.table:
        texts.append(str(domain.TransitionError(action, "closed")))
    for action in domain.AMENDMENT_TRANSITIONS.table:
        texts.append(str(domain.TransitionError(action, "approved", "amendment", domain.AMENDMENT_TRANSITIONS)))
    behaviours = [{"value": "service"}, {"value": "service"}]
    texts += [m for _, m in domain.plan_content_problems("quantitative", "JA_JF", [], behaviours)]
    assert [t for t in texts if not catalogue.knows(t)] == []
    assert catalogue.translate("cannot submit a plan that is closed (allowed from: draft)") == (
        "tidak dapat mengajukan rencana (SKP) berstatus closed (hanya boleh dari: draft)"
    )
