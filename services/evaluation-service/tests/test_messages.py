"""evaluation-service speaks Indonesian by default: its problems, the suggestion's reasoning and the
distribution rules follow Accept-Language, and every text it can produce has its Indonesian version."""

import itertools

import evaluation_service
from evaluation_service import domain
from kinerja_shared.i18n import load
from kinerja_shared.testing.messages import untranslated


def test_every_message_of_the_service_has_an_indonesian_version():
    assert untranslated(evaluation_service) == []


def test_every_reasoning_and_rule_text_has_an_indonesian_version():
    catalogue = load()
    texts = set()
    kinds = [("main", a) for a in (*domain.RATINGS, None)] + [("additional", a) for a in (*domain.RATINGS, None)]
    for size in range(0, 5):
        for combo in itertools.combinations_with_replacement(kinds, size):
            results = [domain.ResultAssessment(f"r{i}", kind, assessment) for i, (kind, assessment) in enumerate(combo)]
            texts.update(domain.suggest_results_rating(results).reasoning)
    for org in domain.ORG_PREDICATES:
        texts.update(domain.suggest_results_rating([], unit_head_of="opd", org_predicate=org).reasoning)
        for people in itertools.combinations_with_replacement(domain.PREDICATES, 4):
            for check in domain.check_distribution(org, list(people)).as_dict()["rules"]:
                texts.update((check["rule"], check["message"]))
    assert len(texts) > 30
    assert sorted(t for t in texts if not catalogue.knows(t)) == []
    assert catalogue.translate("Baik at most 70 %: 3 of the unit's people (100.0 %), allowed at most 2") == (
        "Baik paling banyak 70 %: 3 orang di unit (100.0 %), paling banyak boleh 2"
    )
