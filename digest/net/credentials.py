"""Credentials in URLs: split off for Basic auth, and never shown or stored.

A feed URL may carry a user name and password (`https://user:pw@host/feed`).
Passwords are often pasted as they are, with `/`, `?` or `#` unencoded
(`https://user:Ab/Secret@host/feed.xml`): a standard parser then reads
`user` as the host and the rest of the password as the path, and the secret
ends up in messages and state keys. `split_credentials` recognises that
shape too; `safe_url` is the form of a URL fit for messages, logs, tables
and storage, and when a URL cannot be parsed at all, everything before its
host is replaced.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import httpx

HIDDEN = "***"
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?//")
# The end of a standard authority: the first of / ? # (and \, which browsers treat as /).
AUTHORITY_END = re.compile(r"[/?#\\]")


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(the URL without its user info, user name, password), both decoded;
    (url, None, None) when it carries none."""
    start = SCHEME.match(url)
    if not start or "@" not in url[start.end() :]:
        return url, None, None
    rest = url[start.end() :]
    at = userinfo_end(rest)
    if at is None:
        return url, None, None
    userinfo = rest[:at]
    user, colon, password = userinfo.partition(":")
    return url[: start.end()] + rest[at + 1 :], unquote(user), unquote(password) if colon else None


def userinfo_end(rest: str) -> int | None:
    """Index of the `@` that ends the user info in `rest` (the URL after `//`), or None."""
    end = AUTHORITY_END.search(rest)
    auth_end = end.start() if end else len(rest)
    authority = rest[:auth_end]
    later = rest.find("@", auth_end)  # an @ past the standard authority
    if "@" in authority:
        at = authority.rindex("@")
        if later < 0 or host_like(authority[at + 1 :]):
            return at
    elif ":" not in authority or later < 0:
        return None
    else:
        # A password with / ? or # in it, or an ordinary URL with a port and an @
        # in its path (https://example.org:8080/@me/feed).
        host, _, port = authority.rpartition(":")
        if port.isdigit() and host_like(host) and rest[auth_end] == "/":
            return None
    slash = rest.find("/", later)
    return rest.rindex("@", 0, slash if slash >= 0 else len(rest))


def host_like(host_port: str) -> bool:
    """A name that can be a host: dotted, bracketed IPv6, or localhost."""
    if host_port.startswith("["):
        return True
    host = host_port.rsplit(":", 1)[0]
    return "." in host or host.lower() == "localhost"


def safe_url(url: str) -> str:
    """`url` without user name and password, fit for logs, messages and storage."""
    clean, user, _ = split_credentials(url)
    try:
        parsed = httpx.URL(clean)
    except (httpx.InvalidURL, TypeError):
        return hide_before_host(clean) if user is None else clean
    if not parsed.userinfo:
        return clean
    return str(parsed.copy_with(username=None, password=None))


def hide_before_host(url: str) -> str:
    """An unparsable URL with an @ keeps only what follows its last @ (the host and on)."""
    start = SCHEME.match(url)
    if not start or "@" not in url[start.end() :]:
        return url
    return f"{url[: start.end()]}{HIDDEN}@{url.rsplit('@', 1)[1]}"
