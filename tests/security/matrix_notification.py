"""notification-service's calls for the access matrix: every operation on a notification of self's, and webhooks.

Self's notifications come from FeedbackGiven events applied through the handlers (one fresh,
unread notification per cell that marks one read); webhook subscriptions are an admin's, made
over the API, with a delivery fanned out from an event.
"""

from __future__ import annotations

from kinerja_shared.events import make_event

from . import seeds
from .matrix import Call, Matrix, case, common_operations, listing, on_fresh

CASES: dict = common_operations()
EXTRA_RELATIONS = seeds.HEADSHIP_RELATIONS  # acting head, claimed and stale headship (seeds.matrix_headship())
E = seeds.EMPLOYEE
INBOX = "/api/v1/notifications"
HOOKS = "/api/v1/webhooks"
SIASN = "/api/v1/integrations/siasn"


def env(workdir) -> dict:
    # an allowed name is not looked up when registered: the matrix sends no DNS query out
    return {"NOTIFICATION_WEBHOOK_ALLOWED_HOSTS": "hooks.binjaikota.go.id"}


def notification(m: Matrix) -> int:
    """A fresh unread notification of self's."""
    m.h.handle(seeds.feedback_given(E))
    return m.h.scalar("SELECT max(id) FROM notifications WHERE recipient_nip = :nip AND in_inbox", nip=E)


def subscription(m: Matrix) -> str:
    return m.as_(
        "admin",
        "POST",
        HOOKS,
        201,
        json={
            "url": "https://hooks.binjaikota.go.id/kinerja",
            "event_types": ["*"],
            "secret": "rahasia-bersama-0123456789",
        },
    )["id"]


def siasn_record(m: Matrix) -> int:
    """A fresh SIASN record of self's (an evaluation closed; the seed directory lacks SIASN ids: needs_data)."""
    evaluation_id = f"ev-siasn-{m.n()}"
    m.h.handle(
        make_event(
            "EvaluationClosed",
            source_service="evaluation-service",
            subject=evaluation_id,
            partitionkey=E,
            data={
                "evaluation_id": evaluation_id,
                "nip": E,
                "rater_nip": seeds.RATER,
                "unit_id": seeds.UNIT,
                "plan_id": "plan-1",
                "period": {
                    "id": f"{seeds.today().year}-Y",
                    "kind": "annual",
                    "start": f"{seeds.today().year}-01-01",
                    "end": f"{seeds.today().year}-12-31",
                },
                "revision": 1,
                "results_rating": "meets",
                "behaviour_rating": "meets",
                "predicate": "BAIK",
                "credit_points": None,
                "closed_at": f"{seeds.today().year}-12-20T03:00:00.000Z",
                "closed_by": seeds.RATER,
            },
        )
    )
    return m.h.scalar("SELECT id FROM siasn_records WHERE evaluation_id = :e", e=evaluation_id)


def setup(m: Matrix) -> None:
    m.h.handle(*seeds.matrix_org(), *seeds.matrix_headship())
    m.params.update(record_id=siasn_record(m))
    hook = subscription(m)
    m.params.update(
        subscription_id=hook,
        notification_id=notification(m),  # also fans out to the hook: one delivery
        delivery_id=m.h.scalar("SELECT id FROM webhook_deliveries WHERE subscription_id = :s", s=hook),
    )


def unread(m: Matrix, notification_id: int):
    return m.h.scalar("SELECT read_at FROM notifications WHERE id = :id", id=notification_id)


def read_all(m: Matrix, rel: str) -> Call:
    fresh = notification(m)
    return Call("POST", f"{INBOX}/read-all", json={}, probe=lambda: unread(m, fresh))


def preferences(m: Matrix, rel: str) -> Call:
    return Call(
        "PATCH",
        f"{INBOX}/preferences",
        json={"locale": ("en", "id")[m.n() % 2]},
        probe=lambda: m.h.rows("SELECT * FROM person_settings WHERE nip = :nip", nip=E),
    )


def disabled(m: Matrix) -> str:
    hook = subscription(m)
    m.as_("admin", "POST", f"{HOOKS}/{hook}/disable")
    return hook


listing(CASES, "GET /api/v1/notifications", "?limit=100", row="notification_id")
on_fresh(CASES, "POST /api/v1/notifications/{notification_id}/read", notification_id=notification)
case(CASES, "POST /api/v1/notifications/read-all")(read_all)
case(CASES, "GET /api/v1/notifications/stream")(lambda m, rel: Call("GET", f"{INBOX}/stream", stream=True))
case(CASES, "PATCH /api/v1/notifications/preferences")(preferences)
on_fresh(
    CASES, "POST /api/v1/webhooks", {"url": "https://hooks.binjaikota.go.id/baru", "event_types": ["PlanApproved"]}
)
listing(CASES, "GET /api/v1/webhooks", "?limit=100", row="subscription_id")
on_fresh(CASES, "PATCH /api/v1/webhooks/{subscription_id}", lambda m: {"description": f"Sistem penggajian ({m.n()})"})
on_fresh(CASES, "DELETE /api/v1/webhooks/{subscription_id}", subscription_id=subscription)
on_fresh(CASES, "POST /api/v1/webhooks/{subscription_id}/enable", subscription_id=disabled)
on_fresh(CASES, "POST /api/v1/webhooks/{subscription_id}/disable", subscription_id=subscription)
on_fresh(CASES, "POST /api/v1/webhooks/{subscription_id}/replay", {})
listing(CASES, f"GET {SIASN}/records", "?limit=100&nip=" + E, row="record_id")
case(CASES, f"GET {SIASN}/records/{{record_id}}")(
    lambda m, rel: Call("GET", f"{SIASN}/records/{m.params['record_id']}")
)
on_fresh(CASES, f"POST {SIASN}/records/{{record_id}}/resend", record_id=siasn_record)
case(CASES, f"GET {SIASN}/report")(lambda m, rel: Call("GET", f"{SIASN}/report?year={seeds.today().year}"))
case(CASES, f"GET {SIASN}/export")(
    lambda m, rel: Call("GET", f"{SIASN}/export?unit_id={seeds.UNIT}&period_id={seeds.today().year}-Y")
)
