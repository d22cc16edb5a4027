"""notification-service: every text it can produce has its Indonesian version."""

import notification_service
from kinerja_shared.i18n import load
from kinerja_shared.testing.messages import untranslated
from notification_service import domain


def test_every_message_of_the_service_has_an_indonesian_version():
    assert untranslated(notification_service) == []


def test_quiet_hours_refusals_passed_on_from_the_domain_have_an_indonesian_version():
    catalogue = load()
    texts = []
    for bad in ("7", "25:00", "x"):
        try:
            domain.parse_hhmm(bad)
        except ValueError as exc:
            texts.append(str(exc))
    try:
        domain.QuietHours(domain.parse_hhmm("06:00"), domain.parse_hhmm("06:00"))
    except ValueError as exc:
        texts.append(str(exc))
    assert len(texts) == 4 and [t for t in texts if not catalogue.knows(t)] == []
