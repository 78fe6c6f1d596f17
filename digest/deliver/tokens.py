"""Signed reader links: the tokens in /confirm and /unsubscribe URLs.

A token holds what it is for (confirm or unsubscribe), the reader's address,
the list it belongs to and, for a confirmation, a one-time nonce. It is a
Fernet token (AES-128 encrypted, HMAC-SHA256 signed, timestamped) made with a
key derived from the secret in the variable `[web] secret_env` names: no one
without the secret can make one, change one, or read the address in a URL.
`send` makes unsubscribe tokens and `digest serve` reads them, so this lives
in deliver/, below both.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken

from digest.config import Config
from digest.errors import ConfigError

log = logging.getLogger(__name__)

CONFIRM = "c"
UNSUBSCRIBE = "u"
MIN_SECRET_CHARS = 16
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class TokenError(ValueError):
    """A token that is not good: tampered, expired, for another list or purpose."""


@dataclass(frozen=True)
class TokenData:
    email: str
    nonce: str
    issued: int  # Unix time


class Signer:
    """Makes and reads tokens for one list with one secret."""

    def __init__(self, secret: str, list_key: str):
        digest = hashlib.sha256(b"digest reader tokens\0" + secret.encode("utf-8")).digest()
        self.fernet = Fernet(base64.urlsafe_b64encode(digest))
        # Only a short hash of the list goes in the token: enough to tell lists apart.
        self.list_hash = hashlib.sha256(list_key.encode("utf-8")).hexdigest()[:12]

    def make(self, purpose: str, email: str, nonce: str = "", now: int | None = None) -> str:
        payload = json.dumps(
            {"p": purpose, "e": email, "l": self.list_hash, "n": nonce}, separators=(",", ":")
        )
        token = self.fernet.encrypt_at_time(payload.encode("utf-8"), int(now or time.time()))
        return token.decode("ascii").rstrip("=")  # padding is restored on reading; '=' needs escaping

    def read(self, token: str, purpose: str, max_age: float | None = None) -> TokenData:
        """The token's content, or TokenError saying in plain words what is wrong."""
        if not token or len(token) > 1000 or not token.isascii():
            raise TokenError("this link is incomplete or damaged")
        raw = (token + "=" * (-len(token) % 4)).encode("ascii")
        try:
            payload = json.loads(self.fernet.decrypt(raw))
            issued = self.fernet.extract_timestamp(raw)
        except (InvalidToken, ValueError, TypeError):
            raise TokenError("this link is incomplete or damaged") from None
        if not isinstance(payload, dict) or payload.get("p") != purpose:
            raise TokenError("this link is not meant for this page")
        if payload.get("l") != self.list_hash:
            raise TokenError("this link belongs to another newsletter")
        if max_age is not None and time.time() - issued > max_age:
            raise TokenError("this link has expired")
        return TokenData(str(payload.get("e", "")), str(payload.get("n", "")), issued)


def read_secret(config: Config) -> str:
    """The signing secret from the environment; ConfigError naming the variable."""
    name = config.web.secret_env
    value = os.environ.get(name)
    if not value:
        raise ConfigError(
            f"web.secret_env: the environment variable {name} is not set; "
            "put a long random string in it (e.g. `openssl rand -hex 32`)"
        )
    if len(value) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"web.secret_env: the secret in {name} is too short; use at least {MIN_SECRET_CHARS} characters"
        )
    return value


def check_base_url(value: str) -> str:
    """`[web] base_url` without a trailing slash; https, or http on this machine only."""
    parts = urlsplit(value)
    bad = any(ch.isspace() or ord(ch) < 32 for ch in value) or parts.query or parts.fragment
    if parts.scheme not in ("http", "https") or not parts.hostname or bad:
        raise ConfigError(
            f"web.base_url: {value!r} is not an http(s) address such as https://news.example.org"
        )
    if parts.scheme == "http":
        if parts.hostname not in LOOPBACK_HOSTS:
            raise ConfigError(
                f"web.base_url: {value!r} must be https (plain http is allowed for 127.0.0.1 only)"
            )
        log.warning("web.base_url is plain http: fine on this machine, but mail providers need https")
    return value.rstrip("/")


@dataclass(frozen=True)
class ReaderLinks:
    """The per-reader links `digest serve` answers."""

    base_url: str
    signer: Signer

    def unsubscribe_url(self, email: str) -> str:
        return f"{self.base_url}/unsubscribe?token={self.signer.make(UNSUBSCRIBE, email.lower())}"

    def confirm_url(self, email: str, nonce: str) -> str:
        return f"{self.base_url}/confirm?token={self.signer.make(CONFIRM, email.lower(), nonce)}"


def reader_links(config: Config, list_key: str) -> ReaderLinks | None:
    """None when `[web] base_url` is not set; ConfigError for a bad setting or secret."""
    if not config.web.base_url:
        return None
    base = check_base_url(config.web.base_url)
    return ReaderLinks(base, Signer(read_secret(config), list_key))
