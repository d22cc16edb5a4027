"""Settings from the environment: defaults, and clear messages that name the bad setting."""

import pytest

from kinerja_shared.config import ConfigError, Settings


def test_defaults_run_on_a_laptop():
    s = Settings.from_env("plan-service", {})
    assert s.database_url == "sqlite:///var/plan-service.db"
    assert s.kafka_bootstrap_servers == "127.0.0.1:19092"
    assert s.timezone == "Asia/Jakarta" and s.jwt_algorithm == "HS256" and s.environment == "development"


def test_plain_postgres_urls_get_the_psycopg_driver():
    s = Settings.from_env("x", {"DATABASE_URL": "postgresql://u:p@db/plan"})
    assert s.database_url == "postgresql+psycopg://u:p@db/plan"


@pytest.mark.parametrize(
    "env, named",
    [
        ({"KAFKA_TOPIC_PARTITIONS": "many"}, "KAFKA_TOPIC_PARTITIONS"),
        ({"KAFKA_TOPIC_PARTITIONS": "0"}, "KAFKA_TOPIC_PARTITIONS"),
        ({"KAFKA_BOOTSTRAP_SERVERS": "localhost"}, "KAFKA_BOOTSTRAP_SERVERS"),
        ({"DATABASE_URL": "plan.db"}, "DATABASE_URL"),
        ({"KINERJA_ENV": "staging"}, "KINERJA_ENV"),
        ({"KINERJA_TIMEZONE": "Mars/Olympus"}, "KINERJA_TIMEZONE"),
        ({"JWT_SECRET": "short"}, "JWT_SECRET"),
        ({"JWT_PUBLIC_KEY": "not a pem"}, "JWT_PUBLIC_KEY"),
        ({"EVALUATION_PERIOD_SCHEME": "weekly"}, "EVALUATION_PERIOD_SCHEME"),
        ({"VALIDATE_EVENTS": "maybe"}, "VALIDATE_EVENTS"),
        ({"KAFKA_TOPIC_PREFIX": "a b"}, "KAFKA_TOPIC_PREFIX"),
        ({"JWT_LEEWAY_SECONDS": "3600"}, "JWT_LEEWAY_SECONDS"),
    ],
)
def test_bad_settings_are_named(env, named):
    with pytest.raises(ConfigError, match=named):
        Settings.from_env("x", env)


def test_topic_prefix_applies_to_topics_and_groups():
    s = Settings.from_env("x", {"KAFKA_TOPIC_PREFIX": "binjai."})
    assert s.topic("kinerja.plan.events") == "binjai.kinerja.plan.events"
    assert s.group("activity-service") == "binjai.activity-service"
