"""What keeps the sign-up form from being abused: CSRF tokens, rate limits.

CSRF: the form carries a signed, timestamped token whose random part is also
in a SameSite=Strict cookie; a POST needs both, matching, and fresh. A page
on another site can neither read the token nor send the cookie.

Rate limits: sliding windows kept in memory (a restart forgets them, which
only ever lets a few more requests through): sign-ups per client address,
and confirmation messages per target address, so nobody can use the form to
flood someone's inbox.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CSRF_COOKIE = "digest_csrf"
CSRF_FIELD = "csrf"
CSRF_MAX_AGE = 2 * 3600  # seconds a form stays usable
HONEYPOT_FIELD = "website"  # hidden from people; bots fill it in


class CsrfGuard:
    def __init__(self, secret: str):
        self.serializer = URLSafeTimedSerializer(secret, salt="digest csrf")

    def new(self) -> tuple[str, str]:
        """(token for the form, value for the cookie)."""
        nonce = secrets.token_urlsafe(16)
        return self.serializer.dumps(nonce), nonce

    def check(self, token: str, cookie: str | None) -> str | None:
        """None when the form is genuine and fresh, else why not."""
        if not cookie or not token:
            return "the form was not sent from this site (no security token); reload the page and try again"
        try:
            nonce = self.serializer.loads(token, max_age=CSRF_MAX_AGE)
        except SignatureExpired:
            return "the form was open too long; reload the page and try again"
        except BadSignature:
            return "the form's security token is not valid; reload the page and try again"
        if not secrets.compare_digest(str(nonce), cookie):
            return "the form's security token does not match this browser; reload the page and try again"
        return None


class RateLimiter:
    """At most `limit` events per key in any `window` seconds."""

    def __init__(self, limit: int, window: float):
        self.limit = limit
        self.window = window
        self.events: defaultdict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """True (and counted) when `key` is under its limit; False otherwise."""
        now = time.monotonic() if now is None else now
        with self.lock:
            times = self.events[key]
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            if len(self.events) > 100_000:  # forget idle keys so memory stays bounded
                self.sweep(now)
            return True

    def sweep(self, now: float) -> None:
        for key in [k for k, t in self.events.items() if not t or t[-1] <= now - self.window]:
            del self.events[key]
