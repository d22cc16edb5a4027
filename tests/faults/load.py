"""Steady load for the fault suite: employees log activities, raters verify them.

Every logical request carries an ``Idempotency-Key`` and is retried with the SAME key and body,
as a mobile client on a bad network would: after a connection error or a timeout, after a 503
(waiting ``Retry-After``, at most a second), and after a 409 "Idempotency-Key busy". Any other
answer is final. Every attempt and its answer is recorded for the counting checks.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests

from ..e2e.flow import today_wib

PROBLEM_JSON = "application/problem+json"
SLOT_MINUTES = 2
REQUEST_TIMEOUT = 5.0
GIVE_UP_AFTER = 120.0  # a logical request still unanswered after this is reported as unanswered


@dataclass
class Attempt:
    started: float
    ended: float
    status: int | None  # None: no HTTP answer (connection refused or reset, timeout)
    error: str | None = None
    content_type: str = ""
    retry_after: str | None = None
    replayed: bool = False
    title: str | None = None


@dataclass
class Call:
    """One logical request (one Idempotency-Key) and every attempt made for it."""

    kind: str  # "log" or "verify"
    service: str
    key: str
    activity_id: str
    nip: str  # the employee the activity belongs to
    decision: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    final: int | None = None  # the status that ended the retries; None when the client gave up

    @property
    def accepted(self) -> bool:
        return self.final is not None and 200 <= self.final < 300


def logging_days(today: date | None = None, close_day: int = 5) -> list[date]:
    """Days an entry may be dated today: the edit window (this month, plus last month until its close day),
    within this year (the plans' span), newest first."""
    today = today or today_wib()
    first = today.replace(day=1)
    if today.day <= close_day:
        first = (first - timedelta(days=1)).replace(day=1)
    first = max(first, today.replace(month=1, day=1))
    return [today - timedelta(days=i) for i in range((today - first).days + 1)]


class Slots:
    """Non-overlapping 2-minute slots of an employee's days (entries of one person may not overlap)."""

    def __init__(self, days: list[date]):
        self._iter = ((d, m) for d in days for m in range(0, 24 * 60 - SLOT_MINUTES, SLOT_MINUTES))
        self._lock = threading.Lock()

    def next(self) -> tuple[date, str, str]:
        with self._lock:
            day, minute = next(self._iter)
        end = minute + SLOT_MINUTES
        return day, f"{minute // 60:02d}:{minute % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


class Load:
    """Threads that log and verify until ``stop()``; ``calls`` holds every logical request."""

    def __init__(self, system, orgs: list, pause: float = 0.08):
        self.system = system
        self.orgs = orgs
        self.pause = pause
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._to_verify: queue.Queue = queue.Queue()
        days = logging_days()
        self._slots = {org.employee: Slots(days) for org in orgs}
        self._counter = itertools.count()
        self.phase = "setup"
        self.exhausted = False

    # -- control ---------------------------------------------------------------------------------
    def start(self, phase: str) -> Load:
        self.phase = phase
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._employee, args=(org,), name=f"log-{org.employee}", daemon=True)
            for org in self.orgs
        ]
        self._threads.append(threading.Thread(target=self._rater, name="verify", daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop sending new requests; wait until every request in flight has its final answer."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=GIVE_UP_AFTER + 30)
        alive = [t.name for t in self._threads if t.is_alive()]
        assert not alive, f"load threads still running: {alive}"

    def attempts_between(self, service: str, since: float, until: float) -> list[tuple[Call, Attempt]]:
        with self._lock:
            calls = list(self.calls)
        return [
            (c, a) for c in calls if c.service == service for a in c.attempts if a.started >= since and a.ended <= until
        ]

    # -- the users -------------------------------------------------------------------------------
    def _employee(self, org) -> None:
        slots = self._slots[org.employee]
        session = requests.Session()
        while not self._stop.is_set():
            try:
                day, start, end = slots.next()
            except StopIteration:  # every slot of the edit window is taken: a shorter run is needed
                self.exhausted = True
                return
            activity_id = str(uuid.uuid4())
            body = {
                "id": activity_id,
                "date": day.isoformat(),
                "start_time": start,
                "end_time": end,
                "indicator_id": org.indicator,
                "description": "Menyusun laporan pelayanan",
                "quantity": 1,
                "quantity_unit": "laporan",
                "evidence": [{"url": "https://drive.binjaikota.go.id/laporan/1"}],
            }
            call = Call("log", "activity-service", activity_id, activity_id, org.employee)
            self._send(session, call, "/api/v1/activities", org.as_employee, body)
            if call.accepted and next(self._counter) % 5 < 3:  # three in five entries get verified
                self._to_verify.put((org, activity_id))
            self._stop.wait(self.pause)

    def _rater(self) -> None:
        session = requests.Session()
        done = 0
        while not (self._stop.is_set() and self._to_verify.empty()):
            try:
                org, activity_id = self._to_verify.get(timeout=0.2)
            except queue.Empty:
                continue
            decision = "rejected" if done % 4 == 3 else "accepted"
            body = {"decision": decision}
            if decision == "rejected":
                body["reason"] = "Bukti dukung belum sesuai"
            call = Call("verify", "activity-service", str(uuid.uuid4()), activity_id, org.employee, decision)
            self._send(session, call, f"/api/v1/activities/{activity_id}/verify", org.as_rater, body)
            done += 1

    # -- one logical request, retried with the same key -------------------------------------------
    def _send(self, session: requests.Session, call: Call, path: str, who: dict, body: dict) -> None:
        with self._lock:
            self.calls.append(call)
        headers = {**who, "Idempotency-Key": call.key}
        url = self.system.url(call.service, path)
        deadline = time.monotonic() + GIVE_UP_AFTER
        backoff = 0.2
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = session.post(url, json=body, headers=headers, timeout=REQUEST_TIMEOUT)
            except requests.RequestException as exc:
                call.attempts.append(Attempt(started, time.monotonic(), None, error=type(exc).__name__))
                session = requests.Session()  # drop a connection the server may have lost
                time.sleep(backoff)
                backoff = min(backoff * 2, 1.0)
                continue
            content_type = response.headers.get("Content-Type", "")
            title = None
            if content_type.startswith(PROBLEM_JSON):
                try:
                    title = response.json().get("title")
                except ValueError:
                    title = "(not JSON)"
            attempt = Attempt(
                started,
                time.monotonic(),
                response.status_code,
                content_type=content_type,
                retry_after=response.headers.get("Retry-After"),
                replayed=response.headers.get("Idempotent-Replayed") == "true",
                title=title,
            )
            call.attempts.append(attempt)
            busy = response.status_code == 409 and title == "Idempotency-Key busy"
            if response.status_code == 503 or busy:
                time.sleep(min(_seconds(attempt.retry_after, 0.5), 1.0))
                continue
            call.final = response.status_code
            return


def _seconds(value: str | None, default: float) -> float:
    try:
        return max(0.0, float(value)) if value is not None else default
    except ValueError:
        return default
