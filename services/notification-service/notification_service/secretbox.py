"""Webhook secrets at rest: encrypted with Fernet keys from NOTIFICATION_WEBHOOK_SECRET_KEYS.

The setting is a comma-separated list of Fernet keys, newest first (make one with
``python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'``).
Secrets are encrypted with the first key and decrypted with whichever key fits, so a key
rotates in three steps: put the new key first (the old one after it) and restart; run
``notification-service rotate-webhook-secrets`` (every stored secret re-encrypted with the
new key); drop the old key and restart.

Without the setting, development and test runs use DEV_WEBHOOK_SECRET_KEY, a fixed key that
anyone can read here: production refuses to start without a key of its own, and refuses this one.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SETTING = "NOTIFICATION_WEBHOOK_SECRET_KEYS"
HOW_TO_MAKE = "make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
# Development only (make run, tests): derived from a public text, so it protects nothing.
DEV_WEBHOOK_SECRET_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"kinerja-development-webhook-key-not-for-production-use").digest()
).decode()


class SecretUnreadable(Exception):
    """No key of NOTIFICATION_WEBHOOK_SECRET_KEYS decrypts a stored secret."""


class SecretBox:
    """Encrypts with the newest key, decrypts with any listed key. Its repr shows no key."""

    def __init__(self, keys: list[str] | tuple[str, ...]):
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        self.key_count = len(keys)
        self.uses_development_key = DEV_WEBHOOK_SECRET_KEY in keys

    @classmethod
    def from_setting(cls, raw: str | None, production: bool) -> SecretBox:
        """Read NOTIFICATION_WEBHOOK_SECRET_KEYS; ValueError with a message that names the problem."""
        keys = [k.strip() for k in (raw or "").split(",") if k.strip()]
        if not keys:
            if production:
                raise ValueError(f"is required when KINERJA_ENV=production ({HOW_TO_MAKE})")
            return cls([DEV_WEBHOOK_SECRET_KEY])
        for number, key in enumerate(keys, 1):
            try:
                Fernet(key.encode())
            except (ValueError, TypeError):
                raise ValueError(
                    f"key {number} is not a Fernet key (32 url-safe base64 bytes; {HOW_TO_MAKE})"
                ) from None
        if production and DEV_WEBHOOK_SECRET_KEY in keys:
            raise ValueError(f"holds the development key, which anyone can read in the source ({HOW_TO_MAKE})")
        return cls(keys)

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except (InvalidToken, ValueError, TypeError):
            raise SecretUnreadable(
                f"the signing secret cannot be decrypted with any key of {SETTING} "
                "(a key dropped before rotate-webhook-secrets ran?)"
            ) from None

    def rotate(self, token: str) -> str:
        """The same secret encrypted with the newest key (SecretUnreadable when no key fits)."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except (InvalidToken, ValueError, TypeError):
            raise SecretUnreadable(f"no key of {SETTING} decrypts it") from None

    def __repr__(self) -> str:
        return f"SecretBox({self.key_count} key(s){', development key' if self.uses_development_key else ''})"

    def __eq__(self, other) -> bool:
        return self is other

    __hash__ = object.__hash__


def hint(secret: str) -> str:
    """What the API shows of a secret: its last four characters (stored apart, so no key is needed to list)."""
    return secret[-4:]
