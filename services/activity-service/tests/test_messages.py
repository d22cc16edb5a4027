"""activity-service: every text it can produce has its Indonesian version."""

import activity_service
from activity_service import domain
from kinerja_shared.i18n import load
from kinerja_shared.testing.messages import untranslated


def test_every_message_of_the_service_has_an_indonesian_version():
    assert untranslated(activity_service) == []


def test_status_texts_built_from_parts_have_an_indonesian_version():
    catalogue = load()
    texts = [
        domain.ACTIVITY.refusal(action, status)
        for action in domain.TRANSITIONS
        for status in (domain.ACCEPTED, domain.REJECTED, domain.WITHDRAWN)
    ]
    assert [t for t in texts if not catalogue.knows(t)] == []
    assert catalogue.translate(domain.ACTIVITY.refusal("edit", domain.ACCEPTED)) == (
        "tidak dapat mengubah kegiatan ini: kegiatan sudah diverifikasi (accepted) dan terkunci "
        "(hanya boleh selama masih menunggu verifikasi)"
    )
