"""The inbox and preferences API on PostgreSQL: own items only, filters, cursor, read, read-all, 4xx problems."""

from __future__ import annotations

from notification_service.service import SPEC


def _seed(h, ev, helpers):
    """Items for EMPLOYEE (approved, returned, feedback ×3) and one for COLLEAGUE."""
    E, C = helpers.EMPLOYEE, helpers.COLLEAGUE
    helpers.handle(h, ev.employee(E, "Siti Aminah"))
    helpers.handle(h, ev.employee(helpers.RATER, "Rahmat", unit_id="opd-1", unit_path=("opd-1",), rater=None))
    for event in (
        ev.plan_approved(E),
        ev.plan_returned(E),
        ev.feedback_given(E, text="Satu"),
        ev.feedback_given(E, text="Dua"),
        ev.feedback_given(E, text="Tiga"),
        ev.feedback_given(C),
    ):
        helpers.handle(h, event)


def test_list_filter_and_page_own_items(service_factory, ev, helpers):
    h = service_factory(SPEC)
    _seed(h, ev, helpers)
    E = helpers.EMPLOYEE
    items = helpers.inbox(h, E)
    assert [i["category"] for i in items] == ["feedback_given"] * 3 + ["plan_returned", "plan_approved"]
    assert items[0]["body"].endswith('"Tiga"') and items[0]["read"] is False
    assert [i["category"] for i in helpers.inbox(h, E, category="plan_returned")] == ["plan_returned"]
    assert len(helpers.inbox(h, helpers.COLLEAGUE)) == 1

    first = h.client.get("/api/v1/notifications?limit=2", headers=h.token(E)).get_json()
    second = h.client.get(f"/api/v1/notifications?limit=2&cursor={first['next_cursor']}", headers=h.token(E)).get_json()
    third = h.client.get(f"/api/v1/notifications?limit=2&cursor={second['next_cursor']}", headers=h.token(E)).get_json()
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == [i["id"] for i in items] and third["next_cursor"] is None


def test_unread_count_read_one_and_read_all(service_factory, ev, helpers):
    h = service_factory(SPEC)
    _seed(h, ev, helpers)
    E, headers = helpers.EMPLOYEE, h.token(helpers.EMPLOYEE)
    count = h.client.get("/api/v1/notifications/unread-count", headers=headers).get_json()
    assert count == {"unread": 5, "by_category": {"feedback_given": 3, "plan_returned": 1, "plan_approved": 1}}

    newest = helpers.inbox(h, E)[0]
    read = h.client.post(f"/api/v1/notifications/{newest['id']}/read", headers=headers)
    assert read.status_code == 200 and read.get_json()["read"] is True and read.get_json()["read_at"]
    again = h.client.post(f"/api/v1/notifications/{newest['id']}/read", headers=headers).get_json()
    assert again["read_at"] == read.get_json()["read_at"]  # idempotent
    assert [i["id"] for i in helpers.inbox(h, E, unread="false")] == [newest["id"]]
    assert len(helpers.inbox(h, E, unread="true")) == 4

    marked = h.client.post("/api/v1/notifications/read-all", headers=headers, json={"category": "feedback_given"})
    assert marked.get_json() == {"marked": 2}
    marked = h.client.post("/api/v1/notifications/read-all", headers=headers)
    assert marked.status_code == 200 and marked.get_json() == {"marked": 2}
    assert h.client.get("/api/v1/notifications/unread-count", headers=headers).get_json()["unread"] == 0
    # the colleague's item is untouched
    assert (
        h.client.get("/api/v1/notifications/unread-count", headers=h.token(helpers.COLLEAGUE)).get_json()["unread"] == 1
    )


def test_someone_elses_item_is_not_found_and_bad_input_is_a_named_4xx(service_factory, ev, helpers):
    h = service_factory(SPEC)
    _seed(h, ev, helpers)
    theirs = helpers.inbox(h, helpers.COLLEAGUE)[0]["id"]
    headers = h.token(helpers.EMPLOYEE)
    for response in (
        h.client.get(f"/api/v1/notifications/{theirs}", headers=headers),
        h.client.post(f"/api/v1/notifications/{theirs}/read", headers=headers),
    ):
        assert response.status_code == 404 and response.content_type == "application/problem+json"
    assert helpers.inbox(h, helpers.COLLEAGUE)[0]["read"] is False

    def problem(response, status, field):
        body = response.get_json()
        assert response.status_code == status, body
        assert response.content_type == "application/problem+json"
        assert field in {e["field"] for e in body.get("errors", [])}, body

    problem(h.client.get("/api/v1/notifications?category=gossip", headers=headers), 422, "category")
    problem(h.client.get("/api/v1/notifications?limit=0", headers=headers), 422, "limit")
    problem(h.client.get("/api/v1/notifications?unread=perhaps", headers=headers), 422, "unread")
    problem(h.client.get("/api/v1/notifications?cursor=bm90LWEtbnVtYmVy", headers=headers), 400, "cursor")
    problem(h.client.post("/api/v1/notifications/read-all", headers=headers, json={"category": 5}), 422, "category")
    broken = h.client.post("/api/v1/notifications/read-all", headers=headers, data="{", content_type="application/json")
    assert broken.status_code == 400 and broken.content_type == "application/problem+json"
    assert h.client.get("/api/v1/notifications/abc", headers=headers).status_code == 404
    assert h.client.get("/api/v1/notifications").status_code == 401


def test_preferences_defaults_changes_and_stale_writes(service_factory, ev, helpers):
    h = service_factory(SPEC)
    E, headers = helpers.EMPLOYEE, h.token(helpers.EMPLOYEE)
    got = h.client.get("/api/v1/notifications/preferences", headers=headers)
    prefs = got.get_json()
    assert prefs["quiet_hours"] == {"start": "21:00", "end": "06:00"} and prefs["quiet_hours_default"] is True
    assert prefs["locale"] == "id" and prefs["version"] == 0
    assert prefs["categories"]["feedback_given"] == {
        "inbox": True,
        "email": False,
        "customised": False,
        "description": prefs["categories"]["feedback_given"]["description"],
    }
    etag = got.headers["ETag"]

    changed = h.client.patch(
        "/api/v1/notifications/preferences",
        headers={**headers, "If-Match": etag},
        json={
            "categories": {"feedback_given": {"email": True}, "plan_approved": {"inbox": False}},
            "quiet_hours": {"start": "22:00", "end": "05:00"},
            "locale": "en",
        },
    )
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["categories"]["feedback_given"]["email"] is True and body["categories"]["feedback_given"]["customised"]
    assert body["categories"]["plan_approved"]["inbox"] is False
    assert body["quiet_hours"] == {"start": "22:00", "end": "05:00"} and body["locale"] == "en" and body["version"] == 1

    stale = h.client.patch(
        "/api/v1/notifications/preferences", headers={**headers, "If-Match": etag}, json={"quiet_hours": None}
    )
    assert stale.status_code == 412 and stale.content_type == "application/problem+json"

    missing = h.client.patch("/api/v1/notifications/preferences", headers=headers, json={"quiet_hours": None})
    assert missing.status_code == 428 and [e["field"] for e in missing.get_json()["errors"]] == ["If-Match"]

    back = h.client.patch(
        "/api/v1/notifications/preferences",
        headers={**headers, "If-Match": changed.headers["ETag"]},
        json={
            "quiet_hours": None,
            "reset_categories": ["plan_approved"],
            "categories": {"feedback_given": {"email": False}},
        },
    )
    body = back.get_json()
    assert body["quiet_hours"] is None and body["quiet_hours_default"] is False
    assert (
        not body["categories"]["plan_approved"]["customised"] and not body["categories"]["feedback_given"]["customised"]
    )
    assert h.rows("SELECT action FROM audit_log") == [{"action": "preferences.updated"}] * 2

    # Now the choices act: plan_approved back in the inbox, in English.
    helpers.handle(h, ev.plan_approved(E))
    [item] = helpers.inbox(h, E)
    assert item["title"] == "Your 2026 performance plan (SKP) was approved"


def test_bad_preferences_name_the_field(service_factory, helpers):
    h = service_factory(SPEC)
    headers = h.token(helpers.EMPLOYEE)

    def field_of(json):
        response = h.client.patch("/api/v1/notifications/preferences", headers=headers, json=json)
        assert response.status_code == 422, response.get_json()
        return {e["field"] for e in response.get_json()["errors"]}

    assert "categories.gossip.key" in field_of({"categories": {"gossip": {"email": True}}})
    assert "categories.plan_approved.value.sms" in field_of({"categories": {"plan_approved": {"sms": True}}})
    assert "quiet_hours.start" in field_of({"quiet_hours": {"start": "25:00", "end": "06:00"}})
    assert "quiet_hours.end" in field_of({"quiet_hours": {"start": "06:00", "end": "06:00"}})
    assert "quiet_hours_default" in field_of({"quiet_hours": None, "quiet_hours_default": True})
    assert "locale" in field_of({"locale": "fr"})
    assert "reset_categories.0" in field_of({"reset_categories": ["gossip"]})


def test_a_category_switched_off_creates_nothing_and_email_only_stays_out_of_the_inbox(service_factory, ev, helpers):
    h = service_factory(SPEC)
    E = helpers.EMPLOYEE
    helpers.handle(h, ev.employee(E, "Siti Aminah", email="siti@binjaikota.go.id"))
    headers = h.token(E)
    changed = h.client.patch(
        "/api/v1/notifications/preferences",
        headers=h.if_match("/api/v1/notifications/preferences", headers),
        json={"categories": {"feedback_given": {"inbox": False, "email": False}, "plan_returned": {"inbox": False}}},
    )
    assert changed.status_code == 200, changed.get_json()
    helpers.handle(h, ev.feedback_given(E))
    helpers.handle(h, ev.plan_returned(E))
    assert helpers.inbox(h, E) == []
    assert h.rows("SELECT category, in_inbox FROM notifications") == [{"category": "plan_returned", "in_inbox": False}]
    assert h.scalar("SELECT count(*) FROM email_queue") == 1
    assert [e["type"] for e in h.outbox()] == []  # nothing reached the inbox, so no NotificationDelivered yet


def test_odd_input_never_makes_a_500(service_factory, helpers):
    from kinerja_shared.web.pagination import encode_cursor

    h = service_factory(SPEC)
    headers = h.token(helpers.EMPLOYEE)
    admin = h.token("196501011990031001", "admin")
    huge = "9" * 30
    checks = [
        h.client.get(f"/api/v1/notifications/{huge}", headers=headers),
        h.client.post(f"/api/v1/notifications/{huge}/read", headers=headers),
        h.client.get(f"/api/v1/notifications?cursor={encode_cursor(huge)}", headers=headers),
        h.client.get(f"/api/v1/notifications?cursor={encode_cursor('-5')}", headers=headers),
        h.client.patch("/api/v1/notifications/preferences", headers=headers, json=[]),
        h.client.patch(
            "/api/v1/notifications/preferences", headers=headers, json={"categories": {"plan_approved": "yes"}}
        ),
        h.client.patch("/api/v1/notifications/preferences", headers=headers, json={"quiet_hours": "21:00-06:00"}),
        h.client.post(
            "/api/v1/webhooks", headers=admin, json={"url": "https://x.go.id/" + "a" * 3000, "event_types": ["*"]}
        ),
        h.client.get(f"/api/v1/webhooks/x/deliveries/{huge}", headers=admin),
        h.client.get(f"/api/v1/webhooks/{'x' * 500}", headers=admin),
        h.client.get(f"/api/v1/webhooks?cursor={encode_cursor('yesterday|x')}", headers=admin),
        h.client.get(f"/api/v1/webhooks/x/deliveries?cursor={encode_cursor(huge)}", headers=admin),
    ]
    for response in checks:
        assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True))
        assert response.content_type == "application/problem+json"


def test_the_migration_matches_the_models(service_factory):
    from alembic import command

    from kinerja_shared.migrations import alembic_config

    h = service_factory(SPEC)
    cfg = alembic_config(SPEC, h.settings.database_url)
    with h.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.check(cfg)  # raises AutogenerateDiffsDetected when a model changed without a migration
