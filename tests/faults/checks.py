"""Counting checks after a fault: requests applied exactly once, events consumed exactly once,
read models equal to the source, consumer lag zero. Everything is compared by id."""

from __future__ import annotations

import importlib
import time
from collections import Counter

from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, OffsetSpec
from kafka.errors import KafkaError
from sqlalchemy import create_engine, text

from kinerja_shared.events.catalog import TOPICS
from kinerja_shared.processes import SERVICES

CONSUMERS = ("evaluation-service", "notification-service")  # the read models compared with activity-service


def spec_of(service: str):
    return importlib.import_module(service.replace("-", "_") + ".service").SPEC


class Ledger:
    """The system's state read from every database and from Kafka, and the counts of a session."""

    def __init__(self, system):
        self.system = system
        self.specs = {s: spec_of(s) for s in SERVICES}
        self.engines = {s: create_engine(url, pool_pre_ping=True) for s, url in system.database_urls.items()}
        self.calls: list = []
        self.faults: dict[str, dict] = {}
        self.counts: dict = {}

    # -- reading --------------------------------------------------------------------------------
    def rows(self, service: str, sql: str, **params) -> list:
        with self.engines[service].connect() as conn:
            return list(conn.execute(text(sql), params))

    def admin(self, timeout: float = 60):
        """A KafkaAdminClient, retried while a killed broker is still in the bootstrap list's way."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return KafkaAdminClient(
                    bootstrap_servers=self.system.kafka_bootstrap.split(","), request_timeout_ms=10000
                )
            except KafkaError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def groups(self) -> dict[str, list[str]]:
        """Kafka consumer group -> the topics it reads (services with handlers)."""
        return {
            self.system.prefix + s: [self.system.prefix + t for t in spec.consumes]
            for s, spec in self.specs.items()
            if spec.handlers
        }

    def lag(self) -> dict[str, int]:
        """Per group: sum over its partitions of end offset minus committed offset (uncommitted counts in full)."""
        admin = self.admin()
        try:
            partitions = {}
            for meta in admin.describe_topics(sorted({t for topics in self.groups().values() for t in topics})):
                partitions[meta["name"]] = [
                    TopicPartition(meta["name"], p["partition_index"]) for p in meta["partitions"]
                ]
            ends = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tps in partitions.values() for tp in tps})
            committed = admin.list_group_offsets(list(self.groups()))
            result = {}
            for group, topics in self.groups().items():
                offsets = committed.get(group, {})
                total = 0
                for topic in topics:
                    for tp in partitions.get(topic, []):
                        done = offsets.get(tp)
                        total += ends[tp].offset - (done.offset if done is not None and done.offset >= 0 else 0)
                result[group] = total
            return result
        finally:
            admin.close()

    def pending_outbox(self) -> int:
        return sum(self.rows(s, "SELECT count(*) FROM outbox WHERE status = 'pending'")[0][0] for s in SERVICES)

    def under_replicated(self) -> list[str]:
        """Partitions of this system's topics (and the offsets topic) without 3 in-sync replicas."""
        admin = self.admin()
        try:
            return self._under_replicated(admin)
        except KafkaError as exc:
            return [f"cannot tell: {exc!r}"]
        finally:
            admin.close()

    def _under_replicated(self, admin) -> list[str]:
        bad = []
        for meta in admin.describe_topics():
            if meta["name"].startswith(self.system.prefix) or meta["name"] == "__consumer_offsets":
                bad += [
                    f"{meta['name']}-{p['partition_index']} isr={p['isr_nodes']}"
                    for p in meta["partitions"]
                    if len(p["isr_nodes"]) < 3
                ]
        return bad

    def leader_of(self, topic: str, partition: int = 0) -> int | None:
        """The broker leading the partition; None while the cluster cannot say (a leader just died)."""
        try:
            admin = self.admin()
        except KafkaError:
            return None
        try:
            [meta] = admin.describe_topics([self.system.prefix + topic])
            return next(p["leader_id"] for p in meta["partitions"] if p["partition_index"] == partition)
        except KafkaError:
            return None
        finally:
            admin.close()

    def settle(self, timeout: float = 180) -> dict[str, int]:
        """Wait until every outbox is drained and every consumer group has lag 0; return the last lag seen."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            try:
                pending = self.pending_outbox()
                lag = self.lag()
                last = {"pending_outbox": pending, "lag": lag}
                if pending == 0 and not any(lag.values()):
                    return lag
            except Exception as exc:  # noqa: BLE001 - a broker or database still coming back
                last = repr(exc)
            time.sleep(1)
        raise AssertionError(f"the system did not settle within {timeout}s (outbox drained, consumer lag 0): {last}")

    def topic_records(self) -> dict[str, Counter]:
        """Per topic of the system: how often each event id (header ce_id) was written."""
        topics = [self.system.prefix + t for t in TOPICS.values()]
        consumer = KafkaConsumer(
            *topics,
            bootstrap_servers=self.system.kafka_bootstrap.split(","),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=5000,
        )
        seen: dict[str, Counter] = {t: Counter() for t in topics}
        try:
            for record in consumer:
                seen[record.topic][dict(record.headers)["ce_id"].decode()] += 1
        finally:
            consumer.close()
        return seen

    def duplicates_in_logs(self) -> int:
        """Redelivered events the consumers' inbox dropped ("duplicate event ignored" in the workers' logs)."""
        total = 0
        for process in self.system.processes.values():
            if process.name.endswith(".worker") and process.log_path.exists():
                total += process.log_path.read_text(errors="replace").count('"message": "duplicate event ignored"')
        return total

    # -- the checks -----------------------------------------------------------------------------
    def check(self, fault: str, calls: list, extra: dict | None = None) -> dict:
        """Run every counting check over the whole session so far; record and return the counts."""
        self.calls = calls
        lag = self.settle()
        problems: list[str] = []
        counts = {"consumer_lag": lag}
        self._requests(calls, counts, problems)
        self._events(counts, problems)
        self._read_models(calls, counts, problems)
        counts.update(extra or {})
        self.faults[fault] = counts
        self.counts = counts
        assert not problems, f"after {fault}:\n" + "\n".join(problems[:40])
        return counts

    def _requests(self, calls: list, counts: dict, problems: list) -> None:
        logs = [c for c in calls if c.kind == "log"]
        verifies = [c for c in calls if c.kind == "verify"]
        attempts = [a for c in calls for a in c.attempts]
        statuses = Counter(a.status for a in attempts)
        counts.update(
            requests_sent=len(calls),
            http_attempts=len(attempts),
            retries=len(attempts) - len(calls),
            accepted=sum(c.accepted for c in calls),
            refused=sum(c.final is not None and not c.accepted for c in calls),
            unanswered=sum(c.final is None for c in calls),
            replayed=sum(a.replayed for a in attempts),
            answers_503=statuses.get(503, 0),
            answers_500=statuses.get(500, 0),
            no_answer=statuses.get(None, 0),
            answers_by_status={str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
        )
        unanswered = [c for c in calls if c.final is None]
        if unanswered:
            last = Counter((a.status, a.title or a.error) for c in unanswered for a in c.attempts[-1:])
            problems.append(
                f"{len(unanswered)} requests never got an answer to act on (client gave up); last: {dict(last)}"
            )
        fives = [a for a in attempts if a.status is not None and a.status >= 500 and a.status != 503]
        if fives:
            problems.append(f"{len(fives)} answers were 5xx other than 503: {Counter(a.status for a in fives)}")
        # Applied exactly once in activity-service: the rows, their events and audit records, by id.
        nips = sorted({c.nip for c in calls})
        stored = {
            r.id: r
            for r in self.rows("activity-service", "SELECT id, nip, status FROM activities WHERE nip = ANY(:n)", n=nips)
        }
        sent_ids = {c.activity_id for c in logs}
        accepted_ids = {c.activity_id for c in logs if c.accepted}
        missing = accepted_ids - set(stored)
        extra = set(stored) - sent_ids
        if missing:
            problems.append(f"{len(missing)} activities answered 2xx are not stored (lost): {sorted(missing)[:5]}")
        if extra:
            problems.append(f"{len(extra)} activities stored that no request sent: {sorted(extra)[:5]}")
        logged_events = Counter(
            r.subject
            for r in self.rows(
                "activity-service",
                "SELECT payload::json->'data'->>'activity_id' AS subject "
                "FROM outbox WHERE event_type = 'ActivityLogged'",
            )
            if r.subject in stored
        )
        verified_events = Counter(
            r.subject
            for r in self.rows(
                "activity-service",
                "SELECT payload::json->'data'->>'activity_id' AS subject FROM outbox "
                "WHERE event_type = 'ActivityVerified'",
            )
            if r.subject in stored
        )
        audits = Counter(
            (r.action, r.entity_id)
            for r in self.rows(
                "activity-service", "SELECT action, entity_id FROM audit_log WHERE entity_type = 'activity'"
            )
        )
        for activity_id in stored:
            if logged_events[activity_id] != 1 or audits[("activity.logged", activity_id)] != 1:
                problems.append(
                    f"activity {activity_id}: {logged_events[activity_id]} ActivityLogged events and "
                    f"{audits[('activity.logged', activity_id)]} audit rows, expected 1 each"
                )
        # A verify retried after its first attempt took effect unanswered (web killed) may end in 409 "already
        # verified": acceptable only if the activity holds that very decision. Any other 4xx is a failure.
        refused = [c for c in calls if c.final is not None and not c.accepted]
        for c in refused:
            taken = (
                c.kind == "verify"
                and c.final == 409
                and c.activity_id in stored
                and stored[c.activity_id].status == c.decision
            )
            if not taken:
                problems.append(
                    f"{c.kind} {c.activity_id} refused with {c.final} ({c.attempts[-1].title}) after "
                    f"{len(c.attempts)} attempts"
                )
        decided = {c.activity_id: c.decision for c in verifies if c.accepted}
        tried = {c.activity_id: c.decision for c in verifies}
        for activity_id, row in stored.items():
            status = row.status
            expected = decided.get(activity_id)
            if expected is not None and status != expected:
                problems.append(f"activity {activity_id}: verify answered 200 ({expected}) but the status is {status}")
            if status == "pending" and activity_id in decided:
                problems.append(f"activity {activity_id}: verified (200) but still pending")
            if status != "pending" and tried.get(activity_id) != status:
                problems.append(f"activity {activity_id} is {status} without a request deciding so")
            want = 0 if status == "pending" else 1
            if verified_events[activity_id] != want or audits[("activity.verified", activity_id)] != want:
                problems.append(
                    f"activity {activity_id} ({status}): {verified_events[activity_id]} ActivityVerified events, "
                    f"{audits[('activity.verified', activity_id)]} audit rows; expected {want}"
                )
        counts.update(
            activities_logged_accepted=len(accepted_ids),
            activities_stored=len(stored),
            verifications_accepted=len(decided),
            verifications_applied=sum(1 for r in stored.values() if r.status != "pending"),
            applied_without_2xx=len(set(stored) - accepted_ids),
        )

    def _events(self, counts: dict, problems: list) -> None:
        """Every outbox event of a type a consumer handles is in that consumer's inbox, once (its primary key)."""
        outbox = {
            s: {
                r.event_id: (r.event_type, r.status)
                for r in self.rows(s, "SELECT event_id, event_type, status FROM outbox")
            }
            for s in SERVICES
        }
        on_topics = self.topic_records()
        produced = sum(len(events) for events in outbox.values())
        records = sum(sum(c.values()) for c in on_topics.values())
        distinct = sum(len(c) for c in on_topics.values())
        all_ids = {e for events in outbox.values() for e in events}
        not_on_topic = [
            e for s, events in outbox.items() for e in events if e not in on_topics[self.system.prefix + TOPICS[s]]
        ]
        if not_on_topic:
            problems.append(f"{len(not_on_topic)} outbox events never reached Kafka: {not_on_topic[:5]}")
        lost, consumed, expected, unknown = 0, 0, 0, 0
        for consumer, spec in self.specs.items():
            if not spec.handlers:
                continue
            inbox = {
                r.event_id
                for r in self.rows(
                    consumer, "SELECT event_id FROM processed_events WHERE consumer_group = :g", g=spec.consumer_group
                )
            }
            wanted = {
                e
                for producer, events in outbox.items()
                if TOPICS[producer] in spec.consumes
                for e, (event_type, _) in events.items()
                if event_type in spec.handlers
            }
            missing = wanted - inbox
            lost += len(missing)
            consumed += len(inbox & wanted)
            expected += len(wanted)
            unknown += len(inbox - all_ids)
            if missing:
                problems.append(f"{consumer} never applied {len(missing)} events: {sorted(missing)[:5]}")
        if unknown:
            problems.append(f"{unknown} processed events match no outbox row")
        counts.update(
            events_produced=produced,
            records_on_topics=records,
            duplicates_on_topics=records - distinct,
            deliveries_expected=expected,
            events_consumed=consumed,
            duplicates_suppressed=self.duplicates_in_logs(),
            events_lost=lost,
        )

    def _read_models(self, calls: list, counts: dict, problems: list) -> None:
        """evaluation-service and notification-service hold the same activities, in the same state, as the source."""
        nips = sorted({c.nip for c in calls})
        source = {
            r.id: r
            for r in self.rows(
                "activity-service",
                "SELECT id, nip, rater_nip, indicator_id, date, minutes, quantity, status FROM activities "
                "WHERE nip = ANY(:n)",
                n=nips,
            )
        }
        evaluation = {
            r.id: r
            for r in self.rows(
                "evaluation-service",
                "SELECT id, nip, indicator_id, date, minutes, quantity, status FROM activities WHERE nip = ANY(:n)",
                n=nips,
            )
        }
        notification = {
            r.activity_id: r
            for r in self.rows(
                "notification-service",
                "SELECT activity_id, nip, status FROM activity_states WHERE nip = ANY(:n)",
                n=nips,
            )
        }

        def tally(rows, *fields):
            return Counter(tuple(getattr(r, f) for f in fields) for r in rows)

        src = tally(source.values(), "nip", "indicator_id", "status")
        if tally(evaluation.values(), "nip", "indicator_id", "status") != src:
            problems.append(
                f"evaluation-service counts per employee/indicator/status differ: source {dict(src)}, "
                f"read model {dict(tally(evaluation.values(), 'nip', 'indicator_id', 'status'))}"
            )
        for name, model in (("evaluation-service", evaluation), ("notification-service", notification)):
            differ = [i for i in source if i not in model or model[i].status != source[i].status]
            if differ or set(model) - set(source):
                problems.append(
                    f"{name}: {len(differ)} activities missing or in another state, "
                    f"{len(set(model) - set(source))} unknown: {differ[:5]}"
                )
        for field in ("minutes", "quantity"):
            a = Counter()
            b = Counter()
            for r in source.values():
                a[(r.nip, r.status)] += getattr(r, field)
            for r in evaluation.values():
                b[(r.nip, r.status)] += getattr(r, field)
            if a != b:
                problems.append(f"evaluation-service's {field} per employee and status differ from the source")

        # The rater's digest counts every logged entry of their employees once.
        raters = sorted({r.rater_nip for r in source.values()})
        members: dict[str, Counter] = {}
        per_item: Counter = Counter()
        item_counts: dict[int, int] = {}
        for r in self.rows(
            "notification-service",
            "SELECT n.recipient_nip, n.id, n.item_count, m.member_id FROM notifications n "
            "JOIN digest_members m ON m.notification_id = n.id "
            "WHERE n.category = 'activity_digest' AND n.recipient_nip = ANY(:r)",
            r=raters,
        ):
            members.setdefault(r.recipient_nip, Counter())[r.member_id] += 1
            per_item[r.id] += 1
            item_counts[r.id] = r.item_count
        for item, count in item_counts.items():
            if count != per_item[item]:
                problems.append(f"digest {item}: item_count {count} but {per_item[item]} members")
        for rater in raters:
            expected = {i for i, r in source.items() if r.rater_nip == rater}
            got = members.get(rater, Counter())
            if set(got) != expected or any(v != 1 for v in got.values()):
                problems.append(
                    f"rater {rater}'s digest counts {len(got)} entries ({sum(got.values())} memberships), "
                    f"source has {len(expected)}"
                )
        counts.update(
            read_model_evaluation=len(evaluation),
            read_model_notification=len(notification),
            digest_entries=sum(sum(c.values()) for c in members.values()),
            verified_in_source=sum(1 for r in source.values() if r.status != "pending"),
            verified_in_evaluation=sum(1 for r in evaluation.values() if r.status != "pending"),
        )

    def report(self) -> dict:
        return {"faults": self.faults, "totals": self.counts}
