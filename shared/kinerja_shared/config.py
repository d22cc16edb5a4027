"""Settings read from the environment once, validated at start-up.

Every setting has a safe default for a laptop run; a bad value stops the process with
a message that names the setting (12-factor configuration).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEV_JWT_SECRET = "kinerja-development-secret-not-for-production-use"
ENVIRONMENTS = ("development", "test", "production")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


def _get(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(f"{name} must be {bound}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _get(env, name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


# Public names for the services' own settings modules: one way to read and check a variable.
def env_get(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    """The stripped value of ``name``, or ``default`` when unset or blank."""
    return _get(env, name, default)


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number within bounds; ConfigError naming ``name`` otherwise."""
    return _int(env, name, default, minimum, maximum)


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """true/false, yes/no, on/off, 1/0; ConfigError naming ``name`` otherwise."""
    return _bool(env, name, default)


@dataclass(frozen=True)
class Settings:
    """All settings of one service process. See docs/operations.md for the table."""

    service_name: str
    environment: str = "development"
    database_url: str = ""
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    kafka_topic_partitions: int = 3
    kafka_replication_factor: int = 1
    kafka_client_timeout_ms: int = 10000
    kafka_topic_prefix: str = ""
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_private_key: str | None = None
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_seconds: int = 30
    jwt_jwks_cache_seconds: int = 300
    jwt_jwks_refresh_seconds: int = 10
    jwt_nip_claim: str = "sub"
    jwt_name_claim: str = "name"
    jwt_unit_claim: str = "unit"
    jwt_roles_claim: str = "roles"
    timezone: str = "Asia/Jakarta"
    log_level: str = "INFO"
    validate_events: bool = True
    relay_batch_size: int = 500
    relay_poll_interval_ms: int = 50
    consumer_max_retries: int = 3
    consumer_retry_backoff_ms: int = 200
    idempotency_lease_seconds: int = 60
    period_scheme: str = "quarterly"
    extra: Mapping[str, str] = field(default_factory=dict)

    def topic(self, name: str) -> str:
        """The Kafka name of a catalog topic (KAFKA_TOPIC_PREFIX lets tenants or tests share a cluster)."""
        return self.kafka_topic_prefix + name

    def group(self, name: str) -> str:
        """The Kafka consumer-group id of a service's consumer."""
        return self.kafka_topic_prefix + name

    @property
    def jwt_algorithm(self) -> str:
        return "RS256" if (self.jwt_public_key or self.jwt_jwks_url) else "HS256"

    @classmethod
    def from_env(cls, service_name: str, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        environment = (_get(env, "KINERJA_ENV", "development") or "development").lower()
        if environment not in ENVIRONMENTS:
            raise ConfigError(f"KINERJA_ENV must be one of {', '.join(ENVIRONMENTS)}, got {environment!r}")

        data_dir = Path(_get(env, "KINERJA_DATA_DIR", "var") or "var")
        default_db = f"sqlite:///{data_dir / (service_name + '.db')}"
        database_url = _get(env, "DATABASE_URL", default_db) or default_db
        if "://" not in database_url:
            raise ConfigError(
                f"DATABASE_URL must be a SQLAlchemy URL such as postgresql+psycopg://user@host/db, got {database_url!r}"
            )
        if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
            # psycopg 3 is the driver we ship; accept the plain libpq form operators know.
            database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]

        bootstrap = _get(env, "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092") or ""
        for server in bootstrap.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ConfigError(f"KAFKA_BOOTSTRAP_SERVERS must be host:port[,host:port...], got {bootstrap!r}")

        public_key = _get(env, "JWT_PUBLIC_KEY")
        if public_key is None and _get(env, "JWT_PUBLIC_KEY_FILE"):
            public_key = _read_file(env, "JWT_PUBLIC_KEY_FILE")
        private_key = _get(env, "JWT_PRIVATE_KEY")
        if private_key is None and _get(env, "JWT_PRIVATE_KEY_FILE"):
            private_key = _read_file(env, "JWT_PRIVATE_KEY_FILE")
        jwks_url = _get(env, "JWT_JWKS_URL")
        secret = _get(env, "JWT_SECRET")
        if public_key is None and jwks_url is None:
            if secret is None:
                if environment == "production":
                    raise ConfigError(
                        "JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required when KINERJA_ENV=production"
                    )
                secret = DEV_JWT_SECRET
            elif len(secret) < 32:
                raise ConfigError("JWT_SECRET must be at least 32 characters long")
            if environment == "production":
                raise ConfigError(
                    "KINERJA_ENV=production needs RS256 keys: set JWT_PUBLIC_KEY(_FILE) or JWT_JWKS_URL, not JWT_SECRET"
                )
        if public_key is not None and "BEGIN PUBLIC KEY" not in public_key:
            raise ConfigError("JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)")

        period_scheme = (_get(env, "EVALUATION_PERIOD_SCHEME", "quarterly") or "").lower()
        if period_scheme not in ("monthly", "quarterly"):
            raise ConfigError(f"EVALUATION_PERIOD_SCHEME must be monthly or quarterly, got {period_scheme!r}")

        timezone = _get(env, "KINERJA_TIMEZONE", "Asia/Jakarta") or "Asia/Jakarta"
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(timezone)
        except Exception:
            raise ConfigError(
                f"KINERJA_TIMEZONE must be an IANA time zone such as Asia/Jakarta, got {timezone!r}"
            ) from None

        log_level = (_get(env, "LOG_LEVEL", "INFO") or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

        return cls(
            service_name=service_name,
            environment=environment,
            database_url=database_url,
            kafka_bootstrap_servers=bootstrap,
            kafka_topic_partitions=_int(env, "KAFKA_TOPIC_PARTITIONS", 3, minimum=1, maximum=1000),
            kafka_replication_factor=_int(env, "KAFKA_REPLICATION_FACTOR", 1, minimum=1, maximum=10),
            kafka_client_timeout_ms=_int(env, "KAFKA_CLIENT_TIMEOUT_MS", 10000, minimum=500),
            kafka_topic_prefix=_topic_prefix(env),
            jwt_secret=secret if public_key is None and jwks_url is None else None,
            jwt_public_key=public_key,
            jwt_private_key=private_key,
            jwt_jwks_url=jwks_url,
            jwt_issuer=_get(env, "JWT_ISSUER"),
            jwt_audience=_get(env, "JWT_AUDIENCE"),
            jwt_leeway_seconds=_int(env, "JWT_LEEWAY_SECONDS", 30, minimum=0, maximum=300),
            jwt_jwks_cache_seconds=_int(env, "JWT_JWKS_CACHE_SECONDS", 300, minimum=1, maximum=86400),
            jwt_jwks_refresh_seconds=_int(env, "JWT_JWKS_REFRESH_SECONDS", 10, minimum=0, maximum=3600),
            jwt_nip_claim=_claim_path(env, "JWT_NIP_CLAIM", "sub"),
            jwt_name_claim=_claim_path(env, "JWT_NAME_CLAIM", "name"),
            jwt_unit_claim=_claim_path(env, "JWT_UNIT_CLAIM", "unit"),
            jwt_roles_claim=_claim_path(env, "JWT_ROLES_CLAIM", "roles"),
            timezone=timezone,
            log_level=log_level,
            validate_events=_bool(env, "VALIDATE_EVENTS", True),
            relay_batch_size=_int(env, "OUTBOX_RELAY_BATCH_SIZE", 500, minimum=1, maximum=10000),
            relay_poll_interval_ms=_int(env, "OUTBOX_RELAY_POLL_INTERVAL_MS", 50, minimum=10),
            consumer_max_retries=_int(env, "CONSUMER_MAX_RETRIES", 3, minimum=0, maximum=100),
            consumer_retry_backoff_ms=_int(env, "CONSUMER_RETRY_BACKOFF_MS", 200, minimum=0),
            idempotency_lease_seconds=_int(env, "IDEMPOTENCY_LEASE_SECONDS", 60, minimum=1, maximum=86400),
            period_scheme=period_scheme,
            extra={k: v for k, v in env.items() if k.startswith(_extra_prefixes(service_name))},
        )


def _read_file(env: Mapping[str, str], name: str) -> str:
    path = _get(env, name)
    try:
        return Path(path).read_text()
    except OSError as exc:
        raise ConfigError(f"{name} points to a file that cannot be read: {exc}") from None


def _claim_path(env: Mapping[str, str], name: str, default: str) -> str:
    """A token claim, or a dotted path into nested claims (``realm_access.roles``)."""
    import re

    value = _get(env, name, default) or default
    if not re.fullmatch(r"[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+){0,4}", value):
        raise ConfigError(f"{name} must be a claim name or a dotted path such as realm_access.roles, got {value!r}")
    return value


def _topic_prefix(env: Mapping[str, str]) -> str:
    prefix = _get(env, "KAFKA_TOPIC_PREFIX", "") or ""
    import re

    if prefix and not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", prefix):
        raise ConfigError(f"KAFKA_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-', got {prefix!r}")
    return prefix


def _extra_prefixes(service_name: str) -> tuple[str, ...]:
    """Settings a service reads itself: KINERJA_*, SMTP_*, SIASN_* (notification-service's SIASN channel), and its
    own prefix (ACTIVITY_* for activity-service)."""
    own = service_name.removesuffix("-service").upper().replace("-", "_") + "_"
    return ("KINERJA_", "SMTP_", "SIASN_", own)
